"""The demo data is consistent on its own: checked without a database, before any load."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from minsheng.demo.clock import ClockError
from minsheng.demo.data import DEMO_CLUES
from minsheng.demo.data.accounts import ACCOUNTS, CITIZEN_PERSON
from minsheng.demo.data.reference import DEPARTMENTS_FILE, RULES_FILE, SLA_POLICIES
from minsheng.demo.services.clues import demo_timeline
from minsheng.demo.story import CoAccept, CoContribute, Dispatch, Merge
from minsheng.directory.services import DEFAULT_TAXONOMY_PATH
from minsheng.privacy.validators import is_valid_id_number, is_valid_phone

SHANGHAI = ZoneInfo("Asia/Shanghai")
REGIONS_FILE = DEFAULT_TAXONOMY_PATH.with_name("demo_regions.csv")


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def taxonomy_paths() -> set[str]:
    paths = set()
    for row in csv_rows(DEFAULT_TAXONOMY_PATH):
        names = [row["一级分类"], row["二级分类"], row["三级分类"]]
        for depth in range(1, 4):
            paths.add("/".join(names[:depth]))
    return paths


def department_names() -> set[str]:
    return {row["name"] for row in csv_rows(DEPARTMENTS_FILE)}


def test_keys_are_unique() -> None:
    duplicates = [key for key, n in Counter(c.key for c in DEMO_CLUES).items() if n > 1]
    assert duplicates == []


def test_there_are_about_forty_clues() -> None:
    assert 35 <= len(DEMO_CLUES) <= 50


def test_categories_are_leaves_of_the_default_taxonomy() -> None:
    paths = taxonomy_paths()
    for clue in DEMO_CLUES:
        assert clue.category in paths, clue.key
        assert clue.category.count("/") == 2, clue.key
    for policy in SLA_POLICIES:
        assert not policy.category or policy.category in paths


def test_regions_are_demo_regions() -> None:
    names = Counter(row["name"] for row in csv_rows(REGIONS_FILE))
    for clue in DEMO_CLUES:
        assert names[clue.region] == 1, f"{clue.key}: {clue.region}"


def test_every_named_department_is_in_the_department_file() -> None:
    departments = department_names()
    named = {account.department for account in ACCOUNTS if account.department}
    for clue in DEMO_CLUES:
        for step in clue.story:
            if isinstance(step, CoAccept | CoContribute):
                named.add(step.department)
            if isinstance(step, Dispatch):
                named.update(name for name in (step.lead, *step.co) if name)
    for row in csv_rows(RULES_FILE):
        named.add(row["lead_department"])
        named.update(name for name in row["co_departments"].split("|") if name)
    assert named - departments == set()


def test_there_are_about_twenty_departments() -> None:
    assert len(department_names()) >= 20


def test_phone_and_id_numbers_are_well_formed() -> None:
    for clue in DEMO_CLUES:
        if clue.person is None:
            continue
        assert is_valid_phone(clue.person.phone), clue.key
        assert clue.person.phone.startswith("1"), f"{clue.key}: mobile numbers only"
        if clue.person.id_number:
            assert is_valid_id_number(clue.person.id_number), clue.key


def test_some_clues_are_anonymous_and_some_carry_an_id_number() -> None:
    assert sum(clue.person is None for clue in DEMO_CLUES) >= 4
    assert sum(bool(clue.person and clue.person.id_number) for clue in DEMO_CLUES) >= 3


def test_clues_filed_from_the_citizen_account_carry_its_identity() -> None:
    filed = [clue for clue in DEMO_CLUES if clue.by_citizen_account]
    assert filed
    assert all(clue.person == CITIZEN_PERSON for clue in filed)


def test_a_merged_clue_comes_after_the_clue_it_is_merged_into() -> None:
    seen: set[str] = set()
    for clue in DEMO_CLUES:
        for step in clue.story:
            if isinstance(step, Merge):
                assert step.into in seen, clue.key
        seen.add(clue.key)


@pytest.mark.parametrize("hour", [0, 3, 7, 9, 12, 16, 20, 23])
def test_every_story_is_over_before_the_demo_is_loaded(hour: int) -> None:
    # whatever the time of day the demo is loaded, no step lands in the future
    now = dt.datetime(2026, 11, 28, hour, 59, tzinfo=SHANGHAI)
    for clue in DEMO_CLUES:
        try:
            moments = demo_timeline(clue, now)
        except ClockError as exc:
            pytest.fail(f"{clue.key}: {exc}")
        assert moments == sorted(moments)
        assert clue.reported_at(now) <= moments[0] <= now


def test_the_demo_spans_about_two_months() -> None:
    oldest = max(clue.days_ago for clue in DEMO_CLUES)
    assert 50 <= oldest <= 62
