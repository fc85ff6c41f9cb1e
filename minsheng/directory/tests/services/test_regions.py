from __future__ import annotations

from pathlib import Path

import pytest

from minsheng.directory.choices import RegionLevel
from minsheng.directory.errors import ImportFileError
from minsheng.directory.models import Region
from minsheng.directory.services import regions_import_file
from minsheng.directory.services.regions import normalize_region_code, region_level_for_code
from minsheng.directory.tests.factories import RegionFactory
from minsheng.directory.tests.files import write_csv, write_xlsx

pytestmark = pytest.mark.django_db

HEADER = ("code", "name", "parent_code", "short_name")
DEMO_REGIONS = Path(__file__).resolve().parents[2] / "data" / "demo_regions.csv"


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("430000", RegionLevel.PROVINCE),
        ("430100", RegionLevel.PREFECTURE),
        ("430111", RegionLevel.COUNTY),
        ("430111001", RegionLevel.TOWNSHIP),
        ("430111001001", RegionLevel.VILLAGE),
        ("43011", None),
        ("4301110", None),
        ("43O111", None),
        ("030000", None),
        ("", None),
    ],
)
def test_the_level_follows_from_the_code(code, level):
    assert region_level_for_code(code) == level


@pytest.mark.parametrize(
    ("code", "normalized"),
    [
        ("430000000000", "430000"),
        ("430111001000", "430111001"),
        ("430111001201", "430111001201"),
        (" 430111 ", "430111"),
    ],
)
def test_padded_twelve_digit_codes_are_shortened(code, normalized):
    assert normalize_region_code(code) == normalized


class TestRegionsImportFile:
    def test_the_demo_regions_import_as_a_tree(self):
        # when
        summary = regions_import_file(path=DEMO_REGIONS)

        # then
        assert summary.ok
        assert summary.created == summary.rows_read == Region.objects.count()
        province = Region.objects.get(code="430000")
        city = Region.objects.get(code="430100")
        district = Region.objects.get(code="430111")
        street = Region.objects.get(code="430111001")
        assert (province.level, city.level, district.level, street.level) == (1, 2, 3, 4)
        assert street.parent == district
        assert street.is_within(province)
        assert street.name == "侯家塘街道"
        assert district.short_name == "雨花"
        assert city.short_name == "长沙,星城"
        assert Region.objects.filter(parent=city).count() == 7

    def test_importing_again_changes_nothing(self):
        # given
        first = regions_import_file(path=DEMO_REGIONS)

        # when
        again = regions_import_file(path=DEMO_REGIONS)

        # then
        assert (again.created, again.updated, again.existing) == (0, 0, first.rows_read)

    def test_children_may_come_before_their_parents(self, tmp_path):
        # given
        path = write_csv(
            tmp_path / "r.csv",
            [
                HEADER,
                ("430111001", "侯家塘街道", "430111", ""),
                ("430111", "雨花区", "430100", "雨花"),
                ("430100", "长沙市", "430000", ""),
                ("430000", "湖南省", "", ""),
            ],
        )

        # when
        summary = regions_import_file(path=path)

        # then
        assert summary.ok
        street = Region.objects.get(code="430111001")
        assert street.depth == 4
        assert street.path.startswith(Region.objects.get(code="430000").path)

    def test_names_short_names_and_parents_are_updated(self, tmp_path):
        # given
        province = RegionFactory.create(code="430000", name="湖南省")
        other = RegionFactory.create(code="440000", name="广东省")
        city = RegionFactory.create(
            code="430100", name="长沙", parent=other, level=RegionLevel.PREFECTURE
        )
        district = RegionFactory.create(code="430111", name="雨花区", parent=city)
        path = write_csv(
            tmp_path / "r.csv",
            [HEADER, ("430100", "长沙市", "430000", "长沙、星城"), ("430000", "湖南省", "", "")],
        )

        # when
        summary = regions_import_file(path=path)

        # then
        assert (summary.created, summary.updated, summary.existing) == (0, 1, 1)
        city.refresh_from_db()
        district.refresh_from_db()
        assert (city.name, city.short_name, city.parent) == ("长沙市", "长沙,星城", province)
        assert district.is_within(province)

    def test_bad_codes_are_rejected_with_their_line_numbers(self, tmp_path):
        # given
        path = write_csv(
            tmp_path / "r.csv",
            [
                HEADER,
                ("430000", "湖南省", "", ""),
                ("4301", "长沙市", "430000", ""),
                ("430111", "雨花区", "43010X", ""),
                ("430000", "湖南", "", ""),
                ("430102", "", "430000", ""),
            ],
        )

        # when
        summary = regions_import_file(path=path)

        # then
        reasons = {row.line: row.reason for row in summary.rejected}
        assert sorted(reasons) == [3, 4, 5, 6]
        assert "区划代码“4301”格式不正确" in reasons[3]
        assert "上级区划代码“43010X”格式不正确" in reasons[4]
        assert "与第 2 行重复" in reasons[5]
        assert "缺少区划名称" in reasons[6]
        assert list(Region.objects.values_list("code", flat=True)) == ["430000"]

    def test_a_missing_or_unfit_parent_rejects_the_row(self, tmp_path):
        # given
        path = write_csv(
            tmp_path / "r.csv",
            [
                HEADER,
                ("430100", "长沙市", "440000", ""),
                ("430111", "雨花区", "430102", ""),
                ("430102", "芙蓉区", "", ""),
                ("430111001", "侯家塘街道", "430111", ""),
            ],
        )

        # when
        summary = regions_import_file(path=path)

        # then
        reasons = {row.line: row.reason for row in summary.rejected}
        assert "找不到上级区划代码 440000" in reasons[2]
        assert "层级不高于" in reasons[3]
        assert "上级区划 430111（第 3 行）未能导入" in reasons[5]
        assert set(Region.objects.values_list("code", flat=True)) == {"430102"}

    def test_an_xlsx_with_chinese_headers_and_padded_codes(self, tmp_path):
        # given
        path = write_xlsx(
            tmp_path / "r.xlsx",
            [
                ("区划代码", "名称", "上级代码"),
                (430000000000, "湖南省", None),
                (430100000000, "长沙市", 430000000000),
            ],
        )

        # when
        summary = regions_import_file(path=path)

        # then
        assert summary.ok
        assert Region.objects.get(code="430100").parent == Region.objects.get(code="430000")

    def test_without_the_optional_columns_stored_values_are_kept(self, tmp_path):
        # given
        province = RegionFactory.create(code="430000", name="湖南", short_name="湘")
        path = write_csv(tmp_path / "r.csv", [("code", "name"), ("430000", "湖南省")])

        # when
        regions_import_file(path=path)

        # then
        province.refresh_from_db()
        assert (province.name, province.short_name) == ("湖南省", "湘")

    def test_a_file_without_the_code_column_is_an_error(self, tmp_path):
        # given
        path = write_csv(tmp_path / "r.csv", [("name", "parent_code"), ("湖南省", "")])

        # when / then
        with pytest.raises(ImportFileError, match="缺少必需的列：code"):
            regions_import_file(path=path)
