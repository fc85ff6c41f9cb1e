from __future__ import annotations

import pytest

from minsheng.directory.errors import ImportFileError
from minsheng.directory.models import ResponsibilityRule
from minsheng.directory.services import rules_import_file
from minsheng.directory.services.rules import split_department_names
from minsheng.directory.tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    RegionFactory,
    ResponsibilityRuleFactory,
)
from minsheng.directory.tests.files import write_csv

pytestmark = pytest.mark.django_db

HEADER = ("category_path", "region_code", "lead_department", "co_departments")


@pytest.fixture
def world():
    water = CategoryFactory.create(name="供水")
    outage = CategoryFactory.create(name="停水", parent=water)
    yuhua = RegionFactory.create(code="430111", name="雨花区")
    return {
        "water": water,
        "outage": outage,
        "yuhua": yuhua,
        "bureau": DepartmentFactory.create(name="雨花区水务局", short_name="区水务局"),
        "company": DepartmentFactory.create(name="长沙水业集团有限公司", short_name="水业集团"),
        "street": DepartmentFactory.create(name="侯家塘街道办事处"),
        "hotline": DepartmentFactory.create(name="市民服务热线"),
    }


@pytest.mark.parametrize(
    ("text", "names"),
    [("甲|乙", ["甲", "乙"]), ("甲、乙、甲", ["甲", "乙"]), (" 甲 | ", ["甲"]), ("", [])],
)
def test_co_department_names_are_split(text, names):
    assert split_department_names(text) == names


class TestRulesImportFile:
    def test_creates_rules_with_co_departments_and_any(self, tmp_path, world):
        # given
        path = write_csv(
            tmp_path / "r.csv",
            [
                HEADER,
                ("供水/停水", "430111", "区水务局", "长沙水业集团有限公司|侯家塘街道办事处"),
                ("供水", "", "水业集团", ""),
                ("", "", "市民服务热线", ""),
            ],
        )

        # when
        summary = rules_import_file(path=path)

        # then
        assert summary.ok
        assert (summary.rows_read, summary.created) == (3, 3)
        specific = ResponsibilityRule.objects.get(category=world["outage"])
        assert specific.region == world["yuhua"]
        assert specific.lead_department == world["bureau"]
        assert set(specific.co_departments.all()) == {world["company"], world["street"]}
        catch_all = ResponsibilityRule.objects.get(category=None)
        assert (catch_all.region, catch_all.lead_department) == (None, world["hotline"])

    def test_importing_again_changes_nothing_and_a_new_lead_is_an_update(self, tmp_path, world):
        # given
        rows = [HEADER, ("供水/停水", "430111", "雨花区水务局", "水业集团、侯家塘街道办事处")]
        rules_import_file(path=write_csv(tmp_path / "a.csv", rows))

        # when
        again = rules_import_file(path=write_csv(tmp_path / "b.csv", rows))
        changed = rules_import_file(
            path=write_csv(tmp_path / "c.csv", [HEADER, ("供水/停水", "430111", "水业集团", "")])
        )

        # then
        assert (again.created, again.updated, again.existing) == (0, 0, 1)
        assert (changed.created, changed.updated) == (0, 1)
        rule = ResponsibilityRule.objects.get()
        assert rule.lead_department == world["company"]
        assert list(rule.co_departments.all()) == []

    def test_bad_rows_are_rejected_with_their_line_numbers(self, tmp_path, world):
        # given
        path = write_csv(
            tmp_path / "r.csv",
            [
                HEADER,
                ("供水/停电", "", "雨花区水务局", ""),
                ("供水", "430999", "雨花区水务局", ""),
                ("供水", "", "不存在的局", ""),
                ("供水", "", "雨花区水务局", "不存在的公司"),
                ("供水", "", "雨花区水务局", "区水务局"),
                ("供水", "", "", ""),
                ("供水/停水", "", "雨花区水务局", ""),
                ("供水 / 停水", "", "水业集团", ""),
            ],
        )

        # when
        summary = rules_import_file(path=path)

        # then
        reasons = {row.line: row.reason for row in summary.rejected}
        assert "找不到分类“供水/停电”" in reasons[2]
        assert "找不到区划代码“430999”" in reasons[3]
        assert "找不到主办单位“不存在的局”" in reasons[4]
        assert "找不到协办单位“不存在的公司”" in reasons[5]
        assert "主办单位不能同时作为协办单位" in reasons[6]
        assert "缺少主办单位" in reasons[7]
        assert "与第 8 行相同" in reasons[9]
        assert ResponsibilityRule.objects.count() == 1

    def test_conflicts_left_in_the_list_are_reported(self, tmp_path, world):
        # given: two active rules for (停水, any region), saved around clean()
        first = ResponsibilityRuleFactory.create(category=world["outage"], region=None)
        second = ResponsibilityRuleFactory.create(category=world["outage"], region=None)
        path = write_csv(tmp_path / "r.csv", [HEADER, ("供水", "", "雨花区水务局", "")])

        # when
        summary = rules_import_file(path=path)

        # then
        assert summary.created == 1
        assert len(summary.conflicts) == 1
        assert f"#{first.pk}" in summary.conflicts[0]
        assert f"#{second.pk}" in summary.conflicts[0]
        assert not summary.ok

    def test_a_row_for_a_conflicting_key_is_rejected(self, tmp_path, world):
        # given
        ResponsibilityRuleFactory.create(category=world["outage"], region=None)
        ResponsibilityRuleFactory.create(category=world["outage"], region=None)
        path = write_csv(tmp_path / "r.csv", [HEADER, ("供水/停水", "", "雨花区水务局", "")])

        # when
        summary = rules_import_file(path=path)

        # then
        assert "已有多条启用的条目" in summary.rejected[0].reason

    def test_the_basis_column_is_optional(self, tmp_path, world):
        # given
        path = write_csv(
            tmp_path / "r.csv",
            [(*HEADER, "basis"), ("供水", "", "雨花区水务局", "", "《城市供水条例》")],
        )

        # when
        rules_import_file(path=path)

        # then
        assert ResponsibilityRule.objects.get().basis == "《城市供水条例》"

    def test_a_file_without_the_lead_column_is_an_error(self, tmp_path):
        # given
        path = write_csv(tmp_path / "r.csv", [("category_path", "region_code"), ("供水", "")])

        # when / then
        with pytest.raises(ImportFileError, match="lead_department"):
            rules_import_file(path=path)
