"""The result of running the triage pipeline on one clue, before it is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class CategorySuggestion:
    category_id: int | None
    label: str
    probability: float


@dataclass
class TriageOutcome:
    """Everything the pipeline found, each part with the reasons an operator will see."""

    categories: list[CategorySuggestion] = field(default_factory=list)
    model_version_id: int | None = None
    region_id: int | None = None
    places: dict[str, Any] = field(default_factory=dict)
    urgency: dict[str, Any] = field(default_factory=dict)
    suggested_priority: str | None = None
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    routing: dict[str, Any] = field(default_factory=dict)
    masked_title: str = ""
    masked_content: str = ""
    pii_kinds: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    needs_human: bool = False

    @property
    def confidence(self) -> float:
        return self.categories[0].probability if self.categories else 0.0

    def summary(self) -> dict[str, Any]:
        """What the TRIAGE event records: compact, JSON-safe."""
        return {
            "categories": [
                {"id": s.category_id, "label": s.label, "p": round(s.probability, 4)}
                for s in self.categories
            ],
            "region": self.region_id,
            "priority": self.suggested_priority,
            "urgency": self.urgency.get("reasons", []),
            "duplicates": [d.get("clue_id") for d in self.duplicates],
            "rule": self.routing.get("rule"),
            "needs_human": self.needs_human,
        }
