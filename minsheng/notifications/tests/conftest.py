"""Notification tests: the clue world, a task queue that only records, SMS written to files."""

from __future__ import annotations

import pytest
from django_tasks import default_task_backend

from minsheng.clues.tests.conftest import World, clue_in, receive, world  # noqa: F401 (fixtures)

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SECRET = "K7QX2M9P"

__all__ = ["World", "receive"]


@pytest.fixture
def dummy_queue(settings):
    """A task backend that only records what was queued."""
    settings.TASKS = DUMMY_TASKS
    default_task_backend.clear()  # type: ignore[attr-defined]
    yield default_task_backend
    default_task_backend.clear()  # type: ignore[attr-defined]


@pytest.fixture
def immediate_queue(settings):
    """The real task path, run in the caller (as TASKS_BACKEND=immediate does)."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def sms_files(settings, tmp_path):
    """SMS go to the file backend in this test's own data directory; returns the folder."""
    settings.DATA_DIR = tmp_path
    settings.MINSHENG = {**settings.MINSHENG, "SMS_BACKEND": "file"}
    return tmp_path / "sms"


class BrokenSmsBackend:
    """A gateway that is down: every send raises."""

    available = True
    calls = 0

    def send(self, outgoing) -> None:
        BrokenSmsBackend.calls += 1
        raise ConnectionError("gateway timed out")


@pytest.fixture
def broken_sms(settings):
    BrokenSmsBackend.calls = 0
    settings.MINSHENG = {
        **settings.MINSHENG,
        "SMS_BACKEND": "minsheng.notifications.tests.conftest.BrokenSmsBackend",
    }
    return BrokenSmsBackend
