"""Automatic dispatch: off by default; when enabled, only for a confident, clearly routed clue."""

from __future__ import annotations

import pytest

from minsheng.clues.choices import AssignmentRole
from minsheng.clues.tests.conftest import World, receive
from minsheng.clues.workflow import Action, ClueStatus
from minsheng.triage import engine as engine_module
from minsheng.triage import services
from minsheng.triage.models import ModelVersion


class ConfidentModel:
    """A stand-in for a trained model that is sure the clue is about water supply."""

    def __init__(self, probability: float) -> None:
        self.probability = probability

    def predict_top(self, texts, k=3):
        rest = (1 - self.probability) / 2
        return [[("供水", self.probability), ("消防安全", rest), ("交通运输", rest)]] * len(texts)


@pytest.fixture
def model_says_water(monkeypatch, db):
    def install(probability: float) -> None:
        version = ModelVersion.objects.create(kind="category", version=1, path="x", is_active=True)
        monkeypatch.setattr(
            "minsheng.triage.engine.active_model",
            lambda kind: (version, ConfidentModel(probability)) if kind == "category" else None,
        )
        engine_module.reset_engine()

    return install


@pytest.mark.django_db
def test_by_default_even_a_confident_clue_waits_for_intake(world: World, model_says_water) -> None:
    model_says_water(0.97)
    clue = receive(world, category=None)
    result = services.triage_clue(clue_id=clue.pk)
    assert result is not None
    assert result.categories[0]["category_id"] == world.water.pk
    clue.refresh_from_db()
    assert clue.status == ClueStatus.TRIAGED
    assert clue.category is None  # suggestions never change the clue by themselves


@pytest.mark.django_db
def test_a_confident_clearly_routed_clue_is_dispatched_when_enabled(
    world: World, model_says_water, settings
) -> None:
    settings.MINSHENG = {**settings.MINSHENG, "AUTO_DISPATCH_THRESHOLD": 0.9}
    model_says_water(0.97)
    clue = receive(world, category=None)

    services.triage_clue(clue_id=clue.pk)

    clue.refresh_from_db()
    assert clue.status == ClueStatus.DISPATCHED
    assert clue.category == world.water
    lead = clue.assignments.get(role=AssignmentRole.LEAD)
    assert lead.department == world.water_bureau
    dispatch = clue.events.get(action=Action.DISPATCH)
    assert dispatch.actor_role == "system"
    assert dispatch.payload["routing"] == "responsibility_list"


@pytest.mark.django_db
def test_below_the_threshold_the_clue_waits(world: World, model_says_water, settings) -> None:
    settings.MINSHENG = {**settings.MINSHENG, "AUTO_DISPATCH_THRESHOLD": 0.9}
    model_says_water(0.7)
    clue = receive(world, category=None)
    result = services.triage_clue(clue_id=clue.pk)
    assert result is not None
    assert result.confidence == pytest.approx(0.7)
    clue.refresh_from_db()
    assert clue.status == ClueStatus.TRIAGED
