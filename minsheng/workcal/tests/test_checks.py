"""The system check warns when this year or next has no working-calendar data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.checks import Tags, run_checks
from django.utils import timezone as django_timezone

from minsheng.workcal.checks import calendar_coverage_messages, check_calendar_coverage
from minsheng.workcal.tests.factories import CalendarDayFactory

pytestmark = pytest.mark.django_db


def freeze_today(monkeypatch: pytest.MonkeyPatch, today: dt.date) -> None:
    monkeypatch.setattr(django_timezone, "localdate", lambda *args, **kwargs: today)


def test_uncovered_year_gives_w001(fallback_year):
    # when
    messages = calendar_coverage_messages([fallback_year])
    # then
    assert [message.id for message in messages] == ["minsheng.W001"]
    assert str(fallback_year) in messages[0].msg


def test_covered_years_give_nothing():
    assert calendar_coverage_messages([2025, 2026]) == []


def test_the_check_looks_at_this_year_and_next(monkeypatch, fallback_year):
    # given "today" in the last bundled year
    freeze_today(monkeypatch, dt.date(fallback_year - 1, 12, 1))
    # when
    messages = check_calendar_coverage()
    # then only next year is reported
    assert [message.id for message in messages] == ["minsheng.W001"]
    assert f"{fallback_year} 年" in messages[0].msg


def test_the_check_is_silent_when_both_years_are_bundled(monkeypatch):
    freeze_today(monkeypatch, dt.date(2025, 6, 1))
    assert check_calendar_coverage() == []


def test_an_administrator_entry_covers_the_year(monkeypatch, fallback_year):
    # given "today" in the last bundled year and an entry for next year
    freeze_today(monkeypatch, dt.date(fallback_year - 1, 12, 1))
    CalendarDayFactory(date=dt.date(fallback_year, 1, 1), is_working_day=False, name="元旦")
    # when / then
    assert check_calendar_coverage() == []


def test_the_check_is_registered_with_the_database_tag(monkeypatch, fallback_year):
    freeze_today(monkeypatch, dt.date(fallback_year, 3, 1))
    messages = run_checks(tags=[Tags.database], databases=["default"])
    assert sum(message.id == "minsheng.W001" for message in messages) == 2
