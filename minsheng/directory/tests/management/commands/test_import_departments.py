from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from minsheng.directory.models import Department
from minsheng.directory.tests.factories import RegionFactory
from minsheng.directory.tests.files import write_csv

pytestmark = pytest.mark.django_db


def test_departments_are_imported(tmp_path):
    # given
    RegionFactory.create(code="430111")
    path = write_csv(
        tmp_path / "d.csv",
        [("name", "kind", "region_code"), ("雨花区水务局", "职能部门", "430111")],
    )
    out = StringIO()

    # when
    call_command("import_departments", str(path), stdout=out)

    # then
    assert Department.objects.get().name == "雨花区水务局"
    assert "新建 1" in out.getvalue()


def test_a_workbook_in_the_old_xls_format_is_a_command_error(tmp_path):
    # given
    path = tmp_path / "d.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)

    # when / then
    with pytest.raises(CommandError, match="xls"):
        call_command("import_departments", str(path), stdout=StringIO())
