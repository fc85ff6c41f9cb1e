"""Batch transitions: the same checks and chained events as one by one, in a few statements."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from minsheng.accounts.actors import Actor
from minsheng.clues.errors import ActionForbidden, ClueNotFound, TransitionNotAllowed
from minsheng.clues.models import Clue, ClueEvent
from minsheng.clues.services import intake
from minsheng.clues.services.events import verify_chain
from minsheng.clues.services.lifecycle import BatchItem, clue_transition_batch
from minsheng.clues.tests.conftest import World, receive
from minsheng.clues.workflow import Action, ClueStatus
from minsheng.directory.choices import Priority


def _system() -> Actor:
    return Actor.system("测试")


@pytest.mark.django_db
def test_a_batch_triage_writes_one_chained_event_per_clue(
    world: World, clue_in: Callable[..., Clue]
) -> None:
    # given two received clues and one already dispatched
    first, second = receive(world), receive(world, title="另一个问题")
    dispatched = clue_in(ClueStatus.DISPATCHED)

    # when the system triages all three in one batch, raising one clue's priority
    outcome = intake.clue_triage_batch(
        actor=_system(),
        decisions=[
            intake.TriageDecision(first.pk, priority=Priority.URGENT, suggestions={"p": 0.9}),
            intake.TriageDecision(second.pk),
            intake.TriageDecision(dispatched.pk),
        ],
    )

    # then the received ones moved, each with its event, and the other is left alone
    assert set(outcome.events) == {first.pk, second.pk}
    assert isinstance(outcome.errors[dispatched.pk], TransitionNotAllowed)
    for clue in (first, second):
        clue.refresh_from_db()
        assert clue.status == ClueStatus.TRIAGED
        events = list(ClueEvent.objects.filter(clue=clue).order_by("seq"))
        assert [event.action for event in events] == [Action.RECEIVE, Action.TRIAGE]
        assert verify_chain(clue, events) == []
        assert (clue.last_event_seq, clue.last_event_hash) == (2, events[-1].hash)
    assert first.priority == Priority.URGENT
    event = ClueEvent.objects.get(clue=first, action=Action.TRIAGE)
    assert event.payload["changes"]["priority"] == {"from": Priority.NORMAL, "to": Priority.URGENT}
    assert event.payload["suggestions"] == {"p": 0.9}
    assert second.priority == Priority.NORMAL
    dispatched.refresh_from_db()
    assert dispatched.status == ClueStatus.DISPATCHED


@pytest.mark.django_db
def test_a_batch_matches_one_by_one_event_for_event(world: World) -> None:
    # given two identical clues, one triaged alone and one in a batch
    alone, batched = receive(world), receive(world)
    actor = _system()
    intake.clue_triage(clue_id=alone.pk, actor=actor, suggestions={"x": 1})
    intake.clue_triage_batch(
        actor=actor, decisions=[intake.TriageDecision(batched.pk, suggestions={"x": 1})]
    )
    one = ClueEvent.objects.get(clue=alone, action=Action.TRIAGE)
    many = ClueEvent.objects.get(clue=batched, action=Action.TRIAGE)
    fields = ("action", "from_status", "to_status", "actor_role", "actor_name", "reason", "payload")
    assert [getattr(one, f) for f in fields] == [getattr(many, f) for f in fields]


@pytest.mark.django_db
def test_missing_clues_are_reported_not_raised(world: World) -> None:
    clue = receive(world)
    outcome = intake.clue_triage_batch(
        actor=_system(), decisions=[intake.TriageDecision(999_999), intake.TriageDecision(clue.pk)]
    )
    assert isinstance(outcome.errors[999_999], ClueNotFound)
    assert list(outcome.events) == [clue.pk]


@pytest.mark.django_db
def test_roles_are_checked_per_clue(world: World) -> None:
    clue = receive(world)
    outcome = clue_transition_batch(
        action=Action.TRIAGE, actor=world.actor("supervisor"), items=[BatchItem(clue.pk)]
    )
    assert isinstance(outcome.errors[clue.pk], ActionForbidden)
    clue.refresh_from_db()
    assert clue.status == ClueStatus.RECEIVED


@pytest.mark.django_db
def test_a_reason_is_required_where_the_table_says_so(
    world: World, clue_in: Callable[..., Clue]
) -> None:
    # given two dispatched clues; urging (催办) needs a message
    silent, urged = clue_in(ClueStatus.DISPATCHED), clue_in(ClueStatus.DISPATCHED)

    outcome = clue_transition_batch(
        action=Action.URGE,
        actor=world.actor("supervisor"),
        items=[BatchItem(silent.pk), BatchItem(urged.pk, reason="请于明日前签收。")],
    )

    assert outcome.errors[silent.pk].field == "reason"
    assert outcome.events[urged.pk].reason == "请于明日前签收。"
    assert ClueEvent.objects.filter(clue=silent, action=Action.URGE).count() == 0


@pytest.mark.django_db
def test_actions_that_move_deadlines_or_department_actors_are_refused(world: World) -> None:
    clue = receive(world)
    with pytest.raises(ValueError, match="batch"):
        clue_transition_batch(
            action=Action.DISPATCH, actor=world.actor("intake"), items=[BatchItem(clue.pk)]
        )
    with pytest.raises(ValueError, match="batch"):
        clue_transition_batch(
            action=Action.TRIAGE, actor=world.actor("handler"), items=[BatchItem(clue.pk)]
        )


@pytest.mark.django_db
def test_committed_batches_announce_each_clue(
    world: World, django_capture_on_commit_callbacks
) -> None:
    from minsheng.clues.signals import clue_transitioned

    clues = [receive(world, title=f"问题{n}") for n in range(3)]
    heard: list[tuple[int, str]] = []

    def listener(*, clue_id: int, action: str, **_kwargs: object) -> None:
        heard.append((clue_id, action))

    clue_transitioned.connect(listener, dispatch_uid="test-batch-listener")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            intake.clue_triage_batch(
                actor=_system(), decisions=[intake.TriageDecision(c.pk) for c in clues]
            )
    finally:
        clue_transitioned.disconnect(dispatch_uid="test-batch-listener")
    assert sorted(heard) == sorted((c.pk, Action.TRIAGE) for c in clues)


def _triage_queries(world: World, count: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clues = [receive(world) for _ in range(count)]
    decisions = [
        intake.TriageDecision(
            clue.pk, category=world.fire, region=world.other_district, priority=Priority.URGENT
        )
        for clue in clues
    ]
    with CaptureQueriesContext(connection) as captured:
        outcome = intake.clue_triage_batch(actor=_system(), decisions=decisions)
    assert set(outcome.events) == {clue.pk for clue in clues}
    for clue in clues:
        clue.refresh_from_db()
        assert (clue.category, clue.region, clue.priority) == (
            world.fire,
            world.other_district,
            Priority.URGENT,
        )
    return len(captured)


@pytest.mark.django_db
def test_a_batch_triage_loads_what_its_step_reads_and_no_field_later(world: World) -> None:
    # when one clue and then five are triaged with every correction the batch can make
    # then five cost no more statements than one: no field the step reads is left unloaded
    # (a deferred field read later would cost one query per clue)
    assert _triage_queries(world, 5) == _triage_queries(world, 1)
