"""Triage tests reuse the clue world (directory, users, `clue_in`)."""

from __future__ import annotations

import pytest

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
