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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max

from minsheng.clues.models import Clue
from minsheng.clues.workflow import TERMINAL_STATUSES
from minsheng.directory.choices import Priority
from minsheng.directory.models import Category, Region
from minsheng.directory.routing import RoutingConflict, RuleBook
from minsheng.directory.selectors import category_find_by_name
from minsheng.triage.classifier.data import join_message
from minsheng.triage.duplicates import DuplicateIndex, Match, classify
from minsheng.triage.duplicates.classify import LIKELY_DUPLICATE_SCORE, SIMILAR_SCORE
from minsheng.triage.duplicates.place_names import PlaceNames, place_names
from minsheng.triage.duplicates.snapshot import default_snapshot_path, load_snapshot_or_empty
from minsheng.triage.duplicates.sources import add_clues, index_open_clues, indexed_text
from minsheng.triage.models import ModelVersion
from minsheng.triage.outcome import CategorySuggestion, TriageOutcome
from minsheng.triage.pii import mask_pii
from minsheng.triage.places import Gazetteer
from minsheng.triage.registry import CATEGORY, SUBCATEGORY, active_model
from minsheng.triage.text import DEFAULT_MAX_CHARS, normalise
from minsheng.triage.urgency import assess_urgency

logger = logging.getLogger(__name__)

# Below this top probability a human should confirm the category.
HUMAN_REVIEW_BELOW = 0.6
MAX_SIMILAR = 10
# How often a worker reloads rules, models and regions (seconds).
REFRESH_SECONDS = 30.0
# How far back (in ids) a worker looks for clues that committed after a later one.
LOOKBACK = 5000
# Place names kept per worker for the duplicate place check.
PLACE_CACHE_SIZE = 100_000


@dataclass(frozen=True, slots=True)
class ClueText:
    """What the pipeline reads of a clue: fetched in bulk for a batch, one row online."""

    clue_id: int
    title: str
    content: str
    category_id: int | None = None
    region_id: int | None = None
    complainant_key: str | None = None


CLUE_TEXT_FIELDS = (
    "pk",
    "title",
    "content",
    "category_id",
    "region_id",
    "complainant__phone",
    "complainant__external_user",
)


def clue_texts(clue_ids: Sequence[int]) -> list[ClueText]:
    """The clues' texts with their complainant keys, in one query, in the order given.

    The complainant key (phone, else the source's user id) is how "the same person again"
    is recognised; missing clues are left out.
    """
    rows = {
        row[0]: row
        for row in Clue.objects.filter(pk__in=list(clue_ids)).values_list(*CLUE_TEXT_FIELDS)
    }
    return [_clue_text(rows[pk]) for pk in clue_ids if pk in rows]


def _clue_text(row: tuple[Any, ...]) -> ClueText:
    pk, title, content, category_id, region_id, phone, external_user = row
    return ClueText(
        clue_id=pk,
        title=title,
        content=content,
        category_id=category_id,
        region_id=region_id,
        complainant_key=phone or external_user or None,
    )


def _may_be_likely(match: Match) -> bool:
    """Whether a match could be a likely duplicate, so that its places need checking."""
    return not match.exact and (
        match.score >= LIKELY_DUPLICATE_SCORE
        or (match.same_complainant and match.score >= SIMILAR_SCORE)
    )


class TriageEngine:
    """Holds the loaded components; `analyse` may be called from many tasks in one worker.

    One clue online and a batch of thousands take the same path: every step works on the
    whole batch (one classifier call, one query for the duplicates' status), so a batch
    costs little more per clue than the text work itself.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._category_ids: dict[str, int | None] = {}
        self._categories: dict[int, Category] = {}
        self._gazetteer: Gazetteer | None = None
        self._gazetteer_signature: tuple[int, int | None] | None = None
        self._region_pk_by_code: dict[str, int] = {}
        self._regions: dict[int, Region] = {}
        self._rules: RuleBook | None = None
        self._model: tuple[ModelVersion, Any] | None = None
        self._submodel: tuple[ModelVersion, Any] | None = None
        self._index = DuplicateIndex()
        self._indexed_up_to = 0
        self._snapshot_loaded = False
        self._place_cache: dict[int, PlaceNames] = {}
        self._checked_at = 0.0

    # --- the pipeline ------------------------------------------------------------------

    def analyse(self, clues: Sequence[ClueText]) -> list[TriageOutcome]:
        """Triage a batch; outcomes in the order given. Within a batch, a later clue sees
        the earlier ones as possible duplicates, as it would one by one."""
        self._refresh()
        outcomes = [TriageOutcome() for _ in clues]
        texts: list[str] = []
        for clue, outcome in zip(clues, outcomes, strict=True):
            normalised = normalise(f"{clue.title}\n{clue.content}")
            if normalised.truncated:
                outcome.notes.append(
                    f"内容过长（{normalised.original_length} 字），"
                    f"仅分析前 {DEFAULT_MAX_CHARS} 字。"
                )
            if not normalised.text.strip():
                outcome.notes.append("内容为空或无法识别，需人工分拣。")
            texts.append(normalised.text)
            self._mask(clue, outcome)
        # The classifier reads title and body apart (as it was trained), not the joined text.
        self._categorise(
            [join_message(title=clue.title, content=clue.content) for clue in clues], outcomes
        )
        for text, outcome in zip(texts, outcomes, strict=True):
            self._locate(text, outcome)
            self._assess(text, outcome)
        self._find_duplicates(clues, texts, outcomes)
        for clue, outcome in zip(clues, outcomes, strict=True):
            self._route(clue, outcome)
        return outcomes

    def _mask(self, clue: ClueText, outcome: TriageOutcome) -> None:
        title, content = mask_pii(clue.title), mask_pii(clue.content)
        outcome.masked_title = title.text
        outcome.masked_content = content.text
        outcome.pii_kinds = sorted(set(title.kinds) | set(content.kinds))

    def _categorise(self, messages: list[str], outcomes: list[TriageOutcome]) -> None:
        if self._model is None:
            for outcome in outcomes:
                outcome.needs_human = True
                outcome.notes.append("尚无可用的分类模型，需人工分拣。")
            return
        version, model = self._model
        tops = model.predict_top(messages, k=3) if messages else []
        for outcome, top in zip(outcomes, tops, strict=True):
            outcome.model_version_id = version.pk
            for label, probability in top:
                outcome.categories.append(
                    CategorySuggestion(self._category_id(label), label, float(probability))
                )
            if outcome.confidence < HUMAN_REVIEW_BELOW:
                outcome.needs_human = True
                outcome.notes.append(f"分类置信度较低（{outcome.confidence:.0%}），请人工确认。")
        if self._submodel is not None and messages:
            self._subcategorise(messages, outcomes)

    def _subcategorise(self, messages: list[str], outcomes: list[TriageOutcome]) -> None:
        """Second-level suggestions under the suggested first-level category: the model's
        probabilities restricted to that branch and renormalised (so the two levels never
        disagree)."""
        assert self._submodel is not None
        _version, model = self._submodel
        probabilities = model.predict_proba(messages)
        labels: list[str] = model.labels
        parents = [self._parent_of(label) for label in labels]
        for outcome, row in zip(outcomes, probabilities, strict=True):
            top = outcome.categories[0].category_id if outcome.categories else None
            if top is None:
                continue
            branch = [i for i, parent in enumerate(parents) if parent == top]
            total = float(sum(row[i] for i in branch))
            if not branch or total <= 0:
                continue
            ranked = sorted(branch, key=lambda i: -row[i])[:3]
            for i in ranked:
                category = self._category(int(labels[i]))
                name = category.name if category else labels[i]
                outcome.subcategories.append(
                    CategorySuggestion(int(labels[i]), name, float(row[i]) / total)
                )

    def _parent_of(self, label: str) -> int | None:
        category = self._category(int(label)) if label.isdigit() else None
        return category.parent_id if category else None

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

    def _find_duplicates(
        self, clues: Sequence[ClueText], texts: list[str], outcomes: list[TriageOutcome]
    ) -> None:
        """Look each clue up in the index (the whole batch signed at once); one query then
        keeps only matches that are still open, with the texts for the place check."""
        with self._lock:
            self._catch_up()
            # The batch's own clues are normally indexed by the catch-up; any that are not
            # (re-triage of a closed clue, say) are added first, so they see each other.
            missing = [
                (clue, text)
                for clue, text in zip(clues, texts, strict=True)
                if clue.clue_id not in self._index
            ]
            self._index.add_many(
                [(clue.clue_id, text) for clue, text in missing],
                complainant_keys=[clue.complainant_key for clue, _ in missing],
            )
            found = self._index.query_many(
                texts,
                k=MAX_SIMILAR * 2,
                exclude_ids=[clue.clue_id for clue in clues],
                complainant_keys=[clue.complainant_key for clue in clues],
            )
        matched_ids = {match.clue_id for matches in found for match in matches}
        if not matched_ids:
            return
        codes = dict(
            Clue.objects.filter(pk__in=list(matched_ids))
            .exclude(status__in=TERMINAL_STATUSES)
            .values_list("pk", "tracking_code")
        )
        needs_places = {
            match.clue_id
            for matches in found
            for match in matches
            if _may_be_likely(match) and match.clue_id in codes
        }
        places = self._places_of(needs_places)
        for text, matches, outcome in zip(texts, found, outcomes, strict=True):
            split = classify(
                (match for match in matches if match.clue_id in codes),
                query_places=place_names(text) if any(map(_may_be_likely, matches)) else None,
                places=places,
            )
            for kind, group in (
                ("duplicate", split.likely_duplicates),
                ("similar", split.similar),
            ):
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

    def _places_of(self, clue_ids: set[int]) -> dict[int, PlaceNames]:
        """Place names of indexed clues, read and extracted once per refresh period (the
        same popular clue is a candidate for many repeats)."""
        unknown = [pk for pk in clue_ids if pk not in self._place_cache]
        if unknown:
            if len(self._place_cache) + len(unknown) > PLACE_CACHE_SIZE:
                self._place_cache.clear()
            for pk, title, content in Clue.objects.filter(pk__in=unknown).values_list(
                "pk", "title", "content"
            ):
                self._place_cache[pk] = place_names(indexed_text(title, content))
        return {pk: self._place_cache[pk] for pk in clue_ids if pk in self._place_cache}

    def _route(self, clue: ClueText, outcome: TriageOutcome) -> None:
        category_id = clue.category_id
        if category_id is None:
            category_id = outcome.suggested_category_id
        region_id = clue.region_id or outcome.region_id
        category = self._category(category_id)
        region = self._region(region_id)
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

    def _category(self, pk: int | None) -> Category | None:
        """From the cache loaded at refresh; a category added since is read once."""
        if pk is None:
            return None
        if pk not in self._categories:
            category = Category.objects.filter(pk=pk).first()
            if category is None:
                return None
            self._categories[pk] = category
        return self._categories[pk]

    def _region(self, pk: int | None) -> Region | None:
        if pk is None:
            return None
        if pk not in self._regions:
            region = Region.objects.filter(pk=pk).first()
            if region is None:
                return None
            self._regions[pk] = region
        return self._regions[pk]

    # --- keeping components current -------------------------------------------------

    def _refresh(self) -> None:
        """Reload the responsibility list, the model and the category cache, and rebuild
        the gazetteer when regions changed (at most every REFRESH_SECONDS)."""
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
            self._regions = {}
            self._place_cache = {}  # texts may have been amended since
            self._categories = {category.pk: category for category in Category.objects.all()}
            self._category_ids = {}
            self._rules = RuleBook()
            self._model = active_model(CATEGORY)
            self._submodel = active_model(SUBCATEGORY)
            if self._snapshot_loaded:
                self._index_late_commits()

    def _catch_up(self) -> None:
        """Index open clues this worker has not seen: received since, by any worker or
        channel. One indexed query when nothing is new, so it runs before every lookup and
        a repeat posted a second ago on another worker is still found. The first call
        starts from the snapshot (`manage.py triage_index --rebuild`), if there is one."""
        if not self._snapshot_loaded:
            self._index, self._indexed_up_to = self._load_snapshot()
            self._snapshot_loaded = True
        self._indexed_up_to = index_open_clues(self._index, after_pk=self._indexed_up_to)

    def _load_snapshot(self) -> tuple[DuplicateIndex, int]:
        """The snapshot, unless it reaches past the clues this database holds (written for
        another database, or before a restore): then every open clue is indexed afresh."""
        path = default_snapshot_path()
        index, up_to = load_snapshot_or_empty(path)
        highest = Clue.objects.aggregate(last=Max("pk"))["last"] or 0
        if up_to > highest:
            logger.warning(
                "查重索引快照 %s 超出本数据库的线索范围（%s > %s），已弃用并重建。",
                path,
                up_to,
                highest,
            )
            return DuplicateIndex(), 0
        return index, up_to

    def _index_late_commits(self) -> None:
        """Ids are taken at insert but become visible at commit, so a clue can appear
        below the high id already read; look back over the last LOOKBACK ids now and then."""
        low = max(0, self._indexed_up_to - LOOKBACK)
        recent = (
            Clue.objects.filter(pk__gt=low, pk__lte=self._indexed_up_to)
            .exclude(status__in=TERMINAL_STATUSES)
            .values_list("pk", flat=True)
        )
        missing = [pk for pk in recent if pk not in self._index]
        if missing:
            add_clues(
                self._index,
                ((c.clue_id, c.title, c.content, c.complainant_key) for c in clue_texts(missing)),
            )


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
