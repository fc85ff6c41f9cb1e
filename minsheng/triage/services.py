"""Triage of clues: run the pipeline, store the suggestions, mark the clue triaged, and
(when enabled and confident) dispatch automatically. Failures are recorded and retried;
the clue itself is never blocked or lost."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from minsheng.accounts.actors import Actor
from minsheng.clues.errors import ClueError
from minsheng.clues.models import Clue
from minsheng.clues.services import intake, rows
from minsheng.clues.workflow import ClueStatus
from minsheng.directory.choices import Priority
from minsheng.directory.models import Category, Region
from minsheng.triage.engine import ClueText, TriageEngine, clue_texts, get_engine
from minsheng.triage.models import TriageResult, TriageStatus
from minsheng.triage.outcome import TriageOutcome

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Seconds before each retry: a passing fault (a locked database, a model being replaced)
# clears quickly; a persistent one stops after MAX_ATTEMPTS and alerts.
RETRY_DELAYS = (30, 120, 600, 3600)
PRIORITY_ORDER = [Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.URGENT]
TRIAGE_ACTOR = Actor.system("智能分拣")
# Clues marked triaged per statement batch: few statements, short enough locks.
TRANSITIONS_PER_COMMIT = 250


def auto_dispatch_threshold() -> float | None:
    """Probability above which a clue is dispatched without an operator (None: never)."""
    value = settings.MINSHENG.get("AUTO_DISPATCH_THRESHOLD")
    return float(value) if value is not None else None


@dataclass
class TriageBatchReport:
    """What a batch did: how many clues were triaged, failed, or had vanished."""

    triaged: int = 0
    failed: int = 0
    missing: int = 0
    seconds: float = 0.0
    results: list[TriageResult] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.triaged / self.seconds if self.seconds else 0.0


def triage_clue(*, clue_id: int) -> TriageResult | None:
    """Triage one clue and store the outcome. Never raises for a pipeline failure: the
    failure is recorded, retried later with back-off, and after MAX_ATTEMPTS the clue is
    left for human triage with an alert. Returns None if the clue no longer exists."""
    report = triage_clues(clue_ids=[clue_id])
    return report.results[0] if report.results else None


def triage_clues(*, clue_ids: Sequence[int]) -> TriageBatchReport:
    """Triage many clues in one pass (imports, the sweeper, the worker's single clue).

    The pipeline runs on the whole batch, results are written in bulk, and each received
    clue is then marked triaged (or dispatched) through the clue services. If the batch
    fails, each clue is retried alone so that one bad clue cannot hold back the others;
    a clue that still fails is recorded for a later retry, never lost.
    """
    started = time.perf_counter()
    report = TriageBatchReport()
    ids = list(dict.fromkeys(clue_ids))
    with cycle_collector_paused():
        _triage_batch(ids, report, started=started)
    report.seconds = time.perf_counter() - started
    return report


@contextlib.contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector for one batch; reference counting still frees memory.

    A batch keeps its clues' outcomes, rows and events alive until it ends. Each collector
    pass promotes them, and the full passes they then set off rescan every long-lived object
    in the worker (the engine's caches, Django's), for about a tenth of the batch's time.
    The collector resumes afterwards, unless it was already paused, and collects whatever
    cycles the batch left. The switch is process-wide: a batch overlapping another in a
    second thread may run with the collector on again, which costs time, never memory safety.
    """
    resume = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if resume:
            gc.enable()


def _triage_batch(ids: list[int], report: TriageBatchReport, *, started: float) -> None:
    texts = clue_texts(ids)
    report.missing = len(ids) - len(texts)
    if not texts:
        return
    results = _results_for([text.clue_id for text in texts])
    engine = get_engine()
    try:
        outcomes: list[TriageOutcome | Exception] = list(engine.analyse(texts))
    except Exception:  # one bad clue must not fail its batch: try each alone
        outcomes = [_analyse_alone(engine, text) for text in texts]
    elapsed_ms = (time.perf_counter() - started) * 1000 / len(texts)
    done: list[tuple[TriageResult, TriageOutcome]] = []
    for text, outcome in zip(texts, outcomes, strict=True):
        result = results[text.clue_id]
        if isinstance(outcome, Exception):
            _record_failure(result, outcome)
            report.failed += 1
        else:
            result.duration_ms = elapsed_ms
            _fill(result, outcome)
            done.append((result, outcome))
        report.results.append(result)
    _save_results([result for result, _ in done])
    _advance_clues(texts, done)
    report.triaged = len(done)


def _analyse_alone(engine: TriageEngine, text: ClueText) -> TriageOutcome | Exception:
    try:
        return engine.analyse([text])[0]
    except Exception as error:  # recorded and retried by the caller
        return error


def _results_for(clue_ids: list[int]) -> dict[int, TriageResult]:
    """Each clue's existing result, or a new unsaved one."""
    existing = {
        result.clue_id: result for result in TriageResult.objects.filter(clue_id__in=clue_ids)
    }
    return {pk: existing.get(pk) or TriageResult(clue_id=pk) for pk in clue_ids}


RESULT_FIELDS = [
    "status",
    "model_version",
    "categories",
    "subcategories",
    "region",
    "places",
    "urgency",
    "duplicates",
    "routing",
    "masked_title",
    "masked_content",
    "pii_kinds",
    "confidence",
    "notes",
    "attempts",
    "last_error",
    "duration_ms",
    "updated_at",
]


def _save_results(results: list[TriageResult]) -> None:
    """Insert new results and update existing ones, a few statements per batch."""
    existing = [result for result in results if result.pk is not None]
    rows.rows_insert([result for result in results if result.pk is None])
    rows.rows_update(existing, RESULT_FIELDS)


def _record_failure(result: TriageResult, error: Exception) -> TriageResult:
    result.attempts += 1
    result.last_error = f"{type(error).__name__}: {error}"[:2000]
    if result.attempts >= MAX_ATTEMPTS:
        result.status = TriageStatus.NEEDS_HUMAN
        logger.error(
            "智能分拣连续失败 %s 次，线索 %s 转人工分拣：%s",
            result.attempts,
            result.clue_id,
            result.last_error,
        )
    else:
        result.status = TriageStatus.FAILED
        delay = RETRY_DELAYS[min(result.attempts - 1, len(RETRY_DELAYS) - 1)]
        logger.warning(
            "智能分拣失败（第 %s 次），%s 秒后重试线索 %s：%s",
            result.attempts,
            delay,
            result.clue_id,
            result.last_error,
        )
        from minsheng.triage.tasks import enqueue_triage

        clue_id = result.clue_id
        transaction.on_commit(
            lambda: enqueue_triage(clue_id, run_after=timezone.now() + dt.timedelta(seconds=delay))
        )
    result.save()
    return result


def _fill(result: TriageResult, outcome: TriageOutcome) -> None:
    result.status = TriageStatus.NEEDS_HUMAN if outcome.needs_human else TriageStatus.DONE
    result.model_version_id = outcome.model_version_id
    result.categories = [
        {"category_id": s.category_id, "label": s.label, "probability": s.probability}
        for s in outcome.categories
    ]
    result.subcategories = [
        {"category_id": s.category_id, "label": s.label, "probability": s.probability}
        for s in outcome.subcategories
    ]
    result.region_id = outcome.region_id
    result.places = outcome.places
    result.urgency = outcome.urgency
    result.duplicates = outcome.duplicates
    result.routing = outcome.routing
    result.masked_title = outcome.masked_title[:200]
    result.masked_content = outcome.masked_content
    result.pii_kinds = outcome.pii_kinds
    result.confidence = outcome.confidence
    result.notes = outcome.notes
    result.attempts += 1
    result.last_error = ""


def _raised_priority(current: str, suggested: str | None) -> str | None:
    """Urgency only ever raises a clue's priority; an operator may lower it."""
    if suggested is None or suggested not in PRIORITY_ORDER:
        return None
    if PRIORITY_ORDER.index(Priority(suggested)) > PRIORITY_ORDER.index(Priority(current)):
        return suggested
    return None


def _is_confident(outcome: TriageOutcome, threshold: float | None) -> bool:
    """Dispatch without an operator only when the category and the rule are both clear."""
    top = outcome.categories[0] if outcome.categories else None
    return (
        threshold is not None
        and top is not None
        and top.category_id is not None
        and top.probability >= threshold
        and not outcome.needs_human
        and outcome.routing.get("lead") is not None
        and not outcome.routing.get("conflict")
    )


def _advance_clues(
    texts: Sequence[ClueText], done: list[tuple[TriageResult, TriageOutcome]]
) -> None:
    """Mark each received clue triaged with its suggestions; dispatch it when allowed.

    Each clue moves through the clue services (lock, transition table, chained event), so
    the batch changes nothing about how a status may change.
    """
    outcomes = {result.clue_id: outcome for result, outcome in done}
    received = dict(
        Clue.objects.filter(pk__in=list(outcomes), status=ClueStatus.RECEIVED).values_list(
            "pk", "priority"
        )
    )
    if not received:
        return
    threshold = auto_dispatch_threshold()
    by_id = {text.clue_id: text for text in texts}
    confident = {pk for pk in received if _is_confident(outcomes[pk], threshold)}
    categories = Category.objects.in_bulk(
        [outcomes[pk].suggested_category_id for pk in confident if by_id[pk].category_id is None]
    )
    regions = Region.objects.in_bulk(
        [
            outcomes[pk].region_id
            for pk in confident
            if by_id[pk].region_id is None and outcomes[pk].region_id
        ]
    )
    decisions = []
    for pk, priority in received.items():
        outcome, clue, sure = outcomes[pk], by_id[pk], pk in confident
        category = region = None
        if sure and clue.category_id is None:
            category = categories.get(outcome.suggested_category_id or 0)
        if sure and clue.region_id is None and outcome.region_id:
            region = regions.get(outcome.region_id)
        decisions.append(
            intake.TriageDecision(
                clue_id=pk,
                category=category,
                region=region,
                priority=_raised_priority(priority, outcome.suggested_priority),
                suggestions=outcome.summary(),
            )
        )
    refused: set[int] = set()
    for start in range(0, len(decisions), TRANSITIONS_PER_COMMIT):
        batch = intake.clue_triage_batch(
            actor=TRIAGE_ACTOR, decisions=decisions[start : start + TRANSITIONS_PER_COMMIT]
        )
        for pk, error in batch.errors.items():
            # Someone acted on the clue meanwhile: the suggestions stay for the operator.
            logger.info("分拣建议未自动应用于线索 %s：%s", pk, error.message)
        refused |= set(batch.errors)
    for pk in sorted(confident - refused):
        try:
            intake.clue_dispatch(clue_id=pk, actor=TRIAGE_ACTOR)
        except ClueError as error:  # routing refused, or the clue moved meanwhile
            logger.info("线索 %s 未能自动转办：%s", pk, error.message)


def clues_awaiting_triage(limit: int = 1000) -> list[int]:
    """Received clues with no finished triage (never run, lost, or failed and due)."""
    finished = TriageResult.objects.filter(
        status__in=[TriageStatus.DONE, TriageStatus.NEEDS_HUMAN]
    ).values("clue_id")
    return list(
        Clue.objects.filter(status=ClueStatus.RECEIVED)
        .exclude(pk__in=finished)
        .order_by("received_at")
        .values_list("pk", flat=True)[:limit]
    )
