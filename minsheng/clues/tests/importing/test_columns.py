"""Header rows mapped to fields, in each layout we read."""

from __future__ import annotations

import pytest

from minsheng.clues.exporting import EXPORT_COLUMNS
from minsheng.clues.importing.columns import Field, map_header, require_columns
from minsheng.clues.importing.errors import ImportFileError


def test_teddy_headers_map_after_stripping_whitespace():
    # given a header with stray spaces, tabs and a BOM
    columns = map_header(
        ["\ufeff留言编号", " 留言用户", "留言主题\t", "留言时间", "留言详情 ", "一级分类"]
    )
    # then
    assert columns.positions == {
        Field.EXTERNAL_ID: 0,
        Field.USER: 1,
        Field.TITLE: 2,
        Field.REPORTED_AT: 3,
        Field.CONTENT: 4,
        Field.CATEGORY: 5,
    }
    assert columns.missing() == []


def test_our_export_maps_its_tracking_code_to_the_external_id():
    columns = map_header(list(EXPORT_COLUMNS))
    assert columns.positions[Field.EXTERNAL_ID] == EXPORT_COLUMNS.index("受理编号")
    assert columns.positions[Field.CATEGORY] == EXPORT_COLUMNS.index("问题分类")
    assert columns.positions[Field.ANSWERED_AT] == EXPORT_COLUMNS.index("答复时间")
    assert Field.USER not in columns.positions  # the export carries no identity


def test_generic_english_headers_are_case_insensitive():
    columns = map_header(["ID", "Title", "CONTENT", "Reported_At", "unrelated"])
    assert columns.positions == {
        Field.EXTERNAL_ID: 0,
        Field.TITLE: 1,
        Field.CONTENT: 2,
        Field.REPORTED_AT: 3,
    }


def test_the_leftmost_of_two_columns_for_one_field_wins():
    columns = map_header(["标题", "留言主题", "内容"])
    assert columns.positions[Field.TITLE] == 0


def test_missing_columns_are_named_with_those_found():
    # given a header without a content column
    columns = map_header(["留言编号", "留言主题", "备注"])
    # when
    with pytest.raises(ImportFileError) as caught:
        require_columns(columns, file_name="x.csv")
    # then
    message = caught.value.message
    assert "x.csv" in message
    assert "留言详情" in message  # what is missing
    assert "留言编号、留言主题、备注" in message  # what was found
