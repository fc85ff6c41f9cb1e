"""Triage tests reuse the clue world (directory, users, `clue_in`)."""

from __future__ import annotations

import pytest
from django_tasks import default_task_backend

from minsheng.clues.tests.conftest import World, clue_in, world  # noqa: F401 (fixtures)
from minsheng.triage.engine import reset_engine
from minsheng.triage.registry import clear_model_cache


@pytest.fixture(autouse=True)
def _fresh_engine():
    reset_engine()
    clear_model_cache()
    yield
    reset_engine()
    clear_model_cache()


__all__ = ["World"]


DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def dummy_queue(settings):
    """A task backend that only records what was queued."""
    settings.TASKS = DUMMY_TASKS
    default_task_backend.clear()  # type: ignore[attr-defined]
    yield default_task_backend
    default_task_backend.clear()  # type: ignore[attr-defined]
