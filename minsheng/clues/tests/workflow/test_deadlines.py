"""What transitions do to deadlines: extensions, pauses for the citizen, rework."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings as django_settings

from minsheng.accounts.actors import Actor
from minsheng.clues.choices import AssignmentRole
from minsheng.clues.errors import ClueValidationError
from minsheng.clues.models import Assignment, Clue
from minsheng.clues.services import citizen, handling, intake, review
from minsheng.clues.tests.conftest import World, _report, receive
from minsheng.clues.tests.workflow.conftest import Clock
from minsheng.clues.workflow import Action, ClueStatus
from minsheng.directory.models import SLAPolicy
from minsheng.workcal.services import add_working_days, working_days_between

S = ClueStatus


def _lead(clue: Clue) -> Assignment:
    return clue.assignments.filter(role=AssignmentRole.LEAD).latest("dispatched_at", "pk")


def _request_extension(world: World, clue: Clue, days: int) -> None:
    handling.clue_request_extension(
        clue_id=clue.pk, actor=world.actor("handler"), days=days, reason="需协调施工单位"
    )


def _approve(world: World, clue: Clue, days: int | None = None) -> None:
    handling.clue_decide_extension(
        clue_id=clue.pk, actor=world.actor("supervisor"), approve=True, days=days
    )


def _default_extension_limit() -> int:
    return int(django_settings.MINSHENG["DEFAULT_EXTENSION_LIMIT_DAYS"])


# --- Extensions -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("requested", "granted_arg", "granted"),
    [
        pytest.param(5, None, 5, id="as-requested"),
        pytest.param(5, 3, 3, id="partial-grant"),
        pytest.param(15, None, 15, id="up-to-the-limit"),
    ],
)
def test_approved_extension_moves_handle_due_by_the_granted_working_days(
    world: World,
    clue_in: Callable[..., Clue],
    requested: int,
    granted_arg: int | None,
    granted: int,
) -> None:
    # given an accepted clue whose lead asks for more working days
    clue = clue_in(S.ACCEPTED)
    due_before = clue.handle_due
    assert due_before is not None
    _request_extension(world, clue, requested)

    # when a supervisor grants them (or fewer)
    event = handling.clue_decide_extension(
        clue_id=clue.pk, actor=world.actor("supervisor"), approve=True, days=granted_arg
    )

    # then the handle deadline moves by exactly the granted working days
    clue.refresh_from_db()
    assert clue.status == S.ACCEPTED
    assert clue.handle_due == add_working_days(due_before, granted)
    assert clue.extension_days == granted
    assert _lead(clue).handle_due == clue.handle_due
    # and the event records what was asked and what was given
    assert event.payload["requested_days"] == requested
    assert event.payload["granted_days"] == granted
    assert event.payload["extension_days"] == granted
    assert event.payload["deadlines"]["handle_due"] == {
        "from": due_before.isoformat(),
        "to": clue.handle_due.isoformat(),
    }


@pytest.mark.django_db
def test_extension_beyond_the_default_limit_is_refused(
    world: World, clue_in: Callable[..., Clue]
) -> None:
    # given the default limit from settings (no SLA policy matches the clue)
    limit = _default_extension_limit()
    clue = clue_in(S.ACCEPTED)
    due_before = clue.handle_due
    assert due_before is not None
    _request_extension(world, clue, limit + 1)
    events_before = clue.events.count()

    # when a supervisor grants one day more than the limit
    with pytest.raises(ClueValidationError) as refused:
        _approve(world, clue)

    # then it is refused, and nothing moved
    assert refused.value.field == "days"
    clue.refresh_from_db()
    assert clue.status == S.EXTENSION_REQUESTED
    assert clue.handle_due == due_before
    assert clue.extension_days == 0
    assert clue.events.count() == events_before

    # and granting exactly the limit is allowed
    _approve(world, clue, days=limit)
    clue.refresh_from_db()
    assert clue.handle_due == add_working_days(due_before, limit)


@pytest.mark.django_db
def test_extensions_are_limited_in_total(world: World, clue_in: Callable[..., Clue]) -> None:
    # given a clue already extended by 10 of its 15 working days
    limit = _default_extension_limit()
    clue = clue_in(S.ACCEPTED)
    _request_extension(world, clue, 10)
    _approve(world, clue)
    clue.refresh_from_db()
    due_after_first = clue.handle_due
    assert due_after_first is not None

    # when a second extension would pass the limit
    _request_extension(world, clue, limit - 10 + 1)
    with pytest.raises(ClueValidationError) as refused:
        _approve(world, clue)

    # then it is refused, saying how much was already granted
    assert refused.value.field == "days"
    assert "10" in refused.value.message
    # and what remains of the limit can still be granted
    _approve(world, clue, days=limit - 10)
    clue.refresh_from_db()
    assert clue.extension_days == limit
    assert clue.handle_due == add_working_days(due_after_first, limit - 10)


@pytest.mark.django_db
def test_extension_limit_follows_settings(
    world: World, clue_in: Callable[..., Clue], settings: Any
) -> None:
    # given a deployment that allows 2 working days of extension
    settings.MINSHENG = {**settings.MINSHENG, "DEFAULT_EXTENSION_LIMIT_DAYS": 2}
    clue = clue_in(S.ACCEPTED)
    _request_extension(world, clue, 3)

    # when 3 are granted, then it is refused
    with pytest.raises(ClueValidationError):
        _approve(world, clue)
    # and 2 are fine
    _approve(world, clue, days=2)


@pytest.mark.django_db
def test_extension_limit_follows_the_sla_policy(world: World, clue_in: Callable[..., Clue]) -> None:
    # given an SLA policy for water that allows 3 working days of extension
    SLAPolicy.objects.create(
        category=world.water, accept_days=1, handle_days=10, extension_limit_days=3
    )
    clue = clue_in(S.ACCEPTED)
    _request_extension(world, clue, 4)

    # when 4 are granted, then it is refused; 3 are fine
    with pytest.raises(ClueValidationError):
        _approve(world, clue)
    _approve(world, clue, days=3)


@pytest.mark.django_db
@pytest.mark.parametrize("days", [0, -1])
def test_extension_of_no_days_cannot_be_granted(
    world: World, clue_in: Callable[..., Clue], days: int
) -> None:
    clue = clue_in(S.EXTENSION_REQUESTED)
    with pytest.raises(ClueValidationError) as refused:
        _approve(world, clue, days=days)
    assert refused.value.field == "days"
    clue.refresh_from_db()
    assert clue.status == S.EXTENSION_REQUESTED


@pytest.mark.django_db
@pytest.mark.parametrize("days", [0, -3, handling.MAX_EXTENSION_REQUEST_DAYS + 1])
def test_extension_request_needs_a_sensible_number_of_days(
    world: World, clue_in: Callable[..., Clue], days: int
) -> None:
    # given an accepted clue, when the lead asks for an impossible number of days
    clue = clue_in(S.ACCEPTED)
    with pytest.raises(ClueValidationError) as refused:
        _request_extension(world, clue, days)
    # then it is refused before anything is recorded
    assert refused.value.field == "days"
    clue.refresh_from_db()
    assert clue.status == S.ACCEPTED
    assert not clue.events.filter(action=Action.REQUEST_EXTENSION).exists()


@pytest.mark.django_db
def test_a_reviewer_cannot_grant_more_days_than_requested(
    world: World, clue_in: Callable[..., Clue]
) -> None:
    # given a lead that asked for 5 working days
    clue = clue_in(S.EXTENSION_REQUESTED)
    assert clue.events.filter(action=Action.REQUEST_EXTENSION).get().payload["days"] == 5

    # when the reviewer "grants" 12, then that is refused: granting is at most what was asked
    with pytest.raises(ClueValidationError):
        _approve(world, clue, days=12)


@pytest.mark.django_db
def test_denied_extension_leaves_the_deadline(world: World, clue_in: Callable[..., Clue]) -> None:
    # given a requested extension
    clue = clue_in(S.EXTENSION_REQUESTED)
    due_before = clue.handle_due

    # when the supervisor denies it
    event = handling.clue_decide_extension(
        clue_id=clue.pk, actor=world.actor("supervisor"), approve=False, reason="理由不充分"
    )

    # then work goes on against the same deadline
    clue.refresh_from_db()
    assert clue.status == S.ACCEPTED
    assert clue.handle_due == due_before
    assert clue.extension_days == 0
    assert event.action == Action.DENY_EXTENSION
    assert "deadlines" not in event.payload


# --- Pauses while waiting for the citizen ---------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("resume_with", [Action.SUPPLY_INFO, Action.RESUME])
def test_pause_over_the_spring_festival_adds_the_working_days_paused(
    world: World, clock: Clock, resume_with: Action
) -> None:
    # given a clue dispatched and accepted on Monday 2026-02-09
    clock.set(2026, 2, 9, 9)
    clue = receive(world)
    intake.clue_dispatch(clue_id=clue.pk, actor=world.actor("intake"))
    handling.clue_accept(clue_id=clue.pk, actor=world.actor("handler"))
    clue.refresh_from_db()
    due_before = clue.handle_due
    assert due_before == add_working_days(dt.date(2026, 2, 9), 15)

    # when the department asks the citizen on Friday 13 February, before the holiday
    paused_at = clock.set(2026, 2, 13, 10)
    asked = handling.clue_request_info(
        clue_id=clue.pk, actor=world.actor("handler"), question="请提供具体楼栋号"
    )
    # then the clock stops, and the event says when
    assert dt.datetime.fromisoformat(asked.payload["paused_at"]) == paused_at
    clue.refresh_from_db()
    assert clue.paused_since == paused_at
    assert clue.handle_due == due_before

    # when work resumes on Tuesday 24 February, after the holiday (15–23 Feb)
    clock.set(2026, 2, 24, 10)
    if resume_with is Action.SUPPLY_INFO:
        resumed = citizen.clue_supply_info(clue_id=clue.pk, actor=Actor.citizen(), text="3栋")
    else:
        resumed = handling.clue_resume(
            clue_id=clue.pk, actor=world.actor("handler"), reason="群众未答复，按现有材料办理"
        )

    # then the working days paused are counted by the official calendar: the adjusted
    # working Saturday 14 Feb, and the 24th; the holiday week itself counts nothing
    paused = working_days_between(dt.date(2026, 2, 13), dt.date(2026, 2, 24))
    assert paused == 2
    assert resumed.payload["paused_working_days"] == paused
    assert resumed.payload["paused_at"] == asked.payload["paused_at"]
    # and the handle deadline moves by exactly those working days
    clue.refresh_from_db()
    assert clue.status == S.ACCEPTED
    assert clue.paused_since is None
    assert clue.paused_working_days == paused
    assert clue.handle_due == add_working_days(due_before, paused)
    assert _lead(clue).handle_due == clue.handle_due


@pytest.mark.django_db
def test_pause_resumed_the_same_day_moves_nothing(
    world: World, clue_in: Callable[..., Clue]
) -> None:
    # given a clue waiting for the citizen since today
    clue = clue_in(S.AWAITING_INFO)
    due_before = clue.handle_due
    assert clue.paused_since is not None

    # when the citizen answers the same day
    event = citizen.clue_supply_info(clue_id=clue.pk, actor=Actor.citizen(), text="3栋2单元")

    # then no working day was lost, and the deadline stands
    assert event.payload["paused_working_days"] == 0
    assert "paused_at" in event.payload
    clue.refresh_from_db()
    assert clue.handle_due == due_before
    assert clue.paused_since is None


@pytest.mark.django_db
def test_pauses_add_up(world: World, clock: Clock) -> None:
    # given a clue accepted on Monday 2026-03-02
    clock.set(2026, 3, 2)
    clue = receive(world)
    intake.clue_dispatch(clue_id=clue.pk, actor=world.actor("intake"))
    handling.clue_accept(clue_id=clue.pk, actor=world.actor("handler"))
    clue.refresh_from_db()
    due_before = clue.handle_due
    assert due_before is not None

    # when it waits for the citizen twice: Tue→Thu (2 days) and the next Mon→Wed (2 days)
    for start, end in [((2026, 3, 3), (2026, 3, 5)), ((2026, 3, 9), (2026, 3, 11))]:
        clock.set(*start)
        handling.clue_request_info(clue_id=clue.pk, actor=world.actor("handler"), question="?")
        clock.set(*end)
        citizen.clue_supply_info(clue_id=clue.pk, actor=Actor.citizen(), text="补充")

    # then both pauses count
    clue.refresh_from_db()
    assert clue.paused_working_days == 4
    assert clue.handle_due == add_working_days(due_before, 4)


@pytest.mark.django_db
def test_ending_a_paused_clue_closes_the_pause(world: World, clock: Clock) -> None:
    # given a clue paused on Monday 2026-03-02
    clock.set(2026, 3, 2)
    clue = receive(world)
    intake.clue_dispatch(clue_id=clue.pk, actor=world.actor("intake"))
    handling.clue_accept(clue_id=clue.pk, actor=world.actor("handler"))
    handling.clue_request_info(clue_id=clue.pk, actor=world.actor("handler"), question="?")
    clue.refresh_from_db()
    due_before = clue.handle_due

    # when the citizen withdraws it on Thursday
    clock.set(2026, 3, 5)
    event = citizen.clue_withdraw(clue_id=clue.pk, actor=Actor.citizen(), reason="已解决")

    # then the pause is recorded and closed; the deadline stays on record
    assert event.payload["paused_working_days"] == 3
    clue.refresh_from_db()
    assert clue.status == S.WITHDRAWN
    assert clue.paused_since is None
    assert clue.paused_working_days == 3
    assert clue.handle_due == due_before


# --- Rework after a send-back ---------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "working_days_later",
    [
        pytest.param(1, id="deadline-far-stays"),
        pytest.param(14, id="deadline-near-becomes-rework-days"),
        pytest.param(30, id="overdue-becomes-rework-days"),
    ],
)
def test_send_back_gives_at_least_the_rework_days(
    world: World, clock: Clock, working_days_later: int
) -> None:
    # given a clue dispatched on Monday 2026-03-02 and reported
    clock.set(2026, 3, 2)
    clue = receive(world)
    intake.clue_dispatch(clue_id=clue.pk, actor=world.actor("intake"))
    handling.clue_accept(clue_id=clue.pk, actor=world.actor("handler"))
    _report(world, clue)
    clue.refresh_from_db()
    due_before = clue.handle_due
    assert due_before is not None

    # when the supervisor sends it back some working days later
    today = add_working_days(dt.date(2026, 3, 2), working_days_later)
    clock.set(today.year, today.month, today.day)
    review.clue_send_back(clue_id=clue.pk, actor=world.actor("supervisor"), reason="核查不充分")

    # then the lead has at least the SLA's rework days from today (never less than before)
    rework_days = int(django_settings.MINSHENG["DEFAULT_REWORK_DAYS"])
    rework_due = add_working_days(today, rework_days)
    clue.refresh_from_db()
    assert clue.status == S.SENT_BACK
    assert clue.handle_due == max(due_before, rework_due)
    assert clue.handle_due >= rework_due
    assert clue.send_back_count == 1
    lead = _lead(clue)
    assert lead.status == "accepted"
    assert lead.handle_due == clue.handle_due
