from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from minsheng.directory.models import Region
from minsheng.directory.tests.files import write_csv

pytestmark = pytest.mark.django_db


def test_regions_are_imported_and_bad_codes_printed(tmp_path):
    # given
    path = write_csv(
        tmp_path / "r.csv",
        [
            ("code", "name", "parent_code", "short_name"),
            ("430000", "湖南省", "", "湘"),
            ("43", "x", "", ""),
        ],
    )
    out = StringIO()

    # when
    call_command("import_regions", str(path), stdout=out)

    # then
    assert Region.objects.get().name == "湖南省"
    assert "第 3 行：区划代码“43”格式不正确" in out.getvalue()


def test_an_absent_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_regions", str(tmp_path / "none.csv"), stdout=StringIO())
