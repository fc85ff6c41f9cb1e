"""The demo's history is consistent on its own: checked without a database."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from minsheng.clues.importing.columns import Field, map_header
from minsheng.demo.data import DEMO_CLUES
from minsheng.demo.data.history import HISTORY, MIN_PER_SUBCATEGORY, TARGETED_SUBCATEGORIES
from minsheng.demo.services.history import HEADER
from minsheng.demo.tests.test_data import REGIONS_FILE, SHANGHAI, csv_rows, taxonomy_paths

# The demo's own stories span the two months before it is loaded (at the earliest, from
# the day this history was written); the history comes before them.
HISTORY_STARTS = dt.datetime(2025, 1, 1, tzinfo=SHANGHAI)
HISTORY_ENDS = dt.datetime(2026, 10, 1, tzinfo=SHANGHAI)
PHONE_OR_ID = re.compile(r"1\d{10}|\d{17}[\dXx]")


def moment(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)


def second_level(path: str) -> str:
    return "/".join(path.split("/")[:2])


def test_there_are_about_two_hundred_and_forty_past_clues() -> None:
    assert 220 <= len(HISTORY) <= 280


def test_keys_are_unique_and_apart_from_the_demo_stories() -> None:
    keys = Counter(clue.key for clue in HISTORY)
    assert [key for key, n in keys.items() if n > 1] == []
    assert all(key.startswith("h-") for key in keys)
    assert not set(keys) & {clue.key for clue in DEMO_CLUES}


def test_every_category_path_exists_in_the_default_taxonomy() -> None:
    paths = taxonomy_paths()
    for clue in HISTORY:
        assert clue.category in paths, f"{clue.key}: {clue.category}"
        assert clue.category.count("/") in (1, 2), f"{clue.key}: second or third level"


def test_targeted_second_level_categories_have_enough_clues_to_learn_from() -> None:
    paths = taxonomy_paths()
    counts = Counter(second_level(clue.category) for clue in HISTORY)
    assert len(TARGETED_SUBCATEGORIES) >= 12
    for subcategory in TARGETED_SUBCATEGORIES:
        assert subcategory in paths, subcategory
        assert counts[subcategory] >= MIN_PER_SUBCATEGORY, subcategory


def test_the_history_covers_the_areas_the_demo_departments_handle() -> None:
    roots = Counter(clue.category.split("/")[0] for clue in HISTORY)
    for root in (
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
    ):
        assert roots[root] >= 5, root


def test_regions_are_demo_regions() -> None:
    names = Counter(row["name"] for row in csv_rows(REGIONS_FILE))
    for clue in HISTORY:
        assert names[clue.region] == 1, f"{clue.key}: {clue.region}"


def test_each_clue_was_answered_within_a_month_before_the_demo_stories_begin() -> None:
    for clue in HISTORY:
        reported, answered = moment(clue.reported), moment(clue.answered)
        assert HISTORY_STARTS <= reported < answered < HISTORY_ENDS, clue.key
        assert answered - reported <= dt.timedelta(days=31), clue.key


def test_texts_read_like_messages_and_replies() -> None:
    for clue in HISTORY:
        assert 4 <= len(clue.title) <= 30, clue.key
        assert 30 <= len(clue.content) <= 200, clue.key
        assert 20 <= len(clue.answer) <= 200, clue.key
    lengths = sorted(len(clue.content) for clue in HISTORY)
    assert lengths[-1] - lengths[0] >= 60, "lengths should vary"


def test_no_phone_or_id_number_appears() -> None:
    for clue in HISTORY:
        for text in (clue.title, clue.content, clue.answer):
            assert not PHONE_OR_ID.search(text), clue.key


def test_the_import_file_header_is_understood_by_the_importer() -> None:
    columns = map_header(HEADER)
    assert set(columns.positions) == {
        Field.EXTERNAL_ID,
        Field.USER,
        Field.TITLE,
        Field.REPORTED_AT,
        Field.CONTENT,
        Field.CATEGORY,
        Field.REGION,
        Field.ANSWER,
        Field.ANSWERED_AT,
    }
