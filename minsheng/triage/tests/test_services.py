"""Triage of one clue: stored suggestions, the clue marked triaged, failures retried."""

from __future__ import annotations

import logging

import pytest

from minsheng.clues.tests.conftest import World, receive
from minsheng.clues.workflow import Action, ClueStatus
from minsheng.triage import engine as engine_module
from minsheng.triage import services
from minsheng.triage.models import TriageResult, TriageStatus


@pytest.mark.django_db
def test_a_new_clue_is_queued_for_triage_after_commit(
    world: World, dummy_queue, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        clue = receive(world)
    queued = list(dummy_queue.results)
    assert [result.args for result in queued] == [[clue.pk]]
    assert queued[0].task.name == "triage_clue_task"


@pytest.mark.django_db
def test_without_a_model_the_clue_waits_for_a_human_with_routing_suggested(world: World) -> None:
    # given a clue with a category and region, and no trained model
    clue = receive(world)

    # when triaged
    result = services.triage_clue(clue_id=clue.pk)

    # then it needs a human, the routing suggestion names the rule, and the clue is triaged
    assert result is not None
    assert result.status == TriageStatus.NEEDS_HUMAN
    assert result.routing["lead"] == world.water_bureau.pk
    assert "责任清单" in result.routing["explanation"]
    assert any("分类模型" in note for note in result.notes)
    clue.refresh_from_db()
    assert clue.status == ClueStatus.TRIAGED
    event = clue.events.get(action=Action.TRIAGE)
    assert event.actor_role == "system"
    assert event.payload["suggestions"]["needs_human"] is True


@pytest.mark.django_db
def test_same_text_again_is_flagged_as_an_exact_duplicate(world: World) -> None:
    first = receive(world)
    again = receive(world, reported_at=first.reported_at)
    result = services.triage_clue(clue_id=again.pk)
    assert result is not None
    assert [d["clue_id"] for d in result.duplicates] == [first.pk]
    assert result.duplicates[0]["exact"] is True


@pytest.mark.django_db
def test_a_failing_pipeline_is_recorded_and_retried_then_left_to_a_human(
    world: World, monkeypatch, dummy_queue, django_capture_on_commit_callbacks, caplog
) -> None:
    # given a pipeline that fails every time
    def broken(self, clues):
        raise RuntimeError("model file locked")

    monkeypatch.setattr(engine_module.TriageEngine, "analyse", broken)
    clue = receive(world)

    # when triage runs: the failure is stored and a delayed retry queued
    with django_capture_on_commit_callbacks(execute=True):
        result = services.triage_clue(clue_id=clue.pk)
    assert result is not None
    assert (result.status, result.attempts) == (TriageStatus.FAILED, 1)
    assert "model file locked" in result.last_error
    retries = [r for r in dummy_queue.results if r.args == [clue.pk]]
    assert len(retries) == 1
    assert retries[0].task.run_after is not None

    # and after the last attempt it is left for human triage with an alert
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        for _ in range(services.MAX_ATTEMPTS - 1):
            result = services.triage_clue(clue_id=clue.pk)
    assert result is not None
    assert result.status == TriageStatus.NEEDS_HUMAN
    assert any("转人工分拣" in record.getMessage() for record in caplog.records)
    clue.refresh_from_db()
    assert clue.status == ClueStatus.RECEIVED  # nothing lost, nothing changed
    assert services.clues_awaiting_triage() == []


@pytest.mark.django_db
def test_clues_awaiting_triage_lists_received_clues_without_finished_triage(world: World) -> None:
    waiting, done = receive(world), receive(world, title="另一个问题")
    services.triage_clue(clue_id=done.pk)
    assert services.clues_awaiting_triage() == [waiting.pk]
    assert TriageResult.objects.filter(clue=waiting).count() == 0
