"""What a demo load did, section by section, for `load_demo` to print and tests to check."""

from __future__ import annotations

from dataclasses import dataclass, field


class DemoLoadError(Exception):
    """The demo data does not fit the product (a bug in minsheng/demo/data)."""


@dataclass
class SectionSummary:
    """Counts for one kind of demo data."""

    name: str
    created: int = 0
    updated: int = 0
    existing: int = 0
    notes: list[str] = field(default_factory=list)

    def count(self, *, created: bool) -> None:
        if created:
            self.created += 1
        else:
            self.existing += 1

    def line(self) -> str:
        text = f"{self.name}：新建 {self.created}，已存在 {self.existing}"
        if self.updated:
            text += f"，更新 {self.updated}"
        return text


@dataclass
class DemoLoadSummary:
    """The sections of one `demo_load`, and the demo clues by status afterwards."""

    sections: list[SectionSummary]
    clues_by_status: dict[str, int]
    overdue: int

    @property
    def created(self) -> int:
        return sum(section.created for section in self.sections)

    @property
    def changed(self) -> int:
        return sum(section.created + section.updated for section in self.sections)
