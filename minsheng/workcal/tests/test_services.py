"""Working-day arithmetic: official holidays, adjusted working weekends, overrides, fallback."""

from __future__ import annotations

import datetime as dt
import logging

import chinese_calendar
import pytest

from minsheng.workcal import services
from minsheng.workcal.services import (
    CalendarDayInput,
    CalendarSource,
    add_working_days,
    bundled_years,
    calendar_days_import,
    is_working_day,
    working_days_between,
    year_coverage,
    year_is_covered,
)
from minsheng.workcal.tests.factories import CalendarDayFactory

pytestmark = pytest.mark.django_db

D = dt.date


def naive_add_working_days(start: dt.date, days: int) -> dt.date:
    """The obvious day-by-day loop, as a reference for the table-based implementation."""
    day = start
    if days == 0:
        while not is_working_day(day):
            day += dt.timedelta(days=1)
        return day
    while days:
        day += dt.timedelta(days=1)
        days -= is_working_day(day)
    return day


def first_weekday(year: int, weekday: int) -> dt.date:
    """The first date of `year` falling on `weekday` (0 = Monday)."""
    day = D(year, 1, 1)
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


class TestBundledCalendar:
    def test_bundled_years_cover_2025_and_2026(self):
        assert {2025, 2026} <= bundled_years()

    @pytest.mark.parametrize(
        ("day", "expected"),
        [
            (D(2026, 2, 13), True),  # Friday before Spring Festival
            (D(2026, 2, 14), True),  # Saturday, adjusted working day
            (D(2026, 2, 15), False),  # first day of the holiday (Sunday)
            (D(2026, 2, 17), False),  # Spring Festival
            (D(2026, 2, 23), False),  # last day of the holiday (Monday)
            (D(2026, 2, 24), True),
            (D(2026, 2, 28), True),  # Saturday, adjusted working day
            (D(2026, 3, 1), False),  # ordinary Sunday
            (D(2025, 9, 28), True),  # Sunday, adjusted working day
            (D(2025, 10, 1), False),
            (D(2025, 10, 6), False),  # Mid-Autumn Festival inside the National Day holiday
            (D(2025, 10, 8), False),
            (D(2025, 10, 9), True),
            (D(2025, 10, 11), True),  # Saturday, adjusted working day
            (D(2026, 9, 20), True),  # Sunday, adjusted working day
            (D(2026, 9, 25), False),  # Mid-Autumn Festival 2026
            (D(2026, 10, 7), False),
            (D(2026, 10, 10), True),  # Saturday, adjusted working day
        ],
    )
    def test_is_working_day_follows_the_state_council_arrangement(self, day, expected):
        # given the bundled calendar, when asked about the day, then it is the official answer
        assert is_working_day(day) is expected
        assert chinese_calendar.is_workday(day) is expected

    def test_every_day_of_the_bundled_years_agrees_with_the_package(self):
        # given the years 2024-2026, when every day is checked, then none differs
        day = D(2024, 1, 1)
        while day.year <= 2026:
            assert is_working_day(day) is chinese_calendar.is_workday(day), day
            day += dt.timedelta(days=1)


class TestAddWorkingDays:
    @pytest.mark.parametrize(
        ("start", "days", "expected"),
        [
            # Spring Festival 2026: 15-23 February off, Saturdays 14 and 28 February worked.
            (D(2026, 2, 13), 1, D(2026, 2, 14)),
            (D(2026, 2, 14), 1, D(2026, 2, 24)),
            (D(2026, 2, 13), 2, D(2026, 2, 24)),
            (D(2026, 2, 15), 1, D(2026, 2, 24)),  # from inside the holiday
            (D(2026, 2, 27), 1, D(2026, 2, 28)),
            (D(2026, 2, 12), 15, D(2026, 3, 11)),
            # National Day 2025: 1-8 October off, Sunday 28 September and Saturday 11 October
            # worked.
            (D(2025, 9, 26), 1, D(2025, 9, 28)),
            (D(2025, 9, 30), 1, D(2025, 10, 9)),
            (D(2025, 9, 30), 3, D(2025, 10, 11)),
            (D(2025, 9, 30), 4, D(2025, 10, 13)),
            # National Day 2026: 1-7 October off, Saturday 10 October worked.
            (D(2026, 9, 18), 1, D(2026, 9, 20)),
            (D(2026, 9, 24), 1, D(2026, 9, 28)),  # over Mid-Autumn 25-27 September
            (D(2026, 9, 30), 1, D(2026, 10, 8)),
            (D(2026, 9, 30), 3, D(2026, 10, 10)),
            # Across the new year: 1-3 January 2026 off, Sunday 4 January worked.
            (D(2025, 12, 31), 1, D(2026, 1, 4)),
            (D(2025, 12, 31), 2, D(2026, 1, 5)),
        ],
    )
    def test_counts_only_official_working_days(self, start, days, expected):
        # when
        result = add_working_days(start, days)
        # then
        assert result == expected

    @pytest.mark.parametrize(
        ("start", "expected"),
        [
            (D(2026, 2, 13), D(2026, 2, 13)),  # a working day is its own result
            (D(2026, 2, 14), D(2026, 2, 14)),  # so is an adjusted working Saturday
            (D(2026, 2, 15), D(2026, 2, 24)),  # a holiday gives the next working day
            (D(2025, 10, 4), D(2025, 10, 9)),
            (D(2026, 3, 1), D(2026, 3, 2)),  # an ordinary Sunday
        ],
    )
    def test_zero_days_gives_the_start_or_the_next_working_day(self, start, expected):
        assert add_working_days(start, 0) == expected

    def test_negative_days_are_rejected(self):
        with pytest.raises(ValueError, match="negative"):
            add_working_days(D(2026, 1, 5), -1)

    def test_a_year_of_working_days_matches_the_day_by_day_count(self):
        # given a whole year's working days in 2025, when added to 31 December 2024
        total = len(chinese_calendar.get_workdays(D(2025, 1, 1), D(2025, 12, 31)))
        # then the result is the last working day of 2025, and one more is in 2026
        assert add_working_days(D(2024, 12, 31), total) == D(2025, 12, 31)
        assert add_working_days(D(2024, 12, 31), total + 1) == D(2026, 1, 4)

    @pytest.mark.parametrize("days", [0, 1, 2, 5, 15, 30, 60, 250, 251, 400, 700])
    def test_long_spans_agree_with_the_naive_loop(self, days, fallback_year, caplog):
        # given starts across bundled years and into the fallback year
        caplog.set_level(logging.ERROR, logger=services.__name__)
        starts = [D(2024, 12, 31), D(2025, 2, 1), D(2025, 9, 30), D(2026, 2, 14), D(2026, 12, 31)]
        starts.append(D(fallback_year - 1, 6, 30))
        for start in starts:
            # when / then
            assert add_working_days(start, days) == naive_add_working_days(start, days), start

    def test_a_year_without_any_working_day_is_skipped(self, fallback_year):
        # given an administrator who (absurdly) declared every day of a year a holiday
        first = D(fallback_year, 1, 1)
        last = D(fallback_year, 12, 31)
        days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
        calendar_days_import(
            days=[CalendarDayInput(date=day, is_working_day=False) for day in days]
        )
        # when counting from the last working day of the year before
        result = add_working_days(D(fallback_year - 1, 12, 31), 1)
        # then the first weekday of the following year (itself without data) is found
        expected = D(fallback_year + 1, 1, 1)
        while expected.weekday() >= 5:
            expected += dt.timedelta(days=1)
        assert result == expected


class TestWorkingDaysBetween:
    @pytest.mark.parametrize(
        ("start", "end", "expected"),
        [
            (D(2026, 2, 13), D(2026, 2, 13), 0),
            (D(2026, 2, 13), D(2026, 2, 14), 1),
            (D(2026, 2, 14), D(2026, 2, 23), 0),  # the whole Spring Festival holiday
            (D(2026, 2, 13), D(2026, 2, 28), 6),  # 14, 24-28 February
            (D(2025, 9, 26), D(2025, 10, 12), 6),
            (D(2025, 9, 30), D(2025, 10, 9), 1),
            (D(2026, 9, 30), D(2026, 10, 10), 3),
            (D(2025, 12, 31), D(2026, 1, 5), 2),
        ],
    )
    def test_counts_working_days_after_start_up_to_end(self, start, end, expected):
        # when / then: (start, end] forwards, and the negation backwards
        assert working_days_between(start, end) == expected
        assert working_days_between(end, start) == -expected

    def test_inverts_add_working_days(self):
        # given a working day and any number of days
        start = D(2025, 9, 30)
        for days in range(0, 300, 7):
            # when / then
            assert working_days_between(start, add_working_days(start, days)) == days

    @pytest.mark.parametrize(
        ("start", "end"),
        [
            (D(2024, 1, 1), D(2026, 12, 31)),
            (D(2024, 6, 15), D(2025, 2, 3)),
            (D(2025, 12, 30), D(2026, 1, 4)),
        ],
    )
    def test_agrees_with_the_package_over_years(self, start, end):
        expected = len(chinese_calendar.get_workdays(start + dt.timedelta(days=1), end))
        assert working_days_between(start, end) == expected
        assert working_days_between(end, start) == -expected


class TestFallbackYear:
    def test_a_year_without_data_is_monday_to_friday(self, fallback_year, caplog):
        # given no bundled data and no override for the year
        assert fallback_year not in bundled_years()
        monday = first_weekday(fallback_year, 0)
        # when / then
        with caplog.at_level(logging.WARNING, logger=services.__name__):
            assert [is_working_day(monday + dt.timedelta(days=n)) for n in range(7)] == [
                True, True, True, True, True, False, False,
            ]  # fmt: skip
            assert add_working_days(monday + dt.timedelta(days=4), 1) == monday + dt.timedelta(7)
        assert not year_is_covered(fallback_year)

    def test_the_fallback_is_logged_once_per_year_per_process(self, fallback_year, caplog):
        # given
        caplog.set_level(logging.WARNING, logger=services.__name__)
        # when the year is used, the cache is cleared, and the year is used again
        is_working_day(D(fallback_year, 3, 1))
        services.clear_cache()
        is_working_day(D(fallback_year, 3, 2))
        working_days_between(D(fallback_year, 1, 1), D(fallback_year, 12, 31))
        # then exactly one warning names the year
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1
        assert str(fallback_year) in warnings[0].getMessage()
        assert "周一至周五" in warnings[0].getMessage()
        # and another year without data gets its own warning
        is_working_day(D(fallback_year + 1, 3, 1))
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 2
        assert str(fallback_year + 1) in warnings[1].getMessage()

    def test_bundled_years_are_not_warned_about(self, caplog):
        caplog.set_level(logging.WARNING, logger=services.__name__)
        add_working_days(D(2025, 1, 1), 400)
        assert caplog.records == []


class TestOverrides:
    def test_an_override_wins_over_the_package(self):
        # given 24 February 2026 declared a holiday and Saturday 21 February a working day
        CalendarDayFactory(date=D(2026, 2, 24), is_working_day=False, name="延长假期")
        CalendarDayFactory(date=D(2026, 2, 21), is_working_day=True, name="调休上班")
        # when / then
        assert not is_working_day(D(2026, 2, 24))
        assert is_working_day(D(2026, 2, 21))
        assert add_working_days(D(2026, 2, 20), 1) == D(2026, 2, 21)
        assert add_working_days(D(2026, 2, 21), 1) == D(2026, 2, 25)
        assert working_days_between(D(2026, 2, 13), D(2026, 2, 28)) == 6

    def test_an_override_wins_over_the_fallback_and_covers_the_year(self, fallback_year, caplog):
        # given the administrator entered New Year's Day and a working Saturday
        caplog.set_level(logging.WARNING, logger=services.__name__)
        new_year = D(fallback_year, 1, 1)
        saturday = first_weekday(fallback_year, 5) + dt.timedelta(days=14)
        CalendarDayFactory(date=new_year, is_working_day=False, name="元旦")
        CalendarDayFactory(date=saturday, is_working_day=True, name="调休上班")
        # when / then
        assert not is_working_day(new_year)
        assert is_working_day(saturday)
        assert year_is_covered(fallback_year)
        assert caplog.records == []  # the year is no longer a guess

    def test_other_days_of_an_admin_year_are_monday_to_friday(self, fallback_year):
        CalendarDayFactory(date=D(fallback_year, 1, 1), is_working_day=False)
        monday = first_weekday(fallback_year, 0) + dt.timedelta(days=7)
        assert [is_working_day(monday + dt.timedelta(days=n)) for n in range(7)] == [
            True, True, True, True, True, False, False,
        ]  # fmt: skip


class TestYearCoverage:
    def test_bundled_year(self):
        # given one override in 2026
        CalendarDayFactory(date=D(2026, 2, 24), is_working_day=False)
        # when
        coverage = year_coverage(2026)
        # then
        expected = len(chinese_calendar.get_workdays(D(2026, 1, 1), D(2026, 12, 31))) - 1
        assert coverage.source is CalendarSource.BUNDLED
        assert coverage.override_days == 1
        assert coverage.working_days == expected
        assert coverage.is_covered

    def test_admin_year(self, fallback_year):
        CalendarDayFactory(date=D(fallback_year, 1, 1), is_working_day=False)
        coverage = year_coverage(fallback_year)
        assert coverage.source is CalendarSource.ADMIN
        assert coverage.is_covered

    def test_fallback_year(self, fallback_year):
        coverage = year_coverage(fallback_year)
        weekdays = sum(
            (D(fallback_year, 1, 1) + dt.timedelta(days=n)).weekday() < 5
            for n in range((D(fallback_year + 1, 1, 1) - D(fallback_year, 1, 1)).days)
        )
        assert coverage.source is CalendarSource.FALLBACK
        assert coverage.working_days == weekdays
        assert not coverage.is_covered


class TestCalendarDaysImport:
    def test_creates_updates_and_leaves_unchanged(self, fallback_year):
        # given one existing day
        CalendarDayFactory(date=D(fallback_year, 1, 1), is_working_day=True, name="旧")
        days = [
            CalendarDayInput(date=D(fallback_year, 1, 1), is_working_day=False, name="元旦"),
            CalendarDayInput(date=D(fallback_year, 2, 6), is_working_day=True, name="春节调休"),
        ]
        # when imported twice
        first = calendar_days_import(days=days)
        second = calendar_days_import(days=days)
        # then the first run creates and updates, the second changes nothing
        assert (first.created, first.updated, first.unchanged) == (1, 1, 0)
        assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
        assert first.years == (fallback_year,)
        assert not is_working_day(D(fallback_year, 1, 1))
        assert is_working_day(D(fallback_year, 2, 6))
