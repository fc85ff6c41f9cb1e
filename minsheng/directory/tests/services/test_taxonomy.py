from __future__ import annotations

import pytest

from minsheng.directory.errors import ImportFileError
from minsheng.directory.models import Category
from minsheng.directory.selectors import category_by_path
from minsheng.directory.services import (
    taxonomy_import,
    taxonomy_import_file,
    taxonomy_load_default,
)
from minsheng.directory.tests.factories import CategoryFactory
from minsheng.directory.tests.files import write_csv, write_xlsx
from minsheng.testing.shared_data import shared_file

pytestmark = pytest.mark.django_db

HEADER = ("一级分类", "二级分类", "三级分类")


class TestTaxonomyImport:
    def test_creates_the_three_levels_once(self):
        # when
        summary = taxonomy_import(
            rows=[("供水", "供水服务", "停水"), ("供水", "供水服务", "水压低"), ("供电", "", "")]
        )

        # then
        assert (summary.rows_read, summary.created, summary.existing) == (3, 5, 0)
        outage = category_by_path(path="供水/供水服务/停水")
        assert outage is not None
        assert outage.depth == 3
        assert category_by_path(path="供电") is not None

    def test_importing_again_creates_nothing(self):
        # given
        rows = [("供水", "供水服务", "停水"), ("供水", "水质问题", "")]
        taxonomy_import(rows=rows)

        # when
        summary = taxonomy_import(rows=rows)

        # then
        assert (summary.rows_read, summary.created, summary.existing) == (2, 0, 2)
        assert Category.objects.count() == 4

    def test_existing_and_inactive_nodes_are_reused(self):
        # given
        water = CategoryFactory.create(name="供水", is_active=False)

        # when
        summary = taxonomy_import(rows=[("供水", "供水服务", "")])

        # then
        assert summary.created == 1
        assert Category.objects.get(name="供水服务").parent == water
        water.refresh_from_db()
        assert not water.is_active

    def test_the_same_name_under_other_parents_is_another_node(self):
        # when
        taxonomy_import(rows=[("甲", "其他", ""), ("乙", "其他", "")])

        # then
        assert Category.objects.filter(name="其他").count() == 2

    @pytest.mark.parametrize(
        ("row", "reason"),
        [
            (("", "供水服务", "停水"), "缺少一级分类"),
            (("供水", "", "停水"), "缺少二级分类"),
            (("供水", "长" * 61, ""), "超过 60 个字符"),
        ],
    )
    def test_malformed_rows_are_rejected_with_their_number(self, row, reason):
        # when
        summary = taxonomy_import(rows=[("供电", "", ""), row])

        # then
        assert summary.rows_read == 2
        assert [rejected.line for rejected in summary.rejected] == [2]
        assert reason in summary.rejected[0].reason
        assert not Category.objects.filter(name="供水").exists()
        assert not summary.ok


class TestTaxonomyImportFile:
    def test_our_default_taxonomy_loads_and_is_idempotent(self):
        # when
        summary = taxonomy_load_default()

        # then
        assert summary.ok
        assert summary.rows_read >= 200
        roots = Category.objects.filter(parent__isnull=True)
        assert roots.count() >= 15
        assert Category.objects.filter(depth=3).count() == summary.rows_read
        assert category_by_path(path="盐业/食盐质量") is not None
        assert category_by_path(path="供水/供水服务/停水") is not None

        # when: loaded a second time
        again = taxonomy_load_default()

        # then
        assert (again.created, again.existing) == (0, summary.rows_read)

    @pytest.mark.shared_data
    def test_the_teddy2020_workbook_loads(self):
        # given
        path = shared_file("taxonomy.xlsx")

        # when
        summary = taxonomy_import_file(path=path)

        # then
        assert summary.ok
        assert summary.rows_read == 517
        assert Category.objects.filter(parent__isnull=True).count() == 15
        assert Category.objects.filter(depth=3).count() == 517
        assert summary.created == Category.objects.count()
        assert category_by_path(path="城乡建设/安全生产/事故处理") is not None

        # when: imported a second time
        again = taxonomy_import_file(path=path)

        # then
        assert (again.rows_read, again.created, again.existing) == (517, 0, 517)

    def test_a_csv_with_stray_whitespace_and_line_numbers(self, tmp_path):
        # given
        path = write_csv(
            tmp_path / "t.csv",
            [
                HEADER,
                (" 供水 ", " 供水服务 ", " 停水 "),
                ("", "", "x"),
                ("供水", "供水服务", "停水"),
            ],
            encoding="gb18030",
        )

        # when
        summary = taxonomy_import_file(path=path)

        # then
        assert (summary.rows_read, summary.created, summary.existing) == (3, 3, 1)
        assert [(row.line, "缺少一级分类" in row.reason) for row in summary.rejected] == [(3, True)]

    def test_a_missing_column_is_an_error_naming_it(self, tmp_path):
        # given
        path = write_xlsx(tmp_path / "t.xlsx", [("一级分类", "二级分类"), ("供水", "供水服务")])

        # when / then
        with pytest.raises(ImportFileError, match="三级分类"):
            taxonomy_import_file(path=path)
        assert not Category.objects.exists()

    def test_a_file_that_is_not_an_xlsx_is_an_error(self, tmp_path):
        # given
        path = tmp_path / "taxonomy.xlsx"
        path.write_text("not a workbook", encoding="utf-8")

        # when / then
        with pytest.raises(ImportFileError, match="XLSX"):
            taxonomy_import_file(path=path)

    def test_an_empty_file_is_an_error(self, tmp_path):
        # given
        path = tmp_path / "taxonomy.csv"
        path.touch()

        # when / then
        with pytest.raises(ImportFileError, match="文件为空"):
            taxonomy_import_file(path=path)
