"""Cleaning and validating one row (no database)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from minsheng.clues.importing.columns import Field
from minsheng.clues.importing.readers import RawRow
from minsheng.clues.importing.rows import ClueRow, RowRejected, normalise_row
from minsheng.directory.choices import Priority

NOW = timezone.make_aware(dt.datetime(2024, 6, 1, 12, 0))


def _row(**values: object) -> RawRow:
    cells = {
        Field.EXTERNAL_ID: 2549,
        Field.USER: "A00045581",
        Field.TITLE: "A2区景蓉华苑物业管理有问题",
        Field.REPORTED_AT: "2019/4/25 9:32:09",
        Field.CONTENT: "\n\t\t业委会不知处于何种理由对该物业公司一再挽留。\n\t\t",
    }
    cells.update({Field(key): value for key, value in values.items()})
    return RawRow(line=7, values=cells, empty=False)


def _normalise(**values: object) -> ClueRow:
    return normalise_row(_row(**values), now=NOW)


def _reason(**values: object) -> str:
    with pytest.raises(RowRejected) as caught:
        _normalise(**values)
    return caught.value.reason


def test_a_teddy_row_is_cleaned():
    # when
    row = _normalise()
    # then
    assert row.line == 7
    assert row.external_id == "2549"
    assert row.external_user == "A00045581"
    assert row.content == "业委会不知处于何种理由对该物业公司一再挽留。"
    assert row.reported_at == timezone.make_aware(dt.datetime(2019, 4, 25, 9, 32, 9))
    assert row.key == "id:2549"
    assert not row.answered
    assert row.priority == Priority.NORMAL


def test_a_row_without_id_is_known_by_its_fingerprint():
    row = _normalise(external_id=None)
    assert row.key == f"fp:{row.fingerprint}"


def test_an_empty_title_takes_the_start_of_the_content():
    row = _normalise(
        title="  ",
        content="小区门口的路灯坏了一个月，晚上出行很不方便，老人孩子经常摔倒，请尽快修理。",
    )
    assert row.title == "小区门口的路灯坏了一个月，晚上出行很不方便，老人孩子经常摔倒"
    assert len(row.title) == 30
    assert row.title_from_content


def test_an_empty_content_takes_the_title():
    row = _normalise(content=None)
    assert row.content == row.title
    assert row.content_from_title


def test_a_long_title_keeps_its_first_200_characters():
    row = _normalise(title="长" * 250)
    assert row.title == "长" * 200
    assert row.title_truncated


def test_a_reply_makes_an_answered_row():
    row = _normalise(answer="\t已处理。\n", answered_at="2019/5/9 10:00:00")
    assert row.answered
    assert row.answer == "已处理。"
    assert row.answered_at == timezone.make_aware(dt.datetime(2019, 5, 9, 10))


def test_a_reply_without_time_is_still_answered():
    row = _normalise(answer="已处理。", answered_at=None)
    assert row.answered
    assert row.answered_at is None


def test_a_missing_time_is_none_for_the_writer_to_fill():
    assert _normalise(reported_at="").reported_at is None


def test_votes_and_labels():
    row = _normalise(up_votes=12, down_votes="3", category=" 城乡建设\t", priority="紧急")
    assert (row.up_votes, row.down_votes) == (12, 3)
    assert row.category_label == "城乡建设"
    assert row.priority == Priority.HIGH


def test_an_unknown_priority_falls_back_and_is_kept_for_the_summary():
    row = _normalise(priority="十万火急")
    assert row.priority == Priority.NORMAL
    assert row.unknown_priority == "十万火急"


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"title": "", "content": "\n\t"}, "标题和内容均为空"),
        ({"reported_at": "上周三"}, "留言时间无法识别：“上周三”"),
        ({"reported_at": "2019/2/30 10:00"}, "留言时间无法识别"),
        ({"reported_at": "1989/12/31"}, "留言时间早于1990年"),
        ({"reported_at": "2024/6/2 12:00"}, "留言时间晚于当前时间"),
        ({"answer": "已处理", "answered_at": "不详"}, "答复时间无法识别"),
        ({"up_votes": "很多"}, "点赞数不是非负整数"),
        ({"down_votes": -2}, "反对数不是非负整数"),
        ({"external_id": "x" * 65}, "编号超过64个字符"),
    ],
)
def test_rows_that_cannot_become_clues_are_rejected_with_a_reason(values, reason):
    assert reason in _reason(**values)


def test_a_time_a_minute_ahead_is_clock_skew_not_the_future():
    assert _normalise(reported_at=NOW + dt.timedelta(minutes=1)).reported_at is not None


def test_an_empty_row_is_rejected():
    with pytest.raises(RowRejected, match="空行"):
        normalise_row(RawRow(line=3, values={}, empty=True), now=NOW)


def test_control_characters_are_dropped():
    assert _normalise(content="a\x00b").content == "ab"
