"""The computed calendar is forgotten when an override is saved or deleted, here or elsewhere."""

from __future__ import annotations

import datetime as dt

import pytest

from minsheng.workcal import services
from minsheng.workcal.models import CalendarDay
from minsheng.workcal.services import add_working_days, is_working_day
from minsheng.workcal.tests.factories import CalendarDayFactory

pytestmark = pytest.mark.django_db

TUESDAY = dt.date(2026, 2, 24)  # first working day after Spring Festival 2026


def test_saving_an_override_clears_the_cache():
    # given the year already computed
    assert is_working_day(TUESDAY)
    # when an administrator declares the day a holiday
    day = CalendarDayFactory.create(date=TUESDAY, is_working_day=False)
    # then the next answer sees it
    assert not is_working_day(TUESDAY)
    assert add_working_days(dt.date(2026, 2, 14), 1) == dt.date(2026, 2, 25)
    # and when the override is changed back to a working day
    day.is_working_day = True
    day.save()
    # then
    assert is_working_day(TUESDAY)


def test_deleting_an_override_restores_the_package_answer():
    # given
    day = CalendarDayFactory.create(date=TUESDAY, is_working_day=False)
    assert not is_working_day(TUESDAY)
    # when
    day.delete()
    # then
    assert is_working_day(TUESDAY)


def test_a_change_made_by_another_process_is_seen_after_the_recheck_interval(settings):
    # given a process that computed the year and checks the overrides on every call
    settings.MINSHENG = {**settings.MINSHENG, "CALENDAR_RECHECK_SECONDS": 0}
    assert is_working_day(TUESDAY)
    # when another process adds an override (no signal reaches this one)
    CalendarDay.objects.bulk_create([CalendarDay(date=TUESDAY, is_working_day=False)])
    # then
    assert not is_working_day(TUESDAY)


def test_within_the_recheck_interval_the_cache_is_trusted(settings, django_assert_num_queries):
    # given a year computed once
    settings.MINSHENG = {**settings.MINSHENG, "CALENDAR_RECHECK_SECONDS": 3600}
    assert is_working_day(TUESDAY)
    # when asked again, then no query is made
    with django_assert_num_queries(0):
        assert add_working_days(TUESDAY, 30) > TUESDAY


def test_a_year_computed_during_an_invalidation_is_not_cached(monkeypatch):
    # given an invalidation that lands while the year is being computed
    compute = services._compute_year
    calls: list[int] = []

    def compute_while_cleared(year: int) -> services._Year:
        calls.append(year)
        result = compute(year)
        if len(calls) == 1:
            services.clear_cache()
        return result

    monkeypatch.setattr(services, "_compute_year", compute_while_cleared)
    # when the year is used twice
    is_working_day(TUESDAY)
    is_working_day(TUESDAY)
    # then the possibly stale first result was not kept
    assert calls == [2026, 2026]
