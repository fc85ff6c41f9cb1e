"""Reactions to committed clue changes: queue triage for each new clue (in batches for an
import), and keep each operator correction as a training label."""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver

from minsheng.accounts.roles import Role
from minsheng.clues.signals import clue_transitioned, clues_imported
from minsheng.clues.workflow import Action

logger = logging.getLogger(__name__)


@receiver(clue_transitioned, dispatch_uid="triage_new_clues")
def queue_triage_for_new_clue(*, clue_id: int, action: str, **_kwargs: Any) -> None:
    """A failure to queue is logged, not raised: the sweeper (`triage_pending`) finds the
    clue again, so an accepted clue is never lost because the queue was unavailable."""
    if action != Action.RECEIVE:
        return
    from minsheng.triage.tasks import enqueue_triage

    try:
        enqueue_triage(clue_id)
    except Exception:  # a full queue must not fail the request
        logger.exception("线索 %s 的智能分拣未能入队，将由 triage_pending 补排。", clue_id)


@receiver(clues_imported, dispatch_uid="triage_imported_clues")
def queue_triage_for_imported_clues(*, clue_ids: list[int], **_kwargs: Any) -> None:
    """An imported batch is triaged as a batch; if queueing fails, `triage_pending` (the
    sweeper) finds the clues again."""
    from minsheng.triage.tasks import enqueue_triage_batches

    try:
        enqueue_triage_batches(clue_ids)
    except Exception:  # the import itself has committed and must not fail here
        logger.exception(
            "%s 条导入线索的智能分拣未能入队，将由 triage_pending 补排。", len(clue_ids)
        )


LABELLING_ACTIONS = frozenset(
    {Action.TRIAGE, Action.UPDATE_DETAILS, Action.DISPATCH, Action.LINK, Action.MERGE}
)


@receiver(clue_transitioned, dispatch_uid="triage_learn_from_operators")
def learn_from_operator(
    *, event_id: int, action: str, actor_role: str | None = None, **_kwargs: Any
) -> None:
    """Keep each human correction as a training label (the system's own steps teach
    nothing, so they cost no query)."""
    if action not in LABELLING_ACTIONS or actor_role == Role.SYSTEM:
        return
    from minsheng.clues.models import ClueEvent
    from minsheng.triage.labels import record_labels

    event = ClueEvent.objects.filter(pk=event_id).first()
    if event is not None:
        record_labels(event)
