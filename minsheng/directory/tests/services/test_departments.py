from __future__ import annotations

import pytest

from minsheng.directory.choices import DepartmentKind
from minsheng.directory.errors import ImportFileError
from minsheng.directory.models import Department
from minsheng.directory.services import departments_import_file
from minsheng.directory.services.departments import department_kind_from_text
from minsheng.directory.tests.factories import DepartmentFactory, RegionFactory
from minsheng.directory.tests.files import write_csv

pytestmark = pytest.mark.django_db

HEADER = (
    "name",
    "short_name",
    "kind",
    "region_code",
    "parent_name",
    "contact_person",
    "contact_phone",
)


@pytest.fixture
def yuhua():
    return RegionFactory.create(code="430111", name="雨花区")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("functional", DepartmentKind.FUNCTIONAL),
        (" Utility ", DepartmentKind.UTILITY),
        ("公用事业企业", DepartmentKind.UTILITY),
        ("街道乡镇", DepartmentKind.STREET),
        ("人民政府", DepartmentKind.GOVERNMENT),
        ("局", None),
        ("", None),
    ],
)
def test_kind_is_read_from_its_value_or_its_label(text, kind):
    assert department_kind_from_text(text) == kind


class TestDepartmentsImportFile:
    def test_creates_departments_with_parents_in_any_order(self, tmp_path, yuhua):
        # given: the child comes first
        path = write_csv(
            tmp_path / "d.csv",
            [
                HEADER,
                (
                    "雨花区水务局",
                    "区水务局",
                    "职能部门",
                    "430111",
                    "雨花区人民政府",
                    "张三",
                    "0731-1",
                ),
                ("雨花区人民政府", "区政府", "government", "430111", "", "", ""),
            ],
        )

        # when
        summary = departments_import_file(path=path)

        # then
        assert summary.ok
        assert (summary.rows_read, summary.created) == (2, 2)
        water = Department.objects.get(name="雨花区水务局")
        assert water.parent == Department.objects.get(name="雨花区人民政府")
        assert (water.kind, water.region, water.short_name) == ("functional", yuhua, "区水务局")
        assert (water.contact_person, water.contact_phone) == ("张三", "0731-1")

    def test_importing_again_changes_nothing_and_changes_are_updates(self, tmp_path, yuhua):
        # given
        rows = [HEADER, ("雨花区人民政府", "", "人民政府", "430111", "", "", "")]
        departments_import_file(path=write_csv(tmp_path / "a.csv", rows))

        # when
        again = departments_import_file(path=write_csv(tmp_path / "b.csv", rows))
        changed = departments_import_file(
            path=write_csv(
                tmp_path / "c.csv",
                [HEADER, ("雨花区人民政府", "区政府", "人民政府", "430111", "", "", "")],
            )
        )

        # then
        assert (again.created, again.updated, again.existing) == (0, 0, 1)
        assert (changed.created, changed.updated, changed.existing) == (0, 1, 0)
        assert Department.objects.get().short_name == "区政府"

    def test_a_stored_department_can_be_the_parent(self, tmp_path, yuhua):
        # given
        government = DepartmentFactory.create(name="雨花区人民政府", region=yuhua)
        path = write_csv(
            tmp_path / "d.csv",
            [HEADER, ("雨花区城管局", "", "职能部门", "430111", "雨花区人民政府", "", "")],
        )

        # when
        departments_import_file(path=path)

        # then
        assert Department.objects.get(name="雨花区城管局").parent == government

    def test_bad_rows_are_rejected_with_their_line_numbers(self, tmp_path, yuhua):
        # given
        path = write_csv(
            tmp_path / "d.csv",
            [
                HEADER,
                ("甲局", "", "局", "430111", "", "", ""),
                ("乙局", "", "职能部门", "430999", "", "", ""),
                ("丙局", "", "职能部门", "430111", "不存在的单位", "", ""),
                ("", "", "职能部门", "430111", "", "", ""),
                ("丁局", "", "职能部门", "430111", "", "", ""),
                ("丁局", "", "职能部门", "430111", "", "", ""),
            ],
        )

        # when
        summary = departments_import_file(path=path)

        # then
        reasons = {row.line: row.reason for row in summary.rejected}
        assert "单位类型“局”无效" in reasons[2]
        assert "职能部门" in reasons[2]
        assert "找不到区划代码“430999”" in reasons[3]
        assert "找不到上级单位“不存在的单位”" in reasons[4]
        assert "缺少单位名称" in reasons[5]
        assert "与第 6 行重复" in reasons[7]
        assert list(Department.objects.values_list("name", flat=True)) == ["丁局"]

    def test_a_parent_cycle_is_rejected_and_orphans_follow(self, tmp_path, yuhua):
        # given
        path = write_csv(
            tmp_path / "d.csv",
            [
                HEADER,
                ("甲局", "", "职能部门", "430111", "乙局", "", ""),
                ("乙局", "", "职能部门", "430111", "甲局", "", ""),
                ("丙局", "", "职能部门", "430111", "丙局", "", ""),
                ("丁局", "", "职能部门", "430111", "甲局", "", ""),
            ],
        )

        # when
        summary = departments_import_file(path=path)

        # then
        reasons = {row.line: row.reason for row in summary.rejected}
        assert sorted(reasons) == [2, 3, 4, 5]
        assert "循环" in reasons[2]
        assert "循环" in reasons[4]
        assert "找不到上级单位“甲局”" in reasons[5]
        assert not Department.objects.exists()

    def test_an_invalid_email_is_rejected(self, tmp_path, yuhua):
        # given
        path = write_csv(
            tmp_path / "d.csv",
            [("name", "kind", "region_code", "contact_email"), ("甲局", "other", "430111", "x@")],
        )

        # when
        summary = departments_import_file(path=path)

        # then
        assert "联系邮箱“x@”格式不正确" in summary.rejected[0].reason

    def test_a_file_without_the_kind_column_is_an_error(self, tmp_path):
        # given
        path = write_csv(tmp_path / "d.csv", [("name", "region_code"), ("甲局", "430111")])

        # when / then
        with pytest.raises(ImportFileError, match="kind"):
            departments_import_file(path=path)
