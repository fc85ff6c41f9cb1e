"""Reactions to committed clue changes: queue triage for each new clue, and keep each
operator correction as a training label."""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver

from minsheng.clues.signals import clue_transitioned
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


LABELLING_ACTIONS = frozenset(
    {Action.TRIAGE, Action.UPDATE_DETAILS, Action.DISPATCH, Action.LINK, Action.MERGE}
)


@receiver(clue_transitioned, dispatch_uid="triage_learn_from_operators")
def learn_from_operator(*, event_id: int, action: str, **_kwargs: Any) -> None:
    """Keep each human correction as a training label."""
    if action not in LABELLING_ACTIONS:
        return
    from minsheng.clues.models import ClueEvent
    from minsheng.triage.labels import record_labels

    event = ClueEvent.objects.filter(pk=event_id).first()
    if event is not None:
        record_labels(event)
