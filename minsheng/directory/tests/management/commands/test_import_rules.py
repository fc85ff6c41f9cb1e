from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from minsheng.directory.models import ResponsibilityRule
from minsheng.directory.tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    ResponsibilityRuleFactory,
)
from minsheng.directory.tests.files import write_csv

pytestmark = pytest.mark.django_db


def test_rules_are_imported_and_conflicts_reported(tmp_path):
    # given
    water = CategoryFactory.create(name="供水")
    DepartmentFactory.create(name="水务局")
    ResponsibilityRuleFactory.create(category=None, region=None)
    ResponsibilityRuleFactory.create(category=None, region=None)
    path = write_csv(
        tmp_path / "r.csv",
        [
            ("category_path", "region_code", "lead_department", "co_departments"),
            ("供水", "", "水务局", ""),
        ],
    )
    out = StringIO()

    # when
    call_command("import_rules", str(path), stdout=out)

    # then
    assert ResponsibilityRule.objects.filter(category=water).count() == 1
    output = out.getvalue()
    assert "冲突：#" in output
    assert "check_rules" in output
