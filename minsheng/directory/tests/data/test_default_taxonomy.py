"""The shape of our own default taxonomy (data/default_taxonomy.csv), checked without a database."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict

import pytest

from minsheng.directory.services import DEFAULT_TAXONOMY_PATH


@pytest.fixture(scope="module")
def rows():
    with DEFAULT_TAXONOMY_PATH.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        assert header == ["一级分类", "二级分类", "三级分类"]
        return [tuple(row) for row in reader]


def test_every_row_has_three_clean_levels(rows):
    assert all(len(row) == 3 for row in rows)
    assert all(name and name == name.strip() and len(name) <= 60 for row in rows for name in row)


def test_there_are_no_duplicate_rows(rows):
    assert [row for row, count in Counter(rows).items() if count > 1] == []


def test_level_sizes_stay_within_the_agreed_ranges(rows):
    seconds: dict[str, set[str]] = defaultdict(set)
    thirds: dict[tuple[str, str], set[str]] = defaultdict(set)
    for first, second, third in rows:
        seconds[first].add(second)
        thirds[(first, second)].add(third)
    assert len(seconds) >= 15
    assert all(2 <= len(names) <= 6 for names in seconds.values()), seconds
    assert all(2 <= len(names) <= 5 for names in thirds.values()), thirds


def test_every_name_is_unique_across_the_whole_taxonomy(rows):
    # given: a bare label must point at one category (see category_find_by_name)
    firsts = {row[0] for row in rows}
    seconds = {(row[0], row[1]) for row in rows}
    names = Counter([*firsts, *(second for _, second in seconds), *(row[2] for row in rows)])

    # then
    assert [name for name, count in names.items() if count > 1] == []


@pytest.mark.parametrize(
    "first",
    [
        "供水",
        "供电",
        "燃气供热",
        "住房和城乡建设",
        "城市管理",
        "交通运输",
        "消防安全",
        "盐业",
        "生态环境",
        "教育",
        "卫生健康",
        "劳动和社会保障",
        "市场监管",
        "公共安全",
        "民政",
        "农业农村",
        "政策建议",
    ],
)
def test_the_agreed_first_level_categories_are_present(rows, first):
    assert first in {row[0] for row in rows}


@pytest.mark.parametrize(
    "path",
    [
        ("供水", "供水服务", "停水"),
        ("供水", "供水服务", "水压低"),
        ("供水", "水质问题", "水质浑浊"),
        ("供电", "电费电表", "电费争议"),
        ("供电", "供电质量", "频繁停电"),
        ("燃气供热", "燃气安全", "燃气泄漏隐患"),
        ("燃气供热", "供热质量", "暖气不热"),
        ("住房和城乡建设", "物业管理", "物业服务"),
        ("城市管理", "违法建设", "违章建筑"),
        ("城市管理", "市容秩序", "占道经营"),
        ("劳动和社会保障", "农民工工资", "拖欠农民工工资"),
        ("生态环境", "噪声污染", "噪声扰民"),
        ("盐业", "食盐质量", "食盐质量问题"),
        ("盐业", "食盐专营", "工业盐冒充食盐"),
        ("盐业", "盐业市场", "私盐贩运"),
    ],
)
def test_common_citizen_reports_have_a_home(rows, path):
    assert path in rows
