"""Working-day arithmetic over China's official calendar.

Sources, most authoritative first: the administrator's `CalendarDay` overrides, then the
`chinesecalendar` package (public holidays and adjusted working weekends), then, for a year
neither knows, Monday to Friday with a loud warning, never a silent guess.

Each year is computed once per process into a table of flags and cumulative counts, so
`add_working_days` and `working_days_between` cost a few list look-ups per year spanned,
however long the span. The table is dropped when a `CalendarDay` is saved or deleted in this
process (see `signals`), and every `CALENDAR_RECHECK_SECONDS` (setting `MINSHENG`, default
60) each process compares a fingerprint of the override table, so a change made in another
process (another web worker, a task worker) is seen within that interval.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import math
import threading
import time
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

import chinese_calendar
from chinese_calendar import constants as calendar_constants
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max

from minsheng.workcal.models import CalendarDay

logger = logging.getLogger(__name__)

DEFAULT_RECHECK_SECONDS = 60.0

_lock = threading.Lock()
_year_cache: dict[int, _Year] = {}
_warned_years: set[int] = set()
# Bumped by every invalidation, so a year computed from data read before it is not cached.
_generation = 0
# (row count, latest updated_at) of CalendarDay when last checked; None forces a check.
_fingerprint: tuple[int, dt.datetime | None] | None = None
_checked_at = -math.inf


@dataclass(frozen=True, slots=True)
class _Year:
    """One computed year: a flag per day and cumulative working-day counts."""

    year: int
    first_ordinal: int
    flags: tuple[bool, ...]
    # cumulative[i] is the number of working days among the year's first i days.
    cumulative: tuple[int, ...]

    @property
    def total(self) -> int:
        return self.cumulative[-1]

    def index(self, day: dt.date) -> int:
        return day.toordinal() - self.first_ordinal

    def day(self, index: int) -> dt.date:
        return dt.date.fromordinal(self.first_ordinal + index)


class CalendarSource(enum.StrEnum):
    """Where a year's working days come from."""

    BUNDLED = "bundled"  # the chinesecalendar package (possibly corrected by overrides)
    ADMIN = "admin"  # only the administrator's overrides, weekdays elsewhere
    FALLBACK = "fallback"  # nothing: Monday to Friday


@dataclass(frozen=True)
class YearCoverage:
    """What the calendar knows about one year."""

    year: int
    source: CalendarSource
    override_days: int
    working_days: int

    @property
    def is_covered(self) -> bool:
        return self.source is not CalendarSource.FALLBACK


@dataclass(frozen=True)
class CalendarDayInput:
    """One day to enter in the calendar, as read from a file or a form."""

    date: dt.date
    is_working_day: bool
    name: str = ""


@dataclass(frozen=True)
class CalendarImportResult:
    created: int
    updated: int
    unchanged: int
    years: tuple[int, ...]


@lru_cache(maxsize=1)
def bundled_years() -> frozenset[int]:
    """Years for which the bundled package has the State Council's holiday arrangements."""
    known = set(calendar_constants.holidays) | set(calendar_constants.workdays)
    return frozenset(day.year for day in known)


def override_years() -> set[int]:
    """Years in which an administrator has entered at least one day."""
    return {day.year for day in CalendarDay.objects.dates("date", "year")}


def year_is_covered(year: int) -> bool:
    """True when official data exists for `year` (bundled, or entered by an administrator)."""
    return year in bundled_years() or CalendarDay.objects.filter(date__year=year).exists()


def year_coverage(year: int) -> YearCoverage:
    """Source and number of working days of `year` (computing it may log the fallback warning)."""
    override_days = CalendarDay.objects.filter(date__year=year).count()
    if year in bundled_years():
        source = CalendarSource.BUNDLED
    elif override_days:
        source = CalendarSource.ADMIN
    else:
        source = CalendarSource.FALLBACK
    return YearCoverage(
        year=year,
        source=source,
        override_days=override_days,
        working_days=_year(year).total,
    )


def clear_cache() -> None:
    """Forget computed years; called when an administrator changes the calendar."""
    global _generation, _fingerprint, _checked_at
    with _lock:
        _year_cache.clear()
        _generation += 1
        _fingerprint = None
        _checked_at = -math.inf


def _recheck_seconds() -> float:
    options = getattr(settings, "MINSHENG", {})
    return float(options.get("CALENDAR_RECHECK_SECONDS", DEFAULT_RECHECK_SECONDS))


def _revalidate() -> None:
    """Drop the cache when another process changed the overrides since the last check."""
    global _fingerprint, _checked_at
    now = time.monotonic()
    if now - _checked_at < _recheck_seconds():
        return
    counts = CalendarDay.objects.aggregate(rows=Count("pk"), latest=Max("updated_at"))
    fingerprint = (counts["rows"], counts["latest"])
    if _fingerprint is not None and fingerprint != _fingerprint:
        clear_cache()
    with _lock:
        _fingerprint = fingerprint
        _checked_at = now


def _warn_fallback(year: int) -> None:
    with _lock:
        if year in _warned_years:
            return
        _warned_years.add(year)
    logger.warning(
        "工作日历缺少 %s 年的法定节假日数据，暂按周一至周五计算期限。"
        "请管理员在“工作日历调整”中录入该年安排。"
        " (No working-calendar data for %s: falling back to Monday-Friday.)",
        year,
        year,
    )


def _compute_year(year: int) -> _Year:
    first = dt.date(year, 1, 1)
    days = (dt.date(year + 1, 1, 1) - first).days
    bundled = year in bundled_years()
    overrides = dict(
        CalendarDay.objects.filter(date__year=year).values_list("date", "is_working_day")
    )
    if not bundled and not overrides:
        _warn_fallback(year)
    flags: list[bool] = []
    for offset in range(days):
        day = first + dt.timedelta(days=offset)
        if day in overrides:
            flags.append(overrides[day])
        elif bundled:
            flags.append(chinese_calendar.is_workday(day))
        else:
            flags.append(day.weekday() < 5)
    return _Year(
        year=year,
        first_ordinal=first.toordinal(),
        flags=tuple(flags),
        cumulative=tuple(accumulate(flags, initial=0)),
    )


def _year(year: int) -> _Year:
    _revalidate()
    computed = _year_cache.get(year)
    if computed is None:
        generation = _generation
        computed = _compute_year(year)
        with _lock:
            if generation == _generation:
                _year_cache[year] = computed
    return computed


def is_working_day(day: dt.date) -> bool:
    computed = _year(day.year)
    return computed.flags[computed.index(day)]


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date of the `days`-th working day after `start` (start itself is not counted).

    With `days` 0 the result is `start` if it is a working day, else the next working day.
    Raises ValueError for a negative `days`.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    computed = _year(start.year)
    if days == 0:
        if computed.flags[computed.index(start)]:
            return start
        days = 1
    # Working days to count from 1 January of the current year, the target day included.
    remaining = computed.cumulative[computed.index(start) + 1] + days
    while remaining > computed.total:
        remaining -= computed.total
        computed = _year(computed.year + 1)
    return computed.day(bisect_left(computed.cumulative, remaining) - 1)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]; negative when end is before start."""
    if end < start:
        return -working_days_between(end, start)
    first, last = _year(start.year), _year(end.year)
    count = last.cumulative[last.index(end) + 1] - first.cumulative[first.index(start) + 1]
    for year in range(start.year, end.year):
        count += _year(year).total
    return count


def calendar_days_import(*, days: Iterable[CalendarDayInput]) -> CalendarImportResult:
    """Create or update one `CalendarDay` per input, atomically; re-running it changes nothing.

    Precondition: the dates are distinct (a later duplicate would overwrite an earlier one).
    """
    wanted = {day.date: day for day in days}
    created = updated = unchanged = 0
    with transaction.atomic():
        existing = {row.date: row for row in CalendarDay.objects.filter(date__in=list(wanted))}
        for date, day in sorted(wanted.items()):
            row = existing.get(date)
            if row is None:
                CalendarDay.objects.create(
                    date=date, is_working_day=day.is_working_day, name=day.name
                )
                created += 1
            elif row.is_working_day != day.is_working_day or row.name != day.name:
                row.is_working_day = day.is_working_day
                row.name = day.name
                row.save(update_fields=["is_working_day", "name", "updated_at"])
                updated += 1
            else:
                unchanged += 1
    return CalendarImportResult(
        created=created,
        updated=updated,
        unchanged=unchanged,
        years=tuple(sorted({date.year for date in wanted})),
    )
