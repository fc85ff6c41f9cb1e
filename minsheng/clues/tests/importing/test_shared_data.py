"""Every Teddy Cup message file in ../shared/data imports completely and correctly.

Expected values are read from the sheets here with openpyxl directly, not through the
importer's own reader. Each file is imported once, except the idempotency check.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.db.models import F, Sum
from django.utils import timezone

from minsheng.clues.importing import import_clue_file
from minsheng.clues.models import Clue, Complainant
from minsheng.clues.services.events import verify_all_chains
from minsheng.clues.workflow import ClueStatus
from minsheng.testing.shared_data import TEDDY_CATEGORIES, shared_file

pytestmark = [pytest.mark.django_db, pytest.mark.shared_data]

DATA_ROWS = {
    "messages_labelled.xlsx": 345,
    "messages_labelled_full.xlsx": 7127,
    "messages_unlabelled.xlsx": 2801,
    "messages_with_votes.xlsx": 4309,
    "messages_with_replies.xlsx": 2816,
}


def _sheet(path: Path) -> list[dict[str, Any]]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = [str(cell).strip() for cell in next(rows)]
        return [dict(zip(header, row, strict=False)) for row in rows]
    finally:
        workbook.close()


def _filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _assert_complete(summary, name: str) -> None:
    assert summary.rows_read == DATA_ROWS[name]
    assert summary.created + summary.skipped + summary.rejected == summary.rows_read
    assert summary.rejected == 0, summary.rejected_rows
    assert list(verify_all_chains()) == []


@pytest.mark.parametrize("name", ["messages_labelled.xlsx", "messages_unlabelled.xlsx"])
def test_a_labelled_layout_file_imports(name):
    # given
    path = shared_file(name)
    # when
    summary = import_clue_file(path=path, source=name)
    # then every row is a clue with its user
    _assert_complete(summary, name)
    assert summary.created == DATA_ROWS[name]
    assert Complainant.objects.count() == DATA_ROWS[name]


def test_the_full_labelled_file_keeps_categories_and_imports_once(teddy_categories):
    # given the taxonomy's first level, imported first (the fixture)
    path = shared_file("messages_labelled_full.xlsx")
    sheet = _sheet(path)
    # when
    summary = import_clue_file(path=path, source="full")
    # then all rows are read; repeated ids and repeated untimed messages are skipped
    _assert_complete(summary, "messages_labelled_full.xlsx")
    assert summary.skipped_existing == 0
    assert summary.skipped_duplicate > 0
    assert summary.created == Clue.objects.count()
    assert summary.without_reported_at == sum(not _filled(r["留言时间"]) for r in sheet)
    assert summary.titles_from_content == sum(not _filled(r["留言主题"]) for r in sheet)
    assert summary.contents_from_title == sum(not _filled(r["留言详情"]) for r in sheet)
    # every clue has the category its label names
    assert summary.categories_matched == summary.created
    assert not summary.unmatched_categories
    assert not Clue.objects.exclude(category__name=F("source_category_label")).exists()
    assert set(Clue.objects.values_list("category__name", flat=True)) == set(TEDDY_CATEGORIES)
    # a complainant exactly where the row named a user
    assert Complainant.objects.count() == Clue.objects.filter(is_anonymous=False).count() > 0
    assert Clue.objects.filter(external_id="").count() > 0

    # when the same file is imported again
    again = import_clue_file(path=path, source="full")
    # then nothing is created and every row is accounted for
    assert again.created == 0
    assert again.skipped == again.rows_read == DATA_ROWS["messages_labelled_full.xlsx"]
    assert Clue.objects.count() == summary.created


def test_the_replies_file_gives_answered_clues():
    # given
    path = shared_file("messages_with_replies.xlsx")
    sheet = _sheet(path)
    # when
    summary = import_clue_file(path=path, source="replies")
    # then
    _assert_complete(summary, "messages_with_replies.xlsx")
    with_reply = [row for row in sheet if _filled(row["答复意见"])]
    assert summary.created_answered == len(with_reply)
    assert Clue.objects.filter(status=ClueStatus.ANSWERED).count() == len(with_reply)
    assert Clue.objects.filter(answered_at__isnull=False).count() == sum(
        _filled(row["答复时间"]) for row in with_reply
    )
    # the one Excel datetime among the text times is read as such
    excel_row = next(row for row in sheet if isinstance(row["留言时间"], dt.datetime))
    clue = Clue.objects.get(external_id=str(excel_row["留言编号"]))
    assert clue.reported_at == timezone.make_aware(excel_row["留言时间"])
    assert not Clue.objects.filter(answered_at__lt=F("reported_at")).exists()


def test_the_votes_file_keeps_the_votes():
    # given
    path = shared_file("messages_with_votes.xlsx")
    sheet = _sheet(path)
    # when
    summary = import_clue_file(path=path, source="votes")
    # then
    _assert_complete(summary, "messages_with_votes.xlsx")
    totals = Clue.objects.aggregate(up=Sum("up_votes"), down=Sum("down_votes"))
    assert totals == {
        "up": sum(row["点赞数"] for row in sheet),
        "down": sum(row["反对数"] for row in sheet),
    }
    timed = sum(isinstance(row["留言时间"], dt.datetime) for row in sheet)
    assert timed > 0
    assert summary.without_reported_at == 0
