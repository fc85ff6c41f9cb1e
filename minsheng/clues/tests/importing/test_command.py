"""The `import_clues` command: a thin shell over `import_clue_file`, with clear failures."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from minsheng.clues.models import Clue

from .conftest import teddy_row

pytestmark = pytest.mark.django_db


def _run(*args: object) -> str:
    out = io.StringIO()
    call_command("import_clues", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_imports_and_prints_the_summary(write_csv):
    path = write_csv([teddy_row(1), teddy_row(2, time="明天")])
    output = _run(path, "--source", "teddy", "--channel", "phone_import")
    assert "rows read: 2" in output
    assert "created: 1 (0 answered, 1 received; 1 with a source user id)" in output
    assert "rejected: 1" in output
    assert "line 3: 留言时间无法识别：“明天”" in output
    assert Clue.objects.get().channel == "phone_import"


def test_a_second_run_skips_everything(write_csv):
    path = write_csv([teddy_row(1), teddy_row(2, title="二")])
    _run(path)
    output = _run(path)
    assert "created: 0" in output
    assert "skipped as already present: 2" in output


def test_rejected_rows_can_be_written_to_a_csv(write_csv, tmp_path):
    path = write_csv([teddy_row(n, time="坏") for n in range(60)] + [teddy_row(99)])
    rejects = tmp_path / "rejects.csv"
    # when
    output = _run(path, "--rejects-csv", rejects)
    # then the output lists 50 and counts the rest; the CSV has them all
    assert output.count("line ") == 50
    assert "… and 10 more" in output
    with rejects.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["文件", "行号", "原因", "编号", "标题"]
    assert len(rows) == 61
    assert rows[1][:2] == ["clues.csv", "2"]


def test_a_dry_run_says_so_and_saves_nothing(write_csv):
    output = _run(write_csv([teddy_row(1)]), "--dry-run")
    assert "DRY RUN" in output
    assert "created: 1" in output
    assert not Clue.objects.exists()


def _error(*args: object) -> str:
    with pytest.raises(CommandError) as caught:
        _run(*args)
    return str(caught.value)


def test_missing_columns_fail_with_the_columns_named(write_csv):
    message = _error(write_csv([["1", "x"]], header=["编号", "备注"]))
    assert "缺少必需的列" in message
    assert "留言主题" in message
    assert "编号、备注" in message
    assert "Nothing was imported" in message


def test_garbage_named_xlsx_fails_clearly(tmp_path):
    path = tmp_path / "messages.xlsx"
    path.write_bytes(b"not a workbook at all")
    assert "不是有效的 XLSX 工作簿" in _error(path)


def test_an_empty_file_fails_clearly(tmp_path):
    path = tmp_path / "empty.csv"
    path.touch()
    assert "空文件" in _error(path)


def test_a_missing_file_fails_clearly(tmp_path):
    assert "no such file" in _error(tmp_path / "nope.csv")


def test_a_bad_file_among_several_stops_everything_before_writing(write_csv, tmp_path):
    # given a good file then a bad one
    good = write_csv([teddy_row(1)])
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"junk")
    # when / then nothing is imported: every file is checked first
    assert "bad.xlsx" in _error(good, bad)
    assert not Clue.objects.exists()


def test_several_files_are_imported_in_order_with_a_total(write_csv):
    first = write_csv([teddy_row(1)], name="a.csv")
    second = write_csv([teddy_row(2, title="二"), teddy_row(3, title="三")], name="b.csv")
    output = _run(first, second, "--source", "s")
    assert "total: 3 rows read, 3 created, 0 skipped, 0 rejected in 2 files" in output


def test_a_fault_part_way_says_what_stays_committed(tmp_path, write_csv):
    # given a clean file, then one with an encoding fault after 2000 good rows
    clean = write_csv([teddy_row(1, title="先导入")], name="clean.csv")
    mixed = tmp_path / "mixed.csv"
    lines = ["留言编号,留言主题,留言详情"] + [
        f"{n},标题{n},{'内容' * 200}" for n in range(100, 2200)
    ]
    mixed.write_bytes(("\n".join(lines) + "\n").encode() + "x,乱码,内容\n".encode("gbk"))
    later = write_csv([teddy_row(5)], name="later.csv")
    # when
    message = _error(clean, mixed, later, "--batch-size", "1000")
    # then
    assert "第2102行" in message
    assert (
        "2 batch(es) before the fault (lines 2–2001: 2000 clues created) were committed" in message
    )
    assert "Files imported before it stay imported:" in message
    assert "Not imported:" in message
    assert "later.csv" in message
    assert Clue.objects.count() == 2001


def test_an_unknown_channel_is_refused_by_the_parser(write_csv):
    with pytest.raises(CommandError):
        _run(write_csv([teddy_row()]), "--channel", "web")
