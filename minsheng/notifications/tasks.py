"""Background tasks (Django tasks API): fetch by id and call the service."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from minsheng.notifications import services


@task()
def send_message_task(message_id: int) -> None:
    services.message_send(message_id=message_id)


def can_defer() -> bool:
    """Whether the task backend can hold a task until a later time (the immediate one can't)."""
    return bool(send_message_task.get_backend().supports_defer)


def enqueue_send(message_id: int, *, run_after: dt.datetime | None = None) -> None:
    """Queue the sending of a message (after commit, by the callers), optionally not before
    a time; the task carries only the id, never the text."""
    queued = send_message_task.using(run_after=run_after) if run_after else send_message_task
    queued.enqueue(message_id)
