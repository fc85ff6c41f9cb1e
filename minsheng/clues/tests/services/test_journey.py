"""The whole journey of one clue through the services, as a smoke test of the lifecycle."""

from __future__ import annotations

import datetime as dt

import pytest

from minsheng.accounts.actors import Actor
from minsheng.clues.choices import AssignmentRole, AssignmentStatus, Outcome, Satisfaction
from minsheng.clues.models import Assignment
from minsheng.clues.services import citizen, handling, intake, review
from minsheng.clues.services.events import verify_chain
from minsheng.clues.tests.conftest import World, _report, receive
from minsheng.clues.workflow import Action, ClueStatus


@pytest.mark.django_db
def test_clue_travels_from_receipt_to_closure(world: World) -> None:
    # given a clue received on the web
    clue = receive(world)
    assert clue.status == ClueStatus.RECEIVED
    assert len(clue.tracking_code) == 16

    # when intake dispatches it by the responsibility list
    event = intake.clue_dispatch(clue_id=clue.pk, actor=world.actor("intake"))

    # then the water bureau leads, the district government co-handles, deadlines are set
    clue.refresh_from_db()
    assert clue.status == ClueStatus.DISPATCHED
    lead = Assignment.objects.get(clue=clue, role=AssignmentRole.LEAD)
    co = Assignment.objects.get(clue=clue, role=AssignmentRole.CO)
    assert lead.department == world.water_bureau
    assert co.department == world.district_gov
    assert event.payload["routing"] == "responsibility_list"
    assert event.payload["rule"] == lead.rule_id
    recorded_due = dt.date.fromisoformat(event.payload["deadlines"]["handle_due"]["to"])
    assert clue.handle_due == recorded_due == lead.handle_due
    handle_due = clue.handle_due

    # the departments work on it
    handling.clue_accept(clue_id=clue.pk, actor=world.actor("handler"))
    handling.clue_co_accept(clue_id=clue.pk, actor=world.actor("co_handler"))
    handling.clue_co_contribute(
        clue_id=clue.pk, actor=world.actor("co_handler"), contribution="街道已配合通知住户。"
    )
    _report(world, clue)
    review.clue_approve(clue_id=clue.pk, actor=world.actor("supervisor"))
    review.clue_answer(clue_id=clue.pk, actor=world.actor("intake"), answer="供水已恢复。")
    citizen.clue_rate(clue_id=clue.pk, actor=Actor.citizen(), satisfaction=Satisfaction.SATISFIED)
    review.clue_close(clue_id=clue.pk, actor=world.actor("intake"), outcome=Outcome.RESOLVED)

    # then it is closed, resolved, answered by the lead, and its chain verifies
    clue.refresh_from_db()
    assert clue.status == ClueStatus.CLOSED
    assert clue.outcome == Outcome.RESOLVED
    assert clue.answered_by == world.water_bureau
    co.refresh_from_db()
    assert co.status == AssignmentStatus.COMPLETED
    actions = list(clue.events.order_by("seq").values_list("action", flat=True))
    assert actions == [
        Action.RECEIVE,
        Action.DISPATCH,
        Action.ACCEPT,
        Action.CO_ACCEPT,
        Action.CO_CONTRIBUTE,
        Action.REPORT,
        Action.APPROVE,
        Action.ANSWER,
        Action.RATE,
        Action.CLOSE,
    ]
    assert verify_chain(clue, clue.events.order_by("seq")) == []
    # and the deadlines stay on record after closing, for timeliness statistics
    assert clue.handle_due == handle_due
