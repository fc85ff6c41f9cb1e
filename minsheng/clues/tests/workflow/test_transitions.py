"""Every edge of the transition table, taken through the real services.

The parameters are built from `TRANSITIONS`, so an edge added to the table is exercised here
without editing this file (and `test_table` fails until the edge has a performer).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from minsheng.clues.models import Clue
from minsheng.clues.services.events import verify_chain
from minsheng.clues.tests.conftest import World
from minsheng.clues.tests.workflow.actions import (
    PREPARE,
    RECORDED_STEPS,
    REPRESENTATIVE,
    STATUS_CHANGING,
    actor_for,
    ordered,
    perform,
)
from minsheng.clues.workflow import TRANSITIONS, Action, ClueStatus

EDGES = [
    pytest.param(action, source, id=f"{action}-from-{source}")
    for action in STATUS_CHANGING
    for source in ordered(TRANSITIONS[action].sources)
]
STEPS = [
    pytest.param(action, source, id=f"{action}-in-{source}")
    for action in RECORDED_STEPS
    for source in ordered(TRANSITIONS[action].sources)
]


def _assert_chain_verifies(clue: Clue) -> None:
    assert verify_chain(clue, clue.events.order_by("seq")) == []


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "source"), EDGES)
def test_status_changing_edge(
    world: World, clue_in: Callable[..., Clue], action: Action, source: ClueStatus
) -> None:
    # given a clue in the edge's source status, and an actor allowed to take the action
    transition = TRANSITIONS[action]
    clue = clue_in(source)
    actor = actor_for(world, REPRESENTATIVE[action])
    events_before = clue.events.count()

    # when the action is taken through its service
    perform(action, world, clue, actor)

    # then the clue is in the edge's target status
    clue.refresh_from_db()
    assert clue.status == transition.target
    # and exactly one event records the move, by whom and in which role
    assert clue.events.count() == events_before + 1
    event = clue.events.order_by("-seq").first()
    assert event is not None
    assert event.action == action
    assert (event.from_status, event.to_status) == (source, transition.target)
    assert event.actor_role == actor.role
    assert event.actor_id == actor.user_id
    assert event.seq == clue.last_event_seq
    # and the event chain still verifies
    _assert_chain_verifies(clue)


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "source"), STEPS)
def test_recorded_step_leaves_status(
    world: World, clue_in: Callable[..., Clue], action: Action, source: ClueStatus
) -> None:
    # given a clue in a status where the step may be taken (prepared if the step needs it)
    clue = clue_in(source)
    actor = actor_for(world, REPRESENTATIVE[action])
    if action in PREPARE:
        PREPARE[action](world, clue, actor)
    events_before = clue.events.count()

    # when the step is taken
    perform(action, world, clue, actor)

    # then the status is unchanged, and one event records the step
    clue.refresh_from_db()
    assert clue.status == source
    assert clue.events.count() == events_before + 1
    event = clue.events.order_by("-seq").first()
    assert event is not None
    assert event.action == action
    assert event.from_status == event.to_status == source
    assert event.actor_role == actor.role
    _assert_chain_verifies(clue)


def test_every_edge_is_parametrized() -> None:
    # then the two lists cover the table: one case per (action, source) pair
    expected = sum(len(t.sources) for t in TRANSITIONS.values())
    assert len(EDGES) + len(STEPS) == expected
