"""Parsing the calendar CSV: flags in several spellings, and errors with line numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from minsheng.workcal.importing import CalendarCsvError, parse_calendar_csv, parse_working_flag
from minsheng.workcal.services import CalendarDayInput


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", True), ("0", False), ("true", True), ("FALSE", False), (" True ", True),
        ("是", True), ("否", False), ("班", True), ("休", False),
    ],
)  # fmt: skip
def test_working_flag_spellings(value, expected):
    assert parse_working_flag(value) is expected


@pytest.mark.parametrize("value", ["", "2", "yes?", "上班了", "t"])
def test_unknown_working_flags_are_rejected(value):
    with pytest.raises(ValueError, match="unknown working-day flag"):
        parse_working_flag(value)


def test_parses_rows_with_or_without_header_and_name():
    # given a header, a comment, a blank line and a row without a name
    text = "date,is_working_day,name\n# 2027 年\n2027-01-01,休,元旦\n\n2027/02/06,班\n"
    # when
    days = parse_calendar_csv(text.splitlines(keepends=True))
    # then
    assert days == [
        CalendarDayInput(date=dt.date(2027, 1, 1), is_working_day=False, name="元旦"),
        CalendarDayInput(date=dt.date(2027, 2, 6), is_working_day=True, name=""),
    ]


def test_a_chinese_header_and_a_byte_order_mark_are_understood():
    days = parse_calendar_csv(["\ufeff日期,是否工作日,说明\n", "2027-10-01,否,国庆节\n"])
    assert [day.date for day in days] == [dt.date(2027, 10, 1)]


def test_every_bad_row_is_reported_with_its_line_number():
    # given four bad rows among good ones
    lines = [
        "date,is_working_day,name\n",
        "2027-01-01,0,元旦\n",
        "2027-02-30,0,春节\n",  # line 3: no such date
        "2027-02-07,maybe,调休\n",  # line 4: unknown flag
        "2027-02-08\n",  # line 5: one column
        "2027-01-01,1,重复\n",  # line 6: duplicate of line 2
        "2027-03-01,1," + "长" * 61 + "\n",  # line 7: name too long
    ]
    # when
    with pytest.raises(CalendarCsvError) as caught:
        parse_calendar_csv(lines)
    # then
    assert [error.line for error in caught.value.errors] == [3, 4, 5, 6, 7]
    text = str(caught.value)
    for fragment in (
        "第 3 行",
        "2027-02-30",
        "第 4 行",
        "maybe",
        "第 5 行：应为 2 或 3 列",
        "第 6 行",
        "第 2 行重复",
    ):
        assert fragment in text


def test_a_row_with_a_bad_date_and_a_bad_flag_reports_both():
    with pytest.raises(CalendarCsvError) as caught:
        parse_calendar_csv(["20270101,x,\n"])
    assert [error.line for error in caught.value.errors] == [1, 1]
