"""The tamper-evident event chain: immutability, verification, and detection of tampering."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from minsheng.clues.models import ClueEvent, ImmutableEventError
from minsheng.clues.services import intake, review
from minsheng.clues.services.events import hash_of, verify_all_chains, verify_chain
from minsheng.clues.tests.conftest import World, receive
from minsheng.testing.dbtriggers import drop_event_triggers


def _dispatched(world: World):
    clue = receive(world)
    intake.clue_dispatch(clue_id=clue.pk, actor=world.actor("intake"))
    clue.refresh_from_db()
    return clue


@pytest.mark.django_db
def test_each_event_links_to_the_previous_one(world: World) -> None:
    # given a clue with two events
    clue = _dispatched(world)
    first, second = clue.events.order_by("seq")
    # then the chain links them and the clue holds the head
    assert first.prev_hash == ""
    assert second.prev_hash == first.hash
    assert hash_of(second) == second.hash
    assert (clue.last_event_seq, clue.last_event_hash) == (2, second.hash)
    assert verify_chain(clue, clue.events.order_by("seq")) == []


@pytest.mark.django_db
def test_the_orm_refuses_to_change_or_delete_an_event(world: World) -> None:
    event = receive(world).events.get()
    event.reason = "changed"
    with pytest.raises(ImmutableEventError):
        event.save()
    with pytest.raises(ImmutableEventError):
        event.delete()


@pytest.mark.django_db
def test_the_database_refuses_an_update_behind_the_orm(world: World) -> None:
    event = receive(world).events.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        ClueEvent.objects.filter(pk=event.pk).update(reason="tampered")
    event.refresh_from_db()
    assert event.reason == ""


@pytest.mark.django_db
def test_altered_event_is_detected_and_named(world: World) -> None:
    # given an attacker who drops the triggers and rewrites a reason
    clue = _dispatched(world)
    drop_event_triggers(connection)
    ClueEvent.objects.filter(clue=clue, seq=2).update(reason="nothing happened")

    # when the chains are verified
    breaks = list(verify_all_chains())

    # then exactly that event is named as altered
    assert [(b.clue_id, b.seq) for b in breaks] == [(clue.pk, 2)]
    assert "altered" in breaks[0].problem
    assert clue.tracking_code in str(breaks[0])


@pytest.mark.django_db
def test_removed_last_event_is_detected_by_the_chain_head(world: World) -> None:
    clue = _dispatched(world)
    drop_event_triggers(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM clues_clueevent WHERE clue_id = %s AND seq = 2", [clue.pk])
    breaks = verify_chain(clue, clue.events.order_by("seq"))
    assert [b.seq for b in breaks] == [None]
    assert "chain head" in str(breaks[0])


@pytest.mark.django_db
def test_removed_middle_event_is_detected(world: World) -> None:
    clue = _dispatched(world)
    review.clue_urge(clue_id=clue.pk, actor=world.actor("supervisor"), message="请尽快签收")
    drop_event_triggers(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM clues_clueevent WHERE clue_id = %s AND seq = 2", [clue.pk])
    clue.refresh_from_db()
    breaks = verify_chain(clue, clue.events.order_by("seq"))
    assert {b.seq for b in breaks} == {3}
    assert any("missing" in b.problem for b in breaks)


@pytest.mark.django_db
def test_verify_command_reports_ok_and_broken_links(world: World, capsys) -> None:
    clue = _dispatched(world)
    call_command("verify_event_chains")
    assert "OK: 1 clue chain(s) verified" in capsys.readouterr().out

    drop_event_triggers(connection)
    ClueEvent.objects.filter(clue=clue, seq=1).update(payload={"channel": "api"})
    with pytest.raises(CommandError, match="1 broken link"):
        call_command("verify_event_chains")
    assert f"clue {clue.tracking_code}" in capsys.readouterr().err
    with pytest.raises(CommandError):
        call_command("verify_event_chains", clue=clue.tracking_code)
