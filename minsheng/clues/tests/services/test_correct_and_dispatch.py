"""The intake screen's single action: corrections, then dispatch, both or neither."""

from __future__ import annotations

import pytest

from minsheng.clues.errors import ClueError
from minsheng.clues.models import ClueEvent
from minsheng.clues.services import intake
from minsheng.clues.tests.conftest import World, receive
from minsheng.clues.workflow import Action, ClueStatus
from minsheng.directory.choices import Priority


@pytest.mark.django_db
def test_only_changed_fields_are_corrected_before_the_dispatch(world: World) -> None:
    clue = receive(world, category=None)
    intake.clue_correct_and_dispatch(
        clue_id=clue.pk,
        actor=world.actor("intake"),
        category=world.water_outage,
        region=world.district,  # unchanged
        priority=Priority.HIGH,
    )
    clue.refresh_from_db()
    assert clue.status == ClueStatus.DISPATCHED
    update = ClueEvent.objects.get(clue=clue, action=Action.UPDATE_DETAILS)
    assert set(update.payload["changes"]) == {"category", "priority"}


@pytest.mark.django_db
def test_without_changes_it_only_dispatches(world: World) -> None:
    clue = receive(world)
    intake.clue_correct_and_dispatch(clue_id=clue.pk, actor=world.actor("intake"))
    assert not ClueEvent.objects.filter(clue=clue, action=Action.UPDATE_DETAILS).exists()
    assert ClueEvent.objects.filter(clue=clue, action=Action.DISPATCH).count() == 1


@pytest.mark.django_db
def test_a_refused_dispatch_undoes_the_correction(world: World) -> None:
    clue = receive(world)
    with pytest.raises(ClueError):
        intake.clue_correct_and_dispatch(
            clue_id=clue.pk,
            actor=world.actor("intake"),
            priority=Priority.URGENT,
            lead_department=world.water_bureau,
            co_departments=[world.water_bureau],  # the lead cannot also co-handle
        )
    clue.refresh_from_db()
    assert (clue.status, clue.priority) == (ClueStatus.RECEIVED, Priority.NORMAL)
    assert not ClueEvent.objects.filter(clue=clue, action=Action.UPDATE_DETAILS).exists()
