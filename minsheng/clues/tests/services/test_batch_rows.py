"""The batch paths' statement writers: the same rows, hashes and signals as one by one."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from minsheng.accounts.actors import Actor
from minsheng.clues.models import Clue, ClueEvent
from minsheng.clues.services import lifecycle
from minsheng.clues.services.events import next_event, verify_chain
from minsheng.clues.services.lifecycle import BatchItem, clue_transition, clue_transition_batch
from minsheng.clues.signals import clue_transitioned
from minsheng.clues.tests.conftest import World, receive
from minsheng.clues.workflow import Action, ClueStatus

EVENT_FIELDS = [field.attname for field in ClueEvent._meta.concrete_fields if not field.primary_key]

# Chinese text, floats, nesting, and values JSON only knows after conversion (a tuple, a
# date, integer keys): the batch must store and hash them exactly as one by one does.
AWKWARD_PAYLOAD: dict[str, Any] = {
    "suggestions": {
        "categories": [{"id": 7, "label": "城乡建设", "p": 0.8125}, {"id": None, "p": 1e-05}],
        "urgency": ("停水", "老人"),
        "region": 3,
        "needs_human": False,
    },
    "seen_on": dt.date(2026, 11, 28),
    "by_rank": {1: "第一", 2: "第二"},
    "note": '引号"、反斜杠\\、换行\n与 emoji 🚰',
}


class _Rollback(Exception):
    pass


def _event_rows(event_id: int) -> tuple[Any, ...]:
    """The event's row as the database holds it (payload as its stored JSON value)."""
    event = ClueEvent.objects.get(pk=event_id)
    return tuple(getattr(event, name) for name in EVENT_FIELDS)


def _rolled_back(action: Callable[[], None]) -> None:
    """Run `action` in a transaction that is then rolled back."""
    with contextlib.suppress(_Rollback), transaction.atomic():
        action()
        raise _Rollback


def _written_alone(clue_id: int, *, at: dt.datetime, actor: Actor) -> tuple[Any, ...]:
    """The row one-by-one `clue_transition` writes (then rolled back)."""
    rows: list[tuple[Any, ...]] = []

    def transition() -> None:
        event = clue_transition(
            clue_id=clue_id, action=Action.TRIAGE, actor=actor, payload=AWKWARD_PAYLOAD, at=at
        )
        rows.append(_event_rows(event.pk))

    _rolled_back(transition)
    assert not ClueEvent.objects.filter(clue_id=clue_id, action=Action.TRIAGE).exists()
    return rows[0]


@pytest.mark.django_db
def test_a_batch_event_is_byte_identical_to_the_one_by_one_event(world: World) -> None:
    # given a received clue, and the event one-by-one triage would write for it at `at`
    clue = receive(world)
    actor, at = Actor.system("测试"), timezone.now()
    alone = _written_alone(clue.pk, at=at, actor=actor)

    # when the same clue is triaged in a batch at the same moment
    outcome = clue_transition_batch(
        action=Action.TRIAGE,
        actor=actor,
        items=[BatchItem(clue.pk, payload=AWKWARD_PAYLOAD)],
        at=at,
    )

    # then the stored event is the same, field for field, hash and payload included
    event = outcome.events[clue.pk]
    assert _event_rows(event.pk) == alone
    clue.refresh_from_db()
    assert (clue.last_event_seq, clue.last_event_hash) == (2, event.hash)
    assert verify_chain(clue, clue.events.order_by("seq")) == []


@pytest.mark.django_db
def test_each_returned_event_is_its_own_row(world: World) -> None:
    # given more clues than one INSERT statement holds on SQLite
    clues = [receive(world, title=f"问题{n}") for n in range(90)]

    # when they move in one batch
    outcome = clue_transition_batch(
        action=Action.TRIAGE,
        actor=Actor.system("测试"),
        items=[BatchItem(clue.pk, payload={"n": n}) for n, clue in enumerate(clues)],
    )

    # then every event in memory carries the pk of the row written for it
    stored = {event.pk: event for event in ClueEvent.objects.filter(action=Action.TRIAGE)}
    assert len(stored) == len(clues)
    for n, clue in enumerate(clues):
        event = outcome.events[clue.pk]
        assert not event._state.adding
        row = stored[event.pk]
        assert (row.clue_id, row.seq, row.hash, row.payload) == (clue.pk, 2, event.hash, {"n": n})


@pytest.mark.django_db
def test_events_written_in_a_batch_stay_immutable_in_the_database(world: World) -> None:
    clue = receive(world)
    outcome = clue_transition_batch(
        action=Action.TRIAGE, actor=Actor.system("测试"), items=[BatchItem(clue.pk)]
    )
    event = outcome.events[clue.pk]
    with pytest.raises(DatabaseError), transaction.atomic():
        ClueEvent.objects.filter(pk=event.pk).update(reason="tampered")
    event.refresh_from_db()
    assert event.reason == ""


@pytest.mark.django_db
def test_moved_clues_get_their_changed_fields_and_the_chain_head(world: World) -> None:
    # given two received clues, one of which the step re-prioritises
    urgent, plain = receive(world), receive(world, title="另一个问题")
    before = Clue.objects.get(pk=plain.pk).updated_at

    def raise_priority(context: lifecycle.TransitionContext) -> None:
        context.set(priority="urgent")

    # when both move in one batch
    outcome = clue_transition_batch(
        action=Action.TRIAGE,
        actor=Actor.system("测试"),
        items=[BatchItem(urgent.pk, step=raise_priority), BatchItem(plain.pk)],
    )

    # then each row has its status, its own head, and a fresh updated_at (auto_now)
    for clue in (urgent, plain):
        clue.refresh_from_db()
        assert clue.status == ClueStatus.TRIAGED
        assert clue.last_event_hash == outcome.events[clue.pk].hash
    assert urgent.priority == "urgent"
    assert plain.priority == "normal"
    assert plain.updated_at > before


@pytest.mark.django_db
def test_a_batch_announces_each_event_after_commit_and_not_on_rollback(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    clues = [receive(world, title=f"问题{n}") for n in range(3)]
    heard: list[dict[str, Any]] = []

    def listener(**kwargs: Any) -> None:
        heard.append(kwargs)

    outcomes: list[lifecycle.BatchOutcome] = []

    def batch() -> None:
        outcomes.append(
            clue_transition_batch(
                action=Action.TRIAGE,
                actor=Actor.system("测试"),
                items=[BatchItem(clue.pk) for clue in clues],
            )
        )

    clue_transitioned.connect(listener, dispatch_uid="test-batch-rows-listener")
    try:
        # when a batch is rolled back, nothing is announced
        with django_capture_on_commit_callbacks(execute=True) as rolled_back:
            _rolled_back(batch)
        assert (rolled_back, heard) == ([], [])

        # when a batch commits, each event is announced once, in order, after the commit
        with django_capture_on_commit_callbacks(execute=True):
            batch()
            assert heard == []
    finally:
        clue_transitioned.disconnect(dispatch_uid="test-batch-rows-listener")
    assert [message["clue_id"] for message in heard] == [clue.pk for clue in clues]
    for message in heard:
        assert message["event_id"] == outcomes[-1].events[message["clue_id"]].pk
        assert ClueEvent.objects.get(pk=message["event_id"]).clue_id == message["clue_id"]
        assert (message["action"], message["from_status"], message["to_status"]) == (
            Action.TRIAGE,
            ClueStatus.RECEIVED,
            ClueStatus.TRIAGED,
        )
        assert message["actor_role"] == "system"


@pytest.mark.django_db
def test_the_chain_hash_is_the_documented_encoding(world: World) -> None:
    # given a received clue and an event built for it with an awkward payload
    clue = receive(world)
    received = ClueEvent.objects.get(clue=clue)
    at = timezone.now()
    event = next_event(
        clue,
        action=Action.TRIAGE,
        actor=Actor.system("测试"),
        from_status=ClueStatus.RECEIVED,
        to_status=ClueStatus.TRIAGED,
        at=at,
        payload=AWKWARD_PAYLOAD,
    )

    # then the payload is its JSON round trip, and the hash the SHA-256 of the sorted,
    # compact, UTF-8 document (the form every stored chain was written in)
    payload = json.loads(json.dumps(AWKWARD_PAYLOAD, ensure_ascii=False, default=str))
    assert event.payload == payload
    document = {
        "clue": clue.pk,
        "seq": 2,
        "action": "triage",
        "from": "received",
        "to": "triaged",
        "actor": None,
        "role": "system",
        "name": "测试",
        "reason": "",
        "payload": payload,
        "at": at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "prev": received.hash,
    }
    encoded = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert event.hash == hashlib.sha256(encoded.encode("utf-8")).hexdigest()
