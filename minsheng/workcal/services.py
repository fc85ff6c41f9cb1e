"""Working-day arithmetic over China's official calendar.

Sources, most authoritative first: the administrator's `CalendarDay` overrides, then the
`chinesecalendar` package (public holidays and adjusted working weekends), then, for a year
neither knows, Monday to Friday with a loud warning, never a silent guess.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from functools import lru_cache

import chinese_calendar
from chinese_calendar import constants as calendar_constants

from minsheng.workcal.models import CalendarDay

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_year_cache: dict[int, tuple[bool, ...]] = {}
_warned_years: set[int] = set()


@lru_cache(maxsize=1)
def bundled_years() -> frozenset[int]:
    """Years for which the bundled package has the State Council's holiday arrangements."""
    known = set(calendar_constants.holidays) | set(calendar_constants.workdays)
    return frozenset(day.year for day in known)


def override_years() -> set[int]:
    return {day.year for day in CalendarDay.objects.dates("date", "year")}


def year_is_covered(year: int) -> bool:
    """True when official data exists for `year` (bundled, or entered by an administrator)."""
    return year in bundled_years() or CalendarDay.objects.filter(date__year=year).exists()


def clear_cache() -> None:
    """Forget computed years; called when an administrator changes the calendar."""
    with _lock:
        _year_cache.clear()


def _compute_year(year: int) -> tuple[bool, ...]:
    start = dt.date(year, 1, 1)
    days = (dt.date(year + 1, 1, 1) - start).days
    bundled = year in bundled_years()
    overrides = dict(
        CalendarDay.objects.filter(date__year=year).values_list("date", "is_working_day")
    )
    if not bundled and not overrides and year not in _warned_years:
        _warned_years.add(year)
        logger.warning(
            "工作日历缺少 %s 年的法定节假日数据，暂按周一至周五计算期限。"
            "请管理员在“工作日历调整”中录入该年安排。"
            " (No working-calendar data for %s: falling back to Monday-Friday.)",
            year,
            year,
        )
    flags = []
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        if day in overrides:
            flags.append(overrides[day])
        elif bundled:
            flags.append(chinese_calendar.is_workday(day))
        else:
            flags.append(day.weekday() < 5)
    return tuple(flags)


def _year_flags(year: int) -> tuple[bool, ...]:
    flags = _year_cache.get(year)
    if flags is None:
        flags = _compute_year(year)
        with _lock:
            _year_cache[year] = flags
    return flags


def is_working_day(day: dt.date) -> bool:
    return _year_flags(day.year)[day.timetuple().tm_yday - 1]


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date of the `days`-th working day after `start` (start itself is not counted).

    With `days` 0 the result is `start` if it is a working day, else the next working day.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    if days == 0:
        while not is_working_day(day):
            day += dt.timedelta(days=1)
        return day
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]; negative when end is before start."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
