"""The result of running the triage pipeline on one clue, before it is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# A second-level suggestion is used for routing when it holds this share of its branch.
SUBCATEGORY_MAJORITY = 0.5


@dataclass
class CategorySuggestion:
    category_id: int | None
    label: str
    probability: float


@dataclass
class TriageOutcome:
    """Everything the pipeline found, each part with the reasons an operator will see."""

    categories: list[CategorySuggestion] = field(default_factory=list)
    # Second-level suggestions under the first suggested category (when a model exists).
    subcategories: list[CategorySuggestion] = field(default_factory=list)
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

    @property
    def suggested_category_id(self) -> int | None:
        """The most specific category the suggestions support: the second level when its
        share within the branch is a clear majority (rules are often set there), else the
        first level."""
        if self.subcategories and self.subcategories[0].probability >= SUBCATEGORY_MAJORITY:
            return self.subcategories[0].category_id
        return self.categories[0].category_id if self.categories else None

    def summary(self) -> dict[str, Any]:
        """What the TRIAGE event records: compact, JSON-safe."""
        return {
            "categories": [
                {"id": s.category_id, "label": s.label, "p": round(s.probability, 4)}
                for s in self.categories
            ],
            "subcategories": [
                {"id": s.category_id, "label": s.label, "p": round(s.probability, 4)}
                for s in self.subcategories
            ],
            "region": self.region_id,
            "priority": self.suggested_priority,
            "urgency": self.urgency.get("reasons", []),
            "duplicates": [d.get("clue_id") for d in self.duplicates],
            "rule": self.routing.get("rule"),
            "needs_human": self.needs_human,
        }
