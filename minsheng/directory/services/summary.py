"""What an import did: the counts and every rejected row with its line number."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RejectedRow:
    """A row that was not imported; `line` is the line (CSV) or row (XLSX) number in the file."""

    line: int
    reason: str

    def __str__(self) -> str:
        return _("第 %(line)s 行：%(reason)s") % {"line": self.line, "reason": self.reason}


@dataclass
class ImportSummary:
    """Counts of an import.

    `rows_read` counts non-blank data rows. `created` counts new records (for the taxonomy,
    new category nodes: one row may create up to three). `updated` counts rows that changed
    an existing record and `existing` rows that were already fully present.
    `conflicts` lists problems the import left in the data as a whole (responsibility-list
    ties found after importing rules).
    """

    rows_read: int = 0
    created: int = 0
    updated: int = 0
    existing: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected and not self.conflicts

    def reject(self, line: int, reason: str) -> None:
        self.rejected.append(RejectedRow(line=line, reason=reason))

    def lines(self) -> list[str]:
        """The summary as human-readable lines, rejected rows in file order."""
        result = [
            _(
                "读取 %(read)s 行：新建 %(created)s，更新 %(updated)s，"
                "已存在 %(existing)s，拒绝 %(rejected)s。"
            )
            % {
                "read": self.rows_read,
                "created": self.created,
                "updated": self.updated,
                "existing": self.existing,
                "rejected": len(self.rejected),
            }
        ]
        result.extend(str(row) for row in sorted(self.rejected, key=lambda row: row.line))
        result.extend(_("冲突：%(conflict)s") % {"conflict": text} for text in self.conflicts)
        return result

    def __str__(self) -> str:
        return "\n".join(self.lines())
