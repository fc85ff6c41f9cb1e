"""Cell values: whitespace, identifiers, counts and times as they come from XLSX and CSV."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from minsheng.clues.importing.values import (
    clean_identifier,
    clean_line,
    clean_text,
    parse_count,
    parse_moment,
    strip_control,
    unescape_formula,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_clean_text_drops_the_tabs_and_blank_lines_around_teddy_bodies():
    # given a body as scraped from the message board
    raw = "\n\t\t\t\t\t\n\t\t\t\t\t第一段。\n\t\t\t\t\t第二段。\n\t\t\t\t\t\n\t\t\t\t"
    # when / then
    assert clean_text(raw) == "第一段。\n第二段。"


def test_clean_line_collapses_every_whitespace_run():
    assert clean_line(" A市\t路灯\n坏了 ") == "A市 路灯 坏了"
    assert clean_line(None) == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2549, "2549"),
        (2549.0, "2549"),
        (" 2549 ", "2549"),
        ("2549.0", "2549"),
        ("A-17", "A-17"),
        (None, ""),
    ],
)
def test_identifiers_read_alike_from_int_float_and_text(value, expected):
    assert clean_identifier(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(None, 0), ("", 0), (3, 3), (4.0, 4), ("1,024", 1024)]
)
def test_counts(value, expected):
    assert parse_count(value) == expected


@pytest.mark.parametrize("value", [-1, 2.5, "many", True])
def test_counts_refuse_what_is_not_a_whole_number(value):
    with pytest.raises(ValueError):  # noqa: PT011
        parse_count(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019/4/25 9:32:09", dt.datetime(2019, 4, 25, 9, 32, 9)),
        ("2019-04-25 09:32:09", dt.datetime(2019, 4, 25, 9, 32, 9)),
        ("2019-04-25T09:32", dt.datetime(2019, 4, 25, 9, 32)),
        ("2019/4/25", dt.datetime(2019, 4, 25)),
        ("  2019/4/25 9:32:09\t", dt.datetime(2019, 4, 25, 9, 32, 9)),
        ("2019年4月25日 9时32分", dt.datetime(2019, 4, 25, 9, 32)),
        ("２０１９/４/２５", dt.datetime(2019, 4, 25)),
        ("2019-04-25 09:32:09.5", dt.datetime(2019, 4, 25, 9, 32, 9, 500000)),
        (dt.datetime(2019, 4, 8, 8, 37, 20), dt.datetime(2019, 4, 8, 8, 37, 20)),
        (dt.date(2019, 4, 8), dt.datetime(2019, 4, 8)),
        (43580.5, dt.datetime(2019, 4, 25, 12, 0)),  # an Excel serial number
    ],
)
def test_times_in_every_shape_are_local_to_the_site(value, expected):
    # when
    moment = parse_moment(value, tz=SHANGHAI)
    # then
    assert moment == expected.replace(tzinfo=SHANGHAI)


def test_times_with_an_offset_keep_it():
    moment = parse_moment("2019-04-25T01:32:09+00:00", tz=SHANGHAI)
    assert moment == dt.datetime(2019, 4, 25, 9, 32, 9, tzinfo=SHANGHAI)


def test_empty_time_is_none():
    assert parse_moment("  ") is None
    assert parse_moment(None) is None


@pytest.mark.parametrize("value", ["昨天", "2019/13/1", "2019/2/30 10:00", "25/4/2019", -3])
def test_what_is_not_a_time_raises(value):
    with pytest.raises(ValueError):  # noqa: PT011
        parse_moment(value, tz=SHANGHAI)


def test_control_characters_go_but_line_breaks_stay():
    assert strip_control("a\x00b\x07c\nd\te") == "abc\nd\te"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("'=1+1", "=1+1"), ("'-降价", "-降价"), ("'@x", "@x"), ("'引号'", "'引号'"), ("'", "'")],
)
def test_the_export_formula_escape_is_undone(value, expected):
    assert unescape_formula(value) == expected
