"""Opening files: format by content, encodings, line numbers, and clear errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from minsheng.clues.importing.columns import Field
from minsheng.clues.importing.errors import ImportFileError
from minsheng.clues.importing.readers import detect_encoding, open_table

from .conftest import TEDDY_HEADER, teddy_row


def _read(path: Path) -> list[tuple[int, dict[Field, object], bool]]:
    with open_table(path) as table:
        return [(row.line, row.values, row.empty) for row in table.rows]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_csv_encodings_are_detected(write_csv, encoding):
    # given a CSV in `encoding` with Chinese text
    path = write_csv([teddy_row(title="噪音扰民")], encoding=encoding)
    # when
    with open_table(path) as table:
        rows = list(table.rows)
        # then
        assert table.file_format == "csv"
        assert table.encoding == ("utf-16" if encoding == "utf-16" else encoding)
        assert rows[0].values[Field.TITLE] == "噪音扰民"


def test_gb18030_is_told_from_utf8_by_content(write_csv):
    path = write_csv([teddy_row(title="〇鍖𠀀")], encoding="gb18030")
    assert detect_encoding(path) == "gb18030"


def test_tab_separated_text_is_read_too(write_csv):
    path = write_csv([teddy_row(title="a,b")], delimiter="\t", name="clues.txt")
    assert _read(path)[0][1][Field.TITLE] == "a,b"


def test_line_numbers_are_records_not_physical_lines(write_csv):
    # given a first record whose content spans three lines
    path = write_csv([teddy_row(1, content="一\n二\n三"), teddy_row(2)])
    # then the second record is line 3 (header = line 1), as a spreadsheet shows it
    assert [line for line, _values, _empty in _read(path)] == [2, 3]


def test_empty_rows_count_only_before_data(write_csv):
    # given an empty row between two rows, and empty rows at the end
    path = write_csv([teddy_row(1), [], teddy_row(2), ["", "", ""], []])
    # when
    rows = _read(path)
    # then the inner one is read (to be rejected), the trailing ones are not rows at all
    assert [(line, empty) for line, _values, empty in rows] == [(2, False), (3, True), (4, False)]


def test_xlsx_keeps_cell_types(write_xlsx):
    # given an Excel datetime cell and an int id
    moment = dt.datetime(2019, 4, 8, 8, 37, 20)
    path = write_xlsx([teddy_row(2549, time=moment)])
    # when
    with open_table(path) as table:
        row = next(table.rows)
    # then
    assert table.file_format == "xlsx"
    assert row.values[Field.EXTERNAL_ID] == 2549
    assert row.values[Field.REPORTED_AT] == moment


def test_xlsx_is_told_by_content_not_by_name(write_xlsx, tmp_path):
    path = write_xlsx([teddy_row()])
    renamed = path.rename(tmp_path / "clues.csv")
    assert len(_read(renamed)) == 1


def test_the_first_sheet_with_the_columns_is_read(tmp_path):
    # given a workbook whose first sheet is a cover page
    workbook = openpyxl.Workbook()
    workbook.active.append(["某市12345热线工单导出"])
    data = workbook.create_sheet("数据")
    data.append(list(TEDDY_HEADER))
    data.append(teddy_row())
    path = tmp_path / "two-sheets.xlsx"
    workbook.save(path)
    # then
    assert len(_read(path)) == 1


def _message(path: Path) -> str:
    with pytest.raises(ImportFileError) as caught, open_table(path) as table:
        list(table.rows)
    return caught.value.message


def test_garbage_named_xlsx_is_refused_clearly(tmp_path):
    path = tmp_path / "messages.xlsx"
    path.write_bytes(b"\x89garbage\x00\x01" * 50)
    assert "不是有效的 XLSX" in _message(path)


def test_a_damaged_zip_is_refused_clearly(tmp_path):
    path = tmp_path / "messages.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    assert "不是有效的 XLSX 工作簿" in _message(path)


def test_legacy_xls_is_refused_with_advice(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert ".xls" in _message(path)
    assert "另存为" in _message(path)


def test_binary_content_is_not_taken_for_csv(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(bytes(range(256)) * 4)
    assert "不是 CSV 或 XLSX" in _message(path)


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert "空文件" in _message(path)


def test_a_file_of_blank_lines_has_no_header(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text("\n\n\n")
    assert "第一行应为表头" in _message(path)


def test_an_empty_workbook_has_no_header(tmp_path):
    path = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(path)
    assert "第一行应为表头" in _message(path)


def test_missing_columns_name_the_missing_and_the_found(write_csv):
    path = write_csv([["1", "x"]], header=["编号", "备注"])
    message = _message(path)
    assert "留言主题" in message
    assert "留言详情" in message
    assert "编号、备注" in message


def test_text_in_no_known_encoding_is_refused(tmp_path):
    # given bytes that are neither UTF-8 nor GB18030 (0xFF never occurs in either)
    path = tmp_path / "latin.csv"
    path.write_bytes("留言主题,留言详情\n".encode() + b"\xff\xfe\xff abc\n")
    assert "无法识别" in _message(path)


def test_an_encoding_fault_deep_in_the_file_names_its_line(tmp_path):
    # given a UTF-8 file whose 1 MiB sample is clean, with one GBK line after it
    path = tmp_path / "mixed.csv"
    good = "标题,内容\n" + "路灯坏了,晚上很黑\n" * 60000
    path.write_bytes(good.encode() + "乱码,内容\n".encode("gbk"))
    # when
    message = _message(path)
    # then
    assert "第60002行" in message
    assert "utf-8" in message
