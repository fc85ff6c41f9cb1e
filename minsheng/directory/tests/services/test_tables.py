from __future__ import annotations

import pytest

from minsheng.directory.errors import ImportFileError
from minsheng.directory.services.tables import OLE_MAGIC, read_table
from minsheng.directory.tests.files import write_csv, write_xlsx

COLUMNS = ("一级分类", "二级分类", "三级分类")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_is_read_in_each_supported_encoding(tmp_path, encoding):
    # given
    path = write_csv(
        tmp_path / "taxonomy.csv", [COLUMNS, ("供水", "供水服务", "停水")], encoding=encoding
    )

    # when
    table = read_table(path=path, required=COLUMNS)

    # then
    assert [dict(row.cells) for row in table.rows] == [
        {"一级分类": "供水", "二级分类": "供水服务", "三级分类": "停水"}
    ]


def test_cells_and_headers_are_stripped_and_blank_rows_skipped(tmp_path):
    # given: stray spaces (also ideographic ones), a blank row and a short row
    path = write_csv(
        tmp_path / "t.csv",
        [
            (" 一级分类 ", "二级分类\u3000", "三级分类"),
            ("  供水 ", " 供水服务", "停水  "),
            ("", "", ""),
            ("供电",),
        ],
    )

    # when
    table = read_table(path=path, required=COLUMNS)

    # then
    assert [(row.line, row.get("一级分类"), row.get("三级分类")) for row in table.rows] == [
        (2, "供水", "停水"),
        (4, "供电", ""),
    ]


def test_a_quoted_cell_over_several_lines_keeps_line_numbers_right(tmp_path):
    # given
    path = tmp_path / "t.csv"
    path.write_text('code,name\n430000,"湖南\n省"\n430100,长沙市\n', encoding="utf-8")

    # when
    table = read_table(path=path, required=("code", "name"))

    # then
    assert [row.line for row in table.rows] == [2, 4]


def test_a_tab_separated_file_is_read(tmp_path):
    # given
    path = tmp_path / "t.txt"
    path.write_text("code\tname\n430000\t湖南省\n", encoding="utf-8")

    # when / then
    assert read_table(path=path, required=("code", "name")).rows[0].get("name") == "湖南省"


def test_xlsx_cells_become_text_and_extra_columns_are_ignored(tmp_path):
    # given: a numeric code as Excel stores it, and a column nobody asked for
    path = write_xlsx(
        tmp_path / "r.xlsx", [("代码", "name", "备注"), (430000, "湖南省", "x"), (430100.0, None)]
    )

    # when
    table = read_table(path=path, required=("code", "name"), aliases={"代码": "code"})

    # then
    assert table.columns == {"code", "name"}
    assert [dict(row.cells) for row in table.rows] == [
        {"code": "430000", "name": "湖南省"},
        {"code": "430100", "name": ""},
    ]


def test_optional_columns_are_reported_present_or_absent(tmp_path):
    # given
    path = write_csv(tmp_path / "r.csv", [("code", "name"), ("430000", "湖南省")])

    # when
    table = read_table(path=path, required=("code", "name"), optional=("short_name",))

    # then
    assert not table.has("short_name")
    assert table.rows[0].get("short_name") == ""


class TestMalformedFiles:
    def test_missing_columns_are_all_listed(self, tmp_path):
        # given
        path = write_xlsx(tmp_path / "t.xlsx", [("一级分类", "分类2"), ("供水", "供水服务")])

        # when
        with pytest.raises(ImportFileError) as error:
            read_table(path=path, required=COLUMNS)

        # then
        assert error.value.missing_columns == ["二级分类", "三级分类"]
        assert "缺少必需的列：二级分类、三级分类" in error.value.message
        assert "一级分类、分类2" in error.value.message

    def test_a_text_file_named_xlsx_is_not_an_xlsx(self, tmp_path):
        # given
        path = tmp_path / "t.xlsx"
        path.write_text("一级分类,二级分类,三级分类\n", encoding="utf-8")

        # when / then
        with pytest.raises(ImportFileError, match="不是有效的 XLSX 文件"):
            read_table(path=path, required=COLUMNS)

    def test_a_damaged_xlsx_is_reported(self, tmp_path):
        # given: a zip that is no workbook
        path = tmp_path / "t.xlsx"
        path.write_bytes(b"PK\x03\x04" + b"\x00" * 60)

        # when / then
        with pytest.raises(ImportFileError, match="无法打开 XLSX 文件"):
            read_table(path=path, required=COLUMNS)

    def test_a_legacy_xls_is_refused_with_advice(self, tmp_path):
        # given
        path = tmp_path / "t.xls"
        path.write_bytes(OLE_MAGIC + b"\x00" * 100)

        # when / then
        with pytest.raises(ImportFileError, match=r"另存为 \.xlsx"):
            read_table(path=path, required=COLUMNS)

    @pytest.mark.parametrize("content", [b"", b"\n\n", b",,\n"])
    def test_an_empty_file_is_reported(self, tmp_path, content):
        # given
        path = tmp_path / "t.csv"
        path.write_bytes(content)

        # when / then
        with pytest.raises(ImportFileError, match="文件为空"):
            read_table(path=path, required=COLUMNS)

    def test_an_empty_workbook_is_reported(self, tmp_path):
        # given
        path = write_xlsx(tmp_path / "t.xlsx", [])

        # when / then
        with pytest.raises(ImportFileError, match="文件为空"):
            read_table(path=path, required=COLUMNS)

    def test_a_header_without_rows_is_reported(self, tmp_path):
        # given
        path = write_csv(tmp_path / "t.csv", [COLUMNS])

        # when / then
        with pytest.raises(ImportFileError, match="没有数据行"):
            read_table(path=path, required=COLUMNS)

    def test_an_absent_file_is_reported(self, tmp_path):
        with pytest.raises(ImportFileError, match="找不到文件"):
            read_table(path=tmp_path / "nope.csv", required=COLUMNS)

    def test_binary_content_is_not_taken_for_csv(self, tmp_path):
        # given
        path = tmp_path / "t.csv"
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00")

        # when / then
        with pytest.raises(ImportFileError):
            read_table(path=path, required=COLUMNS)

    def test_a_repeated_column_is_reported(self, tmp_path):
        # given
        path = write_csv(tmp_path / "t.csv", [("code", "name", "代码"), ("1", "2", "3")])

        # when / then
        with pytest.raises(ImportFileError, match="重复"):
            read_table(path=path, required=("code", "name"), aliases={"代码": "code"})
