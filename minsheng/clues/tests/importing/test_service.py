"""`import_clue_file`: what it writes, what it skips, and what it refuses."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from minsheng.accounts.roles import Role
from minsheng.clues.choices import Channel, ContactPreference
from minsheng.clues.errors import ClueValidationError
from minsheng.clues.importing import ImportFileError, import_clue_file
from minsheng.clues.importing import writer as writer_module
from minsheng.clues.importing.summary import RejectedRow
from minsheng.clues.models import Clue, ClueEvent, Complainant
from minsheng.clues.services.events import verify_chain
from minsheng.clues.workflow import Action, ClueStatus
from minsheng.directory.choices import RegionLevel
from minsheng.directory.models import Category, Region

from .conftest import REPLY_HEADER, teddy_row

pytestmark = pytest.mark.django_db


def _chains_verify(clues):
    for clue in clues:
        assert verify_chain(clue, clue.events.order_by("seq")) == [], clue


def test_rows_become_received_clues_with_their_complainant_and_event(write_csv):
    # given two Teddy rows, one without a user
    path = write_csv([teddy_row(11, user="A001"), teddy_row(12, user="", title="垃圾没人清运")])
    # when
    summary = import_clue_file(path=path, source="teddy", channel=Channel.BULK_IMPORT)
    # then
    assert (summary.rows_read, summary.created, summary.skipped, summary.rejected) == (2, 2, 0, 0)
    first, second = Clue.objects.order_by("external_id")
    assert first.status == ClueStatus.RECEIVED
    assert (first.source, first.external_id, first.channel) == ("teddy", "11", "bulk_import")
    assert first.reported_at == timezone.make_aware(dt.datetime(2019, 4, 25, 9, 32, 9))
    assert first.tracking_code.startswith("190425")
    assert first.complainant.external_user == "A001"
    assert first.complainant.contact_preference == ContactPreference.NONE
    assert not first.is_anonymous
    assert second.is_anonymous
    assert not Complainant.objects.filter(clue=second).exists()
    event = first.events.get()
    assert (event.action, event.from_status, event.to_status) == (Action.RECEIVE, "", "received")
    assert event.actor_role == Role.SYSTEM
    assert event.actor_name == "importer"
    assert event.payload["external_id"] == "11"
    assert event.payload["line"] == 2
    _chains_verify([first, second])


def test_replies_become_answered_clues(write_csv):
    # given a row with a reply and its time, and one with a reply but no time
    path = write_csv(
        [
            [1, "U1", "路灯坏了", "2019/4/25 9:32:09", "内容", "已修复。", "2019/5/9 10:11:12"],
            [2, "U2", "噪音", "2019/4/26", "内容", "已处理。", ""],
            [3, "U3", "井盖", "2019/4/27", "内容", "", ""],
        ],
        header=REPLY_HEADER,
    )
    # when
    summary = import_clue_file(path=path, source="replies")
    # then
    assert summary.created_answered == 2
    answered = Clue.objects.get(external_id="1")
    assert answered.status == ClueStatus.ANSWERED
    assert answered.answer == "已修复。"
    assert answered.answered_at == timezone.make_aware(dt.datetime(2019, 5, 9, 10, 11, 12))
    event = answered.events.get()
    assert (event.action, event.to_status) == (Action.IMPORT_ANSWERED, "answered")
    assert event.payload["answered_at"] == "2019-05-09T10:11:12+08:00"
    assert event.payload["reported_at"] == "2019-04-25T09:32:09+08:00"
    assert event.payload["source"] == "replies"
    untimed = Clue.objects.get(external_id="2")
    assert (untimed.status, untimed.answered_at) == (ClueStatus.ANSWERED, None)
    assert Clue.objects.get(external_id="3").status == ClueStatus.RECEIVED
    _chains_verify(Clue.objects.all())


def test_importing_twice_creates_nothing_the_second_time(write_xlsx):
    # given rows with ids and rows without (found again by fingerprint)
    rows = [teddy_row(n, title=f"问题{n}") for n in range(1, 6)]
    rows += [teddy_row(None, user="", title=f"无编号{n}", time=None) for n in range(3)]
    path = write_xlsx(rows)
    first = import_clue_file(path=path, source="teddy", batch_size=3)
    # when
    second = import_clue_file(path=path, source="teddy", batch_size=3)
    # then
    assert first.created == 8
    assert (second.created, second.skipped_existing, second.skipped_duplicate) == (0, 8, 0)
    assert Clue.objects.count() == 8
    assert ClueEvent.objects.count() == 8


def test_the_same_file_in_another_source_is_imported_again(write_csv):
    path = write_csv([teddy_row(1)])
    import_clue_file(path=path, source="a")
    assert import_clue_file(path=path, source="b").created == 1


def test_repeats_within_a_file_are_skipped_across_batch_boundaries(write_csv):
    # given id 1 three times (lines 2, 4, 6) and one untimed message twice, batches of 2
    path = write_csv(
        [
            teddy_row(1),
            teddy_row(2, title="二"),
            teddy_row(1),
            teddy_row(3, title="三"),
            teddy_row(1),
            teddy_row(None, title="无", time=""),
            teddy_row(None, title="无", time=""),
        ]
    )
    # when
    summary = import_clue_file(path=path, source="teddy", batch_size=2)
    # then
    assert summary.created == 4
    assert (summary.skipped_existing, summary.skipped_duplicate) == (0, 3)
    assert summary.rows_read == 7


def test_bad_rows_are_rejected_with_their_line_and_good_rows_kept(write_csv):
    # given good rows around an empty row, a bad date, a future date and an empty message
    future = (timezone.localdate() + dt.timedelta(days=30)).strftime("%Y/%m/%d")
    path = write_csv(
        [
            teddy_row(1),  # line 2
            [],  # line 3
            teddy_row(2, time="2019/13/45"),  # line 4
            teddy_row(3, time=future),  # line 5
            teddy_row(4, title="", content=" "),  # line 6
            teddy_row(5, title="好的"),  # line 7
        ]
    )
    rejected: list[RejectedRow] = []
    # when
    summary = import_clue_file(path=path, source="teddy", on_reject=rejected.append)
    # then
    assert summary.created == 2
    assert summary.rejected == 4
    assert summary.created + summary.skipped + summary.rejected == summary.rows_read == 6
    assert [(row.line, row.reason.split("：")[0]) for row in summary.rejected_rows] == [
        (3, "空行"),
        (4, "留言时间无法识别"),
        (5, "留言时间晚于当前时间"),
        (6, "标题和内容均为空"),
    ]
    assert rejected == summary.rejected_rows
    assert rejected[1].external_id == "2"
    assert set(Clue.objects.values_list("external_id", flat=True)) == {"1", "5"}


def test_the_summary_keeps_50_rejected_rows_and_counts_the_rest(write_csv):
    path = write_csv([teddy_row(n, time="坏") for n in range(70)])
    seen: list[RejectedRow] = []
    summary = import_clue_file(path=path, source="teddy", on_reject=seen.append)
    assert summary.rejected == 70
    assert len(summary.rejected_rows) == 50
    assert len(seen) == 70
    assert "… and 20 more" in "\n".join(summary.report_lines())


def test_a_dry_run_writes_nothing_but_counts_everything(write_csv):
    path = write_csv([teddy_row(1), teddy_row(1), teddy_row(2, time="x")])
    summary = import_clue_file(path=path, source="teddy", dry_run=True, batch_size=1)
    assert (summary.created, summary.skipped_duplicate, summary.rejected) == (1, 1, 1)
    assert summary.dry_run
    assert not Clue.objects.exists()
    assert not ClueEvent.objects.exists()


def test_category_labels_match_the_shallowest_category_of_that_name(write_csv):
    # given "交通" at the root and under another branch, and a label with no category
    root = Category.objects.create(name="交通")
    other = Category.objects.create(name="城建")
    Category.objects.create(name="交通", parent=other)
    path = write_csv(
        [
            teddy_row(1, category="交通"),
            teddy_row(2, category="教育"),
            teddy_row(3, category="教育"),
        ]
    )
    # when
    summary = import_clue_file(path=path, source="teddy")
    # then
    assert Clue.objects.get(external_id="1").category == root
    unmatched = Clue.objects.get(external_id="2")
    assert (unmatched.category, unmatched.source_category_label) == (None, "教育")
    assert summary.categories_matched == 1
    assert summary.unmatched_categories == {"教育": 2}
    assert (
        "  unmatched category labels: 教育 ×2 — import the taxonomy first" in summary.report_lines()
    )


def test_a_category_path_from_our_export_is_followed_from_the_root(write_csv):
    city = Category.objects.create(name="城乡建设")
    safety = Category.objects.create(name="安全生产", parent=city)
    Category.objects.create(name="安全生产")  # the same name elsewhere, shallower
    path = write_csv([teddy_row(1, category="城乡建设 / 安全生产")])
    import_clue_file(path=path, source="teddy")
    assert Clue.objects.get().category == safety


def test_regions_are_found_by_code_or_unique_name(write_csv):
    city = Region.objects.create(code="430100", name="长沙市", level=RegionLevel.PREFECTURE)
    district = Region.objects.create(
        code="430111", name="雨花区", level=RegionLevel.COUNTY, parent=city
    )
    path = write_csv(
        [
            ["1", "标题", "内容", "雨花区（430111）"],
            ["2", "标题2", "内容", "长沙市"],
            ["3", "标题3", "内容", "火星"],
        ],
        header=["id", "title", "content", "region"],
    )
    summary = import_clue_file(path=path, source="hotline", channel=Channel.PHONE_IMPORT)
    assert Clue.objects.get(external_id="1").region == district
    assert Clue.objects.get(external_id="2").region == city
    assert Clue.objects.get(external_id="3").region is None
    assert summary.unmatched_regions == {"火星": 1}
    assert Clue.objects.get(external_id="1").channel == Channel.PHONE_IMPORT


def test_tracking_code_clashes_are_drawn_again(write_csv, monkeypatch):
    # given a code already taken and a generator that returns it (and repeats) first
    path = write_csv([teddy_row(1), teddy_row(2, title="二")])
    import_clue_file(path=path, source="first")
    taken = Clue.objects.order_by("pk").values_list("tracking_code", flat=True)[0]
    fresh = (f"19042500000000{n:02d}" for n in itertools.count())
    codes = itertools.chain([taken, taken], fresh)
    monkeypatch.setattr(writer_module, "new_tracking_code", lambda day: next(codes))
    # when
    summary = import_clue_file(path=path, source="second")
    # then
    assert summary.created == 2
    assert Clue.objects.filter(tracking_code=taken).count() == 1
    assert Clue.objects.values("tracking_code").distinct().count() == 4


def test_an_encoding_fault_keeps_the_batches_before_it(tmp_path):
    # given 2500 good UTF-8 rows (past the 1 MiB sample) then a GBK line
    path = tmp_path / "mixed.csv"
    lines = ["留言编号,留言主题,留言详情"] + [f"{n},标题{n},{'内容' * 200}" for n in range(2500)]
    path.write_bytes(("\n".join(lines) + "\n").encode() + "9999,乱码,内容\n".encode("gbk"))
    # when
    with pytest.raises(ImportFileError) as caught:
        import_clue_file(path=path, source="mixed", batch_size=1000)
    # then the first two batches stayed, the summary says so
    partial = caught.value.summary
    assert partial is not None
    assert (partial.batches_written, partial.created, partial.last_line) == (2, 2000, 2001)
    assert Clue.objects.count() == 2000
    assert "第2502行" in caught.value.message


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"source": " "}, "source"),
        ({"source": "s" * 61}, "source"),
        ({"channel": Channel.WEB}, "channel"),
        ({"batch_size": 0}, "batch_size"),
    ],
)
def test_bad_options_are_refused(write_csv, options, field):
    path = write_csv([teddy_row()])
    arguments = {"path": path, "source": "teddy", **options}
    with pytest.raises(ClueValidationError) as caught:
        import_clue_file(**arguments)
    assert caught.value.field == field


def test_a_category_name_containing_a_slash_is_still_found(write_csv):
    utilities = Category.objects.create(name="水/电/气")
    import_clue_file(path=write_csv([teddy_row(1, category="水/电/气")]), source="teddy")
    assert Clue.objects.get().category == utilities


def test_an_ambiguous_category_name_is_left_unmatched_not_guessed(write_csv):
    # given "其他" under two parents at the same level, and a full path to one of them
    transport, education = (
        Category.objects.create(name="交通"),
        Category.objects.create(name="教育"),
    )
    other_transport = Category.objects.create(name="其他", parent=transport)
    Category.objects.create(name="其他", parent=education)
    path = write_csv([teddy_row(1, category="其他"), teddy_row(2, category="交通 / 其他")])
    # when
    summary = import_clue_file(path=path, source="teddy")
    # then the bare name matches nothing, the path matches exactly
    assert Clue.objects.get(external_id="1").category is None
    assert Clue.objects.get(external_id="2").category == other_transport
    assert summary.unmatched_categories == {"其他": 1}


def test_a_large_import_refreshes_the_planner_statistics_on_postgresql(write_csv, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from minsheng.clues.importing import service

    # given an import that reaches the threshold (lowered to 2) and one that does not
    monkeypatch.setattr(service, "ANALYZE_AFTER_CREATED", 2)
    large = [teddy_row(1), teddy_row(2, title="二", content="另一条内容")]
    small = [teddy_row(3, title="三", content="第三条内容")]

    # when each is imported
    with CaptureQueriesContext(connection) as after_large:
        created = import_clue_file(path=write_csv(large), source="teddy").created
    with CaptureQueriesContext(connection) as after_small:
        import_clue_file(path=write_csv(small), source="teddy-2")

    # then only the large one ends with ANALYZE of the clue tables, and only on PostgreSQL
    assert created == 2
    analyzed = [q["sql"] for q in after_large if q["sql"].startswith("ANALYZE")]
    if connection.vendor == "postgresql":
        assert analyzed == ['ANALYZE "clues_clue", "clues_complainant"']
    else:
        assert analyzed == []
    assert not [q for q in after_small if q["sql"].startswith("ANALYZE")]
