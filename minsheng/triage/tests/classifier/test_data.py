"""Reading Teddy Cup layout files."""

from __future__ import annotations

import csv

import pytest

from minsheng.triage.classifier.data import MessageFileError, read_messages, read_taxonomy


def _write_csv(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_csv_rows_become_title_and_body(tmp_path):
    path = _write_csv(
        tmp_path / "m.csv",
        [
            ["留言编号", "留言主题", "留言详情", "一级分类"],
            ["1", " 公交太慢\t", "\n希望增加班次 ", "交通运输"],
            ["2", "只有标题", "", ""],
            ["3", "", "", "教育文体"],
        ],
    )
    rows = read_messages(path, need_label=True)
    assert rows.texts == ["公交太慢\n希望增加班次", "只有标题"]
    assert rows.labels == ["交通运输", ""]


def test_missing_file_and_columns_are_reported(tmp_path):
    with pytest.raises(MessageFileError, match="not found"):
        read_messages(tmp_path / "absent.csv")
    path = _write_csv(tmp_path / "m.csv", [["留言主题"], ["公交"]])
    with pytest.raises(MessageFileError, match="一级分类"):
        read_messages(path, need_label=True)
    other = _write_csv(tmp_path / "o.csv", [["name"], ["x"]])
    with pytest.raises(MessageFileError, match="留言主题"):
        read_messages(other)


def test_taxonomy_gives_second_and_third_level_terms(tmp_path):
    path = _write_csv(
        tmp_path / "t.csv",
        [
            ["一级分类", "二级分类", "三级分类"],
            ["交通运输", "公路运输", "客运"],
            ["交通运输", "公路运输", "货运"],
        ],
    )
    assert read_taxonomy(path) == {"交通运输": ["公路运输", "客运", "货运"]}
