from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from minsheng.directory.models import Category
from minsheng.directory.tests.files import write_csv

pytestmark = pytest.mark.django_db


def test_default_loads_the_built_in_taxonomy():
    # given
    out = StringIO()

    # when
    call_command("import_taxonomy", "--default", stdout=out)

    # then
    assert Category.objects.filter(parent__isnull=True).count() >= 15
    assert "新建" in out.getvalue()


def test_a_file_is_imported_and_rejected_rows_are_printed(tmp_path):
    # given
    path = write_csv(
        tmp_path / "t.csv", [("一级分类", "二级分类", "三级分类"), ("供水", "", ""), ("", "x", "")]
    )
    out = StringIO()

    # when
    call_command("import_taxonomy", str(path), stdout=out)

    # then
    output = out.getvalue()
    assert "读取 2 行：新建 1" in output
    assert "第 3 行：缺少一级分类" in output


def test_a_bad_file_is_a_command_error_naming_the_file(tmp_path):
    # given
    path = write_csv(tmp_path / "t.csv", [("一级分类",), ("供水",)])

    # when
    with pytest.raises(CommandError) as error:
        call_command("import_taxonomy", str(path), stdout=StringIO())

    # then
    message = str(error.value)
    assert f"无法导入文件 {path}：" in message
    assert "缺少必需的列：二级分类、三级分类" in message


def test_the_command_error_reads_in_english_when_english_is_active(tmp_path):
    # given
    path = write_csv(tmp_path / "t.csv", [("一级分类",), ("供水",)])

    # when
    with translation.override("en"), pytest.raises(CommandError) as error:
        call_command("import_taxonomy", str(path), stdout=StringIO())

    # then
    assert str(error.value).startswith(f"Cannot import the file {path}: ")


def test_a_file_or_default_is_required():
    with pytest.raises(CommandError):
        call_command("import_taxonomy", stdout=StringIO())
