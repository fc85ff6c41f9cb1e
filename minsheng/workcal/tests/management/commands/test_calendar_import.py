"""`manage.py calendar_import FILE`: enter a year the package lacks, idempotently."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from minsheng.workcal.models import CalendarDay
from minsheng.workcal.services import is_working_day, year_is_covered

pytestmark = pytest.mark.django_db

VALID = (
    "date,is_working_day,name\n"
    "2027-01-01,休,元旦\n"
    "2027-02-06,班,春节调休\n"
    "2027-02-08,否,春节\n"
    "2027-10-09,true,国庆调休\n"
)


def run(*args: str) -> str:
    out = StringIO()
    call_command("calendar_import", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "calendar.csv"
    path.write_text(VALID, encoding="utf-8")
    return path


def test_imports_a_year_the_package_lacks(csv_file):
    # when
    output = run(str(csv_file))
    # then the days are stored, used, and the year counts as covered
    assert "新增 4 天，更新 0 天，未变 0 天" in output
    assert CalendarDay.objects.count() == 4
    assert not is_working_day(dt.date(2027, 1, 1))
    assert is_working_day(dt.date(2027, 2, 6))  # a Saturday
    assert year_is_covered(2027)


def test_running_twice_changes_nothing_and_an_edit_updates(csv_file):
    # given the file imported once
    run(str(csv_file))
    # when imported again, then nothing changes
    assert "新增 0 天，更新 0 天，未变 4 天" in run(str(csv_file))
    # when one row is corrected, then only it is updated
    csv_file.write_text(VALID.replace("2027-02-08,否,春节", "2027-02-08,1,春节后上班"))
    assert "新增 0 天，更新 1 天，未变 3 天" in run(str(csv_file))
    corrected = CalendarDay.objects.get(date=dt.date(2027, 2, 8))
    assert corrected.is_working_day
    assert corrected.name == "春节后上班"


def test_bad_rows_abort_with_line_numbers_and_import_nothing(tmp_path):
    # given a file with two bad rows
    path = tmp_path / "bad.csv"
    path.write_text(
        "date,is_working_day,name\n2027-01-01,休,元旦\n2027-13-01,休,x\n2027-02-06,?,y\n"
    )
    # when
    with pytest.raises(CommandError) as caught:
        run(str(path))
    # then
    message = str(caught.value)
    assert "第 3 行" in message
    assert "第 4 行" in message
    assert "未导入任何数据" in message
    assert not CalendarDay.objects.exists()


def test_dry_run_writes_nothing(csv_file):
    output = run(str(csv_file), "--dry-run")
    assert "检查通过：4 行" in output
    assert not CalendarDay.objects.exists()


def test_gbk_files_need_the_encoding_option(tmp_path):
    # given a file saved by a spreadsheet in GBK
    path = tmp_path / "gbk.csv"
    path.write_bytes(VALID.encode("gbk"))
    # when read as UTF-8, then a clear error
    with pytest.raises(CommandError, match="--encoding"):
        run(str(path))
    # when the encoding is given, then it imports
    assert "新增 4 天" in run(str(path), "--encoding", "gbk")


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="无法读取文件"):
        run(str(tmp_path / "absent.csv"))


def test_an_empty_file_is_an_error(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("date,is_working_day,name\n")
    with pytest.raises(CommandError, match="没有数据行"):
        run(str(path))
