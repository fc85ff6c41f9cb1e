"""Exporting clues (minsheng.clues.exporting and the export_clues command)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import factory
import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from factory.django import DjangoModelFactory

from minsheng.clues.choices import Channel, Outcome, Satisfaction
from minsheng.clues.errors import ClueValidationError
from minsheng.clues.exporting import (
    EXPORT_COLUMNS,
    filter_clues_for_export,
    write_clues_csv,
    write_clues_xlsx,
)
from minsheng.clues.importing import import_clue_file
from minsheng.clues.models import Clue, Complainant
from minsheng.clues.services.codes import new_tracking_code
from minsheng.clues.services.events import verify_all_chains
from minsheng.clues.services.fingerprints import clue_fingerprint
from minsheng.clues.workflow import ClueStatus
from minsheng.directory.choices import Priority, RegionLevel
from minsheng.directory.models import Category, Region

pytestmark = pytest.mark.django_db

REPORTED = dt.datetime(2024, 6, 1, 9, 30, 15)


def local(moment: dt.datetime) -> dt.datetime:
    return timezone.make_aware(moment)


class ClueFactory(DjangoModelFactory[Clue]):
    """A clue as export sees it; `status` is set directly (no lifecycle needed to read)."""

    class Meta:
        model = Clue

    tracking_code = factory.LazyFunction(lambda: new_tracking_code(REPORTED.date()))
    channel = Channel.WEB
    title = factory.Sequence(lambda n: f"路灯不亮{n}")
    content = "小区门口的路灯坏了。\n晚上很黑。"
    reported_at = factory.LazyFunction(lambda: local(REPORTED))
    fingerprint = factory.LazyAttribute(
        lambda o: clue_fingerprint(title=o.title, content=o.content, reported_at=o.reported_at)
    )


@pytest.fixture
def tree() -> dict[str, object]:
    city_building = Category.objects.create(name="城乡建设")
    safety = Category.objects.create(name="安全生产", parent=city_building)
    accident = Category.objects.create(name="事故处理", parent=safety)
    education = Category.objects.create(name="教育文体")
    province = Region.objects.create(code="430000", name="湖南省", level=RegionLevel.PROVINCE)
    city = Region.objects.create(
        code="430100", name="长沙市", level=RegionLevel.PREFECTURE, parent=province
    )
    district = Region.objects.create(
        code="430111", name="雨花区", level=RegionLevel.COUNTY, parent=city
    )
    other_city = Region.objects.create(
        code="430200", name="株洲市", level=RegionLevel.PREFECTURE, parent=province
    )
    return {
        "城乡建设": city_building,
        "安全生产": safety,
        "事故处理": accident,
        "教育文体": education,
        "长沙市": city,
        "雨花区": district,
        "株洲市": other_city,
    }


def _csv_rows(clues=None, **filters) -> list[dict[str, str]]:
    stream = io.StringIO(newline="")
    queryset = filter_clues_for_export(clues or Clue.objects.all(), **filters)
    write_clues_csv(clues=queryset, stream=stream)
    text = stream.getvalue()
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def test_every_column_is_written_and_no_identity(tree):
    # given an answered, closed clue with a complainant
    clue = ClueFactory.create(
        category=tree["事故处理"],
        region=tree["雨花区"],
        place_text="劳动东路",
        status=ClueStatus.CLOSED,
        priority=Priority.HIGH,
        outcome=Outcome.RESOLVED,
        accept_due=dt.date(2024, 6, 3),
        handle_due=dt.date(2024, 6, 21),
        answer="已修复。",
        answered_at=local(dt.datetime(2024, 6, 5, 16, 0)),
        satisfaction=Satisfaction.SATISFIED,
        external_id="T-9",
        source="teddy",
    )
    Complainant.objects.create(clue=clue, name="张三", phone="13812341234", external_user="U77")
    # when
    stream = io.StringIO(newline="")
    count = write_clues_csv(clues=Clue.objects.all(), stream=stream)
    # then
    assert count == 1
    text = stream.getvalue()
    assert not any(secret in text for secret in ("张三", "13812341234", "U77"))
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    assert dict(zip(rows[0], rows[1], strict=True)) == {
        "受理编号": clue.tracking_code,
        "来源渠道": "网站",
        "外部编号": "T-9",
        "标题": clue.title,
        "内容": "小区门口的路灯坏了。\n晚上很黑。",
        "问题分类": "城乡建设 / 安全生产 / 事故处理",
        "所在区划": "雨花区（430111）",
        "详细地点": "劳动东路",
        "反映时间": "2024-06-01 09:30:15",
        "状态": "已办结",
        "优先级": "紧急",
        "办结结果": "已解决",
        "签收期限": "2024-06-03",
        "办结期限": "2024-06-21",
        "答复意见": "已修复。",
        "答复时间": "2024-06-05 16:00:00",
        "满意度": "满意",
    }


def test_status_and_channel_filters(tree):
    received = ClueFactory.create()
    answered = ClueFactory.create(status=ClueStatus.ANSWERED, channel=Channel.BULK_IMPORT)
    closed = ClueFactory.create(status=ClueStatus.CLOSED)
    titles = lambda **f: {row["标题"] for row in _csv_rows(**f)}  # noqa: E731
    assert titles(statuses=["answered", "closed"]) == {answered.title, closed.title}
    assert titles(statuses=["received"]) == {received.title}
    assert titles(channel="bulk_import") == {answered.title}


def test_category_filter_takes_the_subtree(tree):
    # given clues in a root category, its grandchild and another root
    in_root = ClueFactory.create(category=tree["城乡建设"])
    in_leaf = ClueFactory.create(category=tree["事故处理"])
    ClueFactory.create(category=tree["教育文体"])
    ClueFactory.create()
    # then
    assert {r["标题"] for r in _csv_rows(category="城乡建设")} == {in_root.title, in_leaf.title}
    assert {r["标题"] for r in _csv_rows(category="安全生产")} == {in_leaf.title}
    assert {r["标题"] for r in _csv_rows(category="城乡建设/安全生产")} == {in_leaf.title}


def test_region_filter_takes_the_subtree(tree):
    in_district = ClueFactory.create(region=tree["雨花区"])
    in_city = ClueFactory.create(region=tree["长沙市"])
    ClueFactory.create(region=tree["株洲市"])
    assert {r["标题"] for r in _csv_rows(region_code="430100")} == {
        in_district.title,
        in_city.title,
    }
    assert {r["标题"] for r in _csv_rows(region_code="430111")} == {in_district.title}


def test_date_filters_are_inclusive_local_days():
    # given clues just before, at the start, at the end and just after 1-2 June (local)
    before = ClueFactory.create(reported_at=local(dt.datetime(2024, 5, 31, 23, 59, 59)))
    start = ClueFactory.create(reported_at=local(dt.datetime(2024, 6, 1, 0, 0)))
    end = ClueFactory.create(reported_at=local(dt.datetime(2024, 6, 2, 23, 59, 59)))
    after = ClueFactory.create(reported_at=local(dt.datetime(2024, 6, 3, 0, 0)))
    rows = _csv_rows(since=dt.date(2024, 6, 1), until=dt.date(2024, 6, 2))
    assert {r["标题"] for r in rows} == {start.title, end.title}
    assert {r["标题"] for r in _csv_rows(until=dt.date(2024, 5, 31))} == {before.title}
    assert {r["标题"] for r in _csv_rows(since=dt.date(2024, 6, 3))} == {after.title}


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"statuses": ["nope"]}, "status"),
        ({"category": "无此分类"}, "category"),
        ({"region_code": "999999"}, "region"),
        ({"channel": "fax"}, "channel"),
        ({"since": dt.date(2024, 6, 2), "until": dt.date(2024, 6, 1)}, "since"),
    ],
)
def test_unknown_filters_are_refused(tree, filters, field):
    with pytest.raises(ClueValidationError) as caught:
        filter_clues_for_export(Clue.objects.all(), **filters)
    assert caught.value.field == field


def test_the_export_streams_with_a_fixed_number_of_queries(tree, django_assert_max_num_queries):
    for index in range(30):
        ClueFactory.create(
            category=tree["事故处理"] if index % 2 else tree["教育文体"], region=tree["雨花区"]
        )
    stream = io.StringIO(newline="")
    # one for the clues, one per category first seen (its ancestors' names)
    with django_assert_max_num_queries(3):
        assert write_clues_csv(clues=Clue.objects.all(), stream=stream) == 30


def test_formula_like_cells_are_escaped_in_csv_and_typed_as_text_in_xlsx(tmp_path):
    # given a title that a spreadsheet would run
    ClueFactory.create(title='=HYPERLINK("http://evil.example","点我")', content="-降价促销")
    rows = _csv_rows()
    assert rows[0]["标题"] == '\'=HYPERLINK("http://evil.example","点我")'
    assert rows[0]["内容"] == "'-降价促销"
    # and in XLSX the cell is a string, not a formula
    path = tmp_path / "clues.xlsx"
    write_clues_xlsx(clues=Clue.objects.all(), target=str(path))
    cell = openpyxl.load_workbook(path).active["D2"]
    assert (cell.data_type, cell.value) == ("s", '=HYPERLINK("http://evil.example","点我")')


def _roundtrip_clues(tree) -> list[Clue]:
    return [
        ClueFactory.create(
            category=tree["事故处理"],
            region=tree["雨花区"],
            place_text="劳动东路",
            priority=Priority.URGENT,
            status=ClueStatus.ANSWERED,
            answer="已处理。",
            answered_at=local(dt.datetime(2024, 6, 2, 8, 0)),
        ),
        ClueFactory.create(
            title="=1+1", content="多行\n内容", status=ClueStatus.CLOSED, answer="已办结。"
        ),
        ClueFactory.create(category=tree["教育文体"], up_votes=3),
    ]


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_an_export_re_imports_into_a_fresh_source(tree, tmp_path, export_format):
    # given three clues exported through the command
    originals = {clue.tracking_code: clue for clue in _roundtrip_clues(tree)}
    path = tmp_path / f"export.{export_format}"
    call_command(
        "export_clues",
        "--format",
        export_format,
        "--output",
        str(path),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    # when it is imported into another source
    summary = import_clue_file(path=path, source="export-site-a")
    # then every clue comes back, found by its tracking code, with the same content
    assert (summary.rows_read, summary.created, summary.rejected) == (3, 3, 0)
    for copy in Clue.objects.filter(source="export-site-a"):
        original = originals[copy.external_id]
        for name in (
            "title",
            "content",
            "reported_at",
            "category",
            "region",
            "place_text",
            "priority",
            "answer",
            "answered_at",
            "fingerprint",
        ):
            assert getattr(copy, name) == getattr(original, name), name
        expected = ClueStatus.ANSWERED if original.answer else ClueStatus.RECEIVED
        assert copy.status == expected
    assert list(verify_all_chains()) == []
    # and a second import of the same export creates nothing
    assert import_clue_file(path=path, source="export-site-a").created == 0


def test_the_command_writes_csv_to_stdout_without_bom():
    ClueFactory.create(title="标准输出")
    out, err = io.StringIO(), io.StringIO()
    call_command("export_clues", stdout=out, stderr=err)
    text = out.getvalue()
    assert text.startswith("受理编号,")
    assert "标准输出" in text
    assert "exported 1 clue(s) to standard output" in err.getvalue()


def test_the_command_writes_a_file_with_bom_and_leaves_no_partial(tmp_path):
    ClueFactory.create()
    path = tmp_path / "out.csv"
    call_command(
        "export_clues",
        "--output",
        str(path),
        "--status",
        "received",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_the_command_writes_xlsx_to_stdout(capsysbinary):
    ClueFactory.create(title="二进制")
    call_command("export_clues", "--format", "xlsx", stderr=io.StringIO())
    data = capsysbinary.readouterr().out
    assert data.startswith(b"PK")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["D2"].value == "二进制"


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["--category", "无此分类"], "没有名为“无此分类”的问题分类"),
        (["--region", "123456"], "没有代码为 123456 的行政区划"),
        (["--since", "2024-13-01"], "not a date"),
        (["--status", "nope"], "invalid choice"),
    ],
)
def test_the_command_refuses_bad_filters(args, text):
    with pytest.raises(CommandError, match=text):
        call_command("export_clues", *args, stdout=io.StringIO(), stderr=io.StringIO())


def test_an_unwritable_output_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot write"):
        call_command(
            "export_clues",
            "--output",
            str(tmp_path / "no" / "dir.csv"),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
