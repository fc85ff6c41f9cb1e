"""`manage.py calendar_status`: source and working days per year."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import chinese_calendar
import pytest
from django.core.management import call_command
from django.utils import translation

from minsheng.workcal.tests.factories import CalendarDayFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("calendar_status", *args, stdout=out)
    return out.getvalue()


def test_a_bundled_year():
    # given
    working_days = len(chinese_calendar.get_workdays(dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
    # when
    output = run("--year", "2026")
    # then
    assert (
        output.strip()
        == f"2026 年：已覆盖 · 内置数据（chinesecalendar） · 工作日 {working_days} 天"
    )


def test_a_fallback_year_and_an_admin_year(fallback_year):
    # given the administrator entered one day of the year after the fallback year
    CalendarDayFactory(date=dt.date(fallback_year + 1, 1, 1), is_working_day=False)
    # when both are asked for, in any order
    output = run("--year", str(fallback_year + 1), "--year", str(fallback_year))
    # then one line each, in year order
    first, second = output.strip().splitlines()
    assert first.startswith(f"{fallback_year} 年：未覆盖 · 无数据，按周一至周五计算")
    assert second.startswith(f"{fallback_year + 1} 年：已覆盖 · 管理员录入")
    assert second.endswith("（含管理员调整 1 天）")


def test_defaults_to_this_year_and_next(monkeypatch):
    # given "today" in 2025
    monkeypatch.setattr(
        "minsheng.workcal.management.commands.calendar_status.timezone.localdate",
        lambda *args, **kwargs: dt.date(2025, 5, 1),
    )
    # when
    lines = run().strip().splitlines()
    # then
    assert [line[:5] for line in lines] == ["2025 ", "2026 "]


def test_the_source_is_translated_when_english_is_active():
    # when
    with translation.override("en"):
        output = run("--year", "2026")
    # then the source label, kept untranslated in SOURCE_LABELS, is printed in English
    assert "内置数据" not in output
    assert "Bundled data (chinesecalendar)" in output
