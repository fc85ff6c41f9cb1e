"""Deadlines at dispatch follow the SLA and the official calendar."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone as django_timezone

from minsheng.clues.services import intake
from minsheng.clues.services.deadlines import DeadlineState, deadline_state
from minsheng.clues.tests.conftest import World, receive
from minsheng.directory.choices import Priority
from minsheng.directory.models import SLAPolicy
from minsheng.workcal.services import add_working_days

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.mark.django_db
def test_dispatch_before_spring_festival_counts_only_working_days(world: World) -> None:
    # given a 5-working-day SLA for water outages
    SLAPolicy.objects.create(category=world.water, accept_days=1, handle_days=5)
    clue = receive(world)

    # when dispatched on Friday 2026-02-13, just before the Spring Festival holiday
    # (15–23 Feb off; Saturday 14 Feb and Saturday 28 Feb are adjusted working days)
    at = dt.datetime(2026, 2, 13, 10, 0, tzinfo=SHANGHAI)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(django_timezone, "now", lambda: at)
        intake.clue_dispatch(clue_id=clue.pk, actor=world.actor("intake"))

    # then acceptance is due on the working Saturday, and handling after the holiday
    clue.refresh_from_db()
    assert clue.accept_due == dt.date(2026, 2, 14)
    # 14 Feb (Sat, working), 24, 25, 26, 27 Feb
    assert clue.handle_due == dt.date(2026, 2, 27)


@pytest.mark.django_db
def test_urgent_priority_uses_its_own_sla(world: World) -> None:
    SLAPolicy.objects.create(category=world.water, accept_days=1, handle_days=10)
    SLAPolicy.objects.create(
        category=world.water, priority=Priority.URGENT, accept_days=0, handle_days=2
    )
    clue = receive(world, priority=Priority.URGENT)
    at = dt.datetime(2026, 9, 30, 9, 0, tzinfo=SHANGHAI)  # Wednesday before National Day
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(django_timezone, "now", lambda: at)
        intake.clue_dispatch(clue_id=clue.pk, actor=world.actor("intake"))
    clue.refresh_from_db()
    assert clue.accept_due == dt.date(2026, 9, 30)
    # the National Day holiday does not count
    assert clue.handle_due == add_working_days(dt.date(2026, 9, 30), 2)
    assert clue.handle_due > dt.date(2026, 10, 7)


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (dt.date(2026, 11, 2), DeadlineState.NORMAL),
        (dt.date(2026, 11, 6), DeadlineState.DUE_SOON),
        (dt.date(2026, 11, 10), DeadlineState.DUE_SOON),
        (dt.date(2026, 11, 11), DeadlineState.OVERDUE),
    ],
)
@pytest.mark.django_db
def test_deadline_state_warns_within_the_threshold(today: dt.date, state: DeadlineState) -> None:
    assert deadline_state(dt.date(2026, 11, 10), warn_days=2, today=today) == state
