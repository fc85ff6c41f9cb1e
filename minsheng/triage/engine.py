"""The triage pipeline for one clue, with its components loaded once per process.

Steps: normalise the text; mask personal data; classify (top-3 first-level categories);
find places and the region; assess urgency; look for duplicates and similar open clues;
route by the responsibility list. Each step degrades on its own: without a usable model the
clue waits for a human (with an alert), while the other steps still run.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.db.models import Count, Max

from minsheng.clues.models import Clue, Complainant
from minsheng.clues.workflow import TERMINAL_STATUSES
from minsheng.directory.choices import Priority
from minsheng.directory.models import Category, Region
from minsheng.directory.routing import RoutingConflict, RuleBook
from minsheng.directory.selectors import category_find_by_name
from minsheng.triage.duplicates import DuplicateIndex, classify
from minsheng.triage.models import ModelVersion
from minsheng.triage.outcome import CategorySuggestion, TriageOutcome
from minsheng.triage.pii import mask_pii
from minsheng.triage.places import Gazetteer
from minsheng.triage.registry import active_category_model
from minsheng.triage.text import DEFAULT_MAX_CHARS, normalise
from minsheng.triage.urgency import assess_urgency

logger = logging.getLogger(__name__)

# Below this top probability a human should confirm the category.
HUMAN_REVIEW_BELOW = 0.6
MAX_SIMILAR = 10
# How often a worker looks for new regions and new clues to index (seconds).
REFRESH_SECONDS = 30.0


def complainant_key(clue: Clue) -> str | None:
    """Who reported it, as a key for "same person again" (phone, else the source user id)."""
    complainant = Complainant.objects.filter(clue_id=clue.pk).values("phone", "external_user")
    row = complainant.first()
    if row is None:
        return None
    return row["phone"] or row["external_user"] or None


class TriageEngine:
    """Holds the loaded components; `run` may be called from many tasks in one worker."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._category_ids: dict[str, int | None] = {}
        self._gazetteer: Gazetteer | None = None
        self._gazetteer_signature: tuple[int, int | None] | None = None
        self._region_pk_by_code: dict[str, int] = {}
        self._rules: RuleBook | None = None
        self._model: tuple[ModelVersion, Any] | None = None
        self._index = DuplicateIndex()
        self._indexed_up_to = 0
        self._checked_at = 0.0

    # --- the pipeline ------------------------------------------------------------------

    def run(self, clue: Clue) -> TriageOutcome:
        self._refresh()
        outcome = TriageOutcome()
        normalised = normalise(f"{clue.title}\n{clue.content}")
        text = normalised.text
        if normalised.truncated:
            outcome.notes.append(
                f"内容过长（{normalised.original_length} 字），仅分析前 {DEFAULT_MAX_CHARS} 字。"
            )
        if not text.strip():
            outcome.notes.append("内容为空或无法识别，需人工分拣。")
        self._mask(clue, outcome)
        self._categorise(text, outcome)
        self._locate(text, outcome)
        self._assess(text, outcome)
        self._find_duplicates(clue, text, outcome)
        self._route(clue, outcome)
        return outcome

    def _mask(self, clue: Clue, outcome: TriageOutcome) -> None:
        title, content = mask_pii(clue.title), mask_pii(clue.content)
        outcome.masked_title = title.text
        outcome.masked_content = content.text
        outcome.pii_kinds = sorted(set(title.kinds) | set(content.kinds))

    def _categorise(self, text: str, outcome: TriageOutcome) -> None:
        if self._model is None:
            outcome.needs_human = True
            outcome.notes.append("尚无可用的分类模型，需人工分拣。")
            return
        version, model = self._model
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

    def _locate(self, text: str, outcome: TriageOutcome) -> None:
        if self._gazetteer is None:
            return
        found = self._gazetteer.find_places(text)
        outcome.places = {
            "regions": [
                {"code": match.code, "name": match.name, "matched": match.matched}
                for match in found.matches
            ],
            "best": found.best_code,
            "places": found.places,
        }
        if found.best_code is not None:
            outcome.region_id = self._region_pk_by_code.get(found.best_code)

    def _assess(self, text: str, outcome: TriageOutcome) -> None:
        assessment = assess_urgency(text)
        outcome.urgency = assessment.as_dict()
        if assessment.level in (Priority.HIGH, Priority.URGENT):
            outcome.suggested_priority = str(assessment.level)

    def _find_duplicates(self, clue: Clue, text: str, outcome: TriageOutcome) -> None:
        key = complainant_key(clue)
        with self._lock:
            matches = self._index.query(
                text, k=MAX_SIMILAR * 2, exclude_id=clue.pk, complainant_key=key
            )
            self._index.add(clue.pk, text, complainant_key=key)
        if not matches:
            return
        codes = dict(
            Clue.objects.filter(pk__in=[m.clue_id for m in matches])
            .exclude(status__in=TERMINAL_STATUSES)
            .values_list("pk", "tracking_code")
        )
        split = classify(match for match in matches if match.clue_id in codes)
        for kind, group in (("duplicate", split.likely_duplicates), ("similar", split.similar)):
            for match in group[:MAX_SIMILAR]:
                outcome.duplicates.append(
                    {
                        "clue_id": match.clue_id,
                        "tracking_code": codes.get(match.clue_id, ""),
                        "score": round(match.score, 3),
                        "kind": kind,
                        "exact": match.exact,
                        "same_complainant": match.same_complainant,
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
            assert self._rules is not None
            decision = self._rules.route(category, region)
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

    # --- keeping components current -------------------------------------------------

    def _refresh(self) -> None:
        """Reload the responsibility list, rebuild the gazetteer when regions changed, and
        index clues received by other workers (at most every REFRESH_SECONDS)."""
        now = time.monotonic()
        if now - self._checked_at < REFRESH_SECONDS and self._gazetteer is not None:
            return
        with self._lock:
            self._checked_at = now
            signature = tuple(Region.objects.aggregate(n=Count("pk"), last=Max("pk")).values())
            if signature != self._gazetteer_signature:
                regions = list(Region.objects.filter(is_active=True))
                self._gazetteer = Gazetteer.from_regions(regions)
                self._region_pk_by_code = {region.code: region.pk for region in regions}
                self._gazetteer_signature = signature
            self._rules = RuleBook()
            self._model = active_category_model()
            self._index_new_clues()

    def _index_new_clues(self) -> None:
        """Add open clues this worker has not seen (received or triaged by other workers)."""
        rows = list(
            Clue.objects.filter(pk__gt=self._indexed_up_to)
            .exclude(status__in=TERMINAL_STATUSES)
            .order_by("pk")
            .values_list(
                "pk", "title", "content", "complainant__phone", "complainant__external_user"
            )[:200_000]
        )
        if not rows:
            return
        fresh = [row for row in rows if row[0] not in self._index]
        self._index.add_many(
            [(pk, normalise(f"{title}\n{content}").text) for pk, title, content, _, _ in fresh],
            complainant_keys=[phone or user or None for _, _, _, phone, user in fresh],
        )
        self._indexed_up_to = rows[-1][0]


_engine: TriageEngine | None = None
_engine_lock = threading.Lock()


def get_engine() -> TriageEngine:
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = TriageEngine()
        return _engine


def reset_engine() -> None:
    """Drop loaded components (after a model change, and between tests)."""
    global _engine
    with _engine_lock:
        _engine = None
