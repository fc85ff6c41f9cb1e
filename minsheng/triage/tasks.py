"""Background tasks (Django tasks API): fetch by id and call the service."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from minsheng.triage import services


@task()
def triage_clue_task(clue_id: int) -> None:
    services.triage_clue(clue_id=clue_id)


def enqueue_triage(clue_id: int, *, run_after: dt.datetime | None = None) -> None:
    """Queue triage of a clue (after commit, by the callers), optionally not before a time."""
    queued = triage_clue_task.using(run_after=run_after) if run_after else triage_clue_task
    queued.enqueue(clue_id)
