"""Background tasks (Django tasks API): fetch by id and call the service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django_tasks import task

from minsheng.triage import services

# Clues per batch task: large enough that the per-batch work (one classifier call, one
# query per step) is amortised, small enough that a retry of a failed batch is cheap.
BATCH_SIZE = 500


@task()
def triage_clue_task(clue_id: int) -> None:
    services.triage_clue(clue_id=clue_id)


@task()
def triage_batch_task(clue_ids: list[int]) -> None:
    services.triage_clues(clue_ids=clue_ids)


def enqueue_triage(clue_id: int, *, run_after: dt.datetime | None = None) -> None:
    """Queue triage of a clue (after commit, by the callers), optionally not before a time."""
    queued = triage_clue_task.using(run_after=run_after) if run_after else triage_clue_task
    queued.enqueue(clue_id)


def enqueue_triage_batches(clue_ids: Sequence[int], *, batch_size: int = BATCH_SIZE) -> int:
    """Queue triage of many clues (an import) as batch tasks; returns the number queued."""
    ids = list(clue_ids)
    for start in range(0, len(ids), batch_size):
        triage_batch_task.enqueue(ids[start : start + batch_size])
    return (len(ids) + batch_size - 1) // batch_size
