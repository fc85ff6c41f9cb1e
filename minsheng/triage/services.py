"""Triage of clues: run the pipeline, store the suggestions, mark the clue triaged, and
(when enabled and confident) dispatch automatically. Failures are recorded and retried;
the clue itself is never blocked or lost."""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from minsheng.accounts.actors import Actor
from minsheng.clues.errors import ClueError
from minsheng.clues.models import Clue
from minsheng.clues.services import intake
from minsheng.clues.workflow import ClueStatus
from minsheng.directory.choices import Priority
from minsheng.directory.models import Category, Region
from minsheng.triage.engine import get_engine
from minsheng.triage.models import TriageResult, TriageStatus
from minsheng.triage.outcome import TriageOutcome

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Seconds before each retry: a passing fault (a locked database, a model being replaced)
# clears quickly; a persistent one stops after MAX_ATTEMPTS and alerts.
RETRY_DELAYS = (30, 120, 600, 3600)
PRIORITY_ORDER = [Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.URGENT]
TRIAGE_ACTOR = Actor.system("智能分拣")


def auto_dispatch_threshold() -> float | None:
    """Probability above which a clue is dispatched without an operator (None: never)."""
    value = settings.MINSHENG.get("AUTO_DISPATCH_THRESHOLD")
    return float(value) if value is not None else None


def triage_clue(*, clue_id: int) -> TriageResult | None:
    """Triage one clue and store the outcome. Never raises for a pipeline failure: the
    failure is recorded, retried later with back-off, and after MAX_ATTEMPTS the clue is
    left for human triage with an alert. Returns None if the clue no longer exists."""
    clue = Clue.objects.select_related("category", "region").filter(pk=clue_id).first()
    if clue is None:
        return None
    result, _created = TriageResult.objects.get_or_create(clue=clue)
    started = time.perf_counter()
    try:
        outcome = get_engine().run(clue)
    except Exception as error:  # any pipeline fault must not lose the clue
        return _record_failure(result, error)
    result.duration_ms = (time.perf_counter() - started) * 1000
    _store(result, outcome)
    _advance_clue(clue, outcome)
    return result


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


def _store(result: TriageResult, outcome: TriageOutcome) -> None:
    result.status = TriageStatus.NEEDS_HUMAN if outcome.needs_human else TriageStatus.DONE
    result.model_version_id = outcome.model_version_id
    result.categories = [
        {"category_id": s.category_id, "label": s.label, "probability": s.probability}
        for s in outcome.categories
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
    result.save()


def _raised_priority(current: str, suggested: str | None) -> str | None:
    """Urgency only ever raises a clue's priority; an operator may lower it."""
    if suggested is None or suggested not in PRIORITY_ORDER:
        return None
    if PRIORITY_ORDER.index(Priority(suggested)) > PRIORITY_ORDER.index(Priority(current)):
        return suggested
    return None


def _advance_clue(clue: Clue, outcome: TriageOutcome) -> None:
    """Mark a received clue triaged with the suggestions; dispatch it when allowed."""
    if clue.status != ClueStatus.RECEIVED:
        return
    top = outcome.categories[0] if outcome.categories else None
    threshold = auto_dispatch_threshold()
    confident = (
        threshold is not None
        and top is not None
        and top.category_id is not None
        and top.probability >= threshold
        and not outcome.needs_human
        and outcome.routing.get("lead") is not None
        and not outcome.routing.get("conflict")
    )
    category_id = top.category_id if top is not None else None
    category = (
        Category.objects.filter(pk=category_id).first()
        if confident and category_id is not None and clue.category_id is None
        else None
    )
    region_id = outcome.region_id
    region = (
        Region.objects.filter(pk=region_id).first()
        if region_id is not None and clue.region_id is None and confident
        else None
    )
    try:
        intake.clue_triage(
            clue_id=clue.pk,
            actor=TRIAGE_ACTOR,
            category=category,
            region=region,
            priority=_raised_priority(clue.priority, outcome.suggested_priority),
            suggestions=outcome.summary(),
        )
        if confident:
            intake.clue_dispatch(clue_id=clue.pk, actor=TRIAGE_ACTOR)
    except ClueError as error:
        # Someone acted on the clue meanwhile, or routing refused: the suggestions stay.
        logger.info("分拣建议未自动应用于线索 %s：%s", clue.pk, error.message)


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
