"""The triage pipeline for one clue, with its components loaded once per process.

Each step degrades on its own: a missing or corrupt model leaves the clue for human
triage with an alert, while places, urgency, duplicates, personal data and routing still run.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from minsheng.clues.models import Clue
from minsheng.clues.workflow import TERMINAL_STATUSES
from minsheng.directory.models import Category, Region
from minsheng.directory.routing import RoutingConflict, route
from minsheng.directory.selectors import category_find_by_name
from minsheng.triage.outcome import CategorySuggestion, TriageOutcome

logger = logging.getLogger(__name__)

# Below this top probability a human should confirm the category.
HUMAN_REVIEW_BELOW = 0.6
MAX_SIMILAR = 5


class TriageEngine:
    """Holds the loaded components; `run` is safe to call from many tasks in one worker."""

    def __init__(self) -> None:
        self._category_ids: dict[str, int | None] = {}

    # --- steps -------------------------------------------------------------------------

    def run(self, clue: Clue) -> TriageOutcome:
        outcome = TriageOutcome()
        text = f"{clue.title}\n{clue.content}"
        self._categorise(text, outcome)
        self._exact_duplicates(clue, outcome)
        self._route(clue, outcome)
        return outcome

    def _categorise(self, text: str, outcome: TriageOutcome) -> None:
        from minsheng.triage.registry import active_category_model

        loaded = active_category_model()
        if loaded is None:
            outcome.needs_human = True
            outcome.notes.append("尚无可用的分类模型，需人工分拣。")
            return
        version, model = loaded
        outcome.model_version_id = version.pk
        for label, probability in model.predict_top([text], k=3)[0]:
            outcome.categories.append(
                CategorySuggestion(self._category_id(label), label, float(probability))
            )
        if outcome.confidence < HUMAN_REVIEW_BELOW:
            outcome.needs_human = True
            outcome.notes.append(f"分类置信度较低（{outcome.confidence:.0%}），请人工确认。")

    def _category_id(self, label: str) -> int | None:
        if label not in self._category_ids:
            category = category_find_by_name(name=label)
            self._category_ids[label] = category.pk if category else None
        return self._category_ids[label]

    def _exact_duplicates(self, clue: Clue, outcome: TriageOutcome) -> None:
        """Clues with the same content fingerprint: the same text again, from anyone."""
        same = (
            Clue.objects.filter(fingerprint=clue.fingerprint)
            .exclude(pk=clue.pk)
            .exclude(status__in=TERMINAL_STATUSES)
            .order_by("received_at")
            .values_list("pk", "tracking_code")[:MAX_SIMILAR]
        )
        for pk, code in same:
            outcome.duplicates.append(
                {
                    "clue_id": pk,
                    "tracking_code": code,
                    "score": 1.0,
                    "kind": "duplicate",
                    "exact": True,
                }
            )

    def _route(self, clue: Clue, outcome: TriageOutcome) -> None:
        category: Category | None = clue.category
        if category is None and outcome.categories and outcome.categories[0].category_id:
            category = Category.objects.filter(pk=outcome.categories[0].category_id).first()
        region: Region | None = clue.region
        if region is None and outcome.region_id:
            region = Region.objects.filter(pk=outcome.region_id).first()
        routing: dict[str, Any] = {
            "category": category.pk if category else None,
            "region": region.pk if region else None,
        }
        try:
            decision = route(category, region)
        except RoutingConflict as conflict:
            routing.update(conflict=True, explanation=str(conflict), lead=None, co=[])
        else:
            routing.update(
                rule=decision.rule.pk if decision.rule else None,
                lead=decision.lead.pk if decision.lead else None,
                lead_name=decision.lead.name if decision.lead else "",
                co=[department.pk for department in decision.co_handlers],
                explanation=decision.explanation,
            )
        outcome.routing = routing


_engine: TriageEngine | None = None
_engine_lock = threading.Lock()


def get_engine() -> TriageEngine:
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = TriageEngine()
        return _engine


def reset_engine() -> None:
    """Drop loaded components (after a model or gazetteer change, and between tests)."""
    global _engine
    with _engine_lock:
        _engine = None
