"""Open an import file and stream its rows, mapped to fields, in constant memory.

The format is told by the content, not the name: a ZIP container is read as XLSX (openpyxl
in read-only mode, row by row), anything else as CSV in UTF-8 (with or without BOM),
UTF-16 (with BOM) or GB18030. Line numbers are spreadsheet row numbers: the header is
line 1, a CSV record spanning several physical lines counts as one.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import openpyxl
from django.utils.translation import gettext as _

from minsheng.clues.importing.columns import ColumnMap, Field, map_header, require_columns
from minsheng.clues.importing.errors import ImportFileError
from minsheng.clues.importing.values import is_blank

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls (and .doc)
SAMPLE_BYTES = 1 << 20
CSV_DELIMITERS = (",", "\t", ";")
CSV_FIELD_LIMIT = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class RawRow:
    """One data row: its line number and its cells by field, as read (not yet cleaned)."""

    line: int
    values: dict[Field, Any]
    empty: bool


@dataclass(frozen=True)
class Table:
    """An opened file: what it is, its columns, and an iterator over its data rows."""

    file_name: str
    file_format: str
    encoding: str
    columns: ColumnMap
    rows: Iterator[RawRow]


@contextmanager
def open_table(path: Path) -> Iterator[Table]:
    """Open `path` and check its header; raise `ImportFileError` when it cannot be imported."""
    name = path.name
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as error:
        raise ImportFileError(
            _("无法读取 %(file)s：%(error)s") % {"file": name, "error": error.strerror or error}
        ) from error
    if not head:
        raise ImportFileError(_("%(file)s 是空文件。") % {"file": name})
    if head.startswith(ZIP_MAGIC):
        with _open_xlsx(path) as table:
            yield table
    elif head.startswith(OLE_MAGIC):
        raise ImportFileError(
            _("%(file)s 是旧版 Excel（.xls）文件，不支持；请另存为 .xlsx 或 CSV（UTF-8）后导入。")
            % {"file": name}
        )
    elif path.suffix.lower() in {".xlsx", ".xlsm"}:
        raise ImportFileError(
            _("%(file)s 的扩展名是 %(suffix)s，但内容不是有效的 XLSX 工作簿（文件可能已损坏）。")
            % {"file": name, "suffix": path.suffix}
        )
    else:
        with _open_csv(path) as table:
            yield table


def _mapped(cells: tuple[Any, ...] | list[str], columns: ColumnMap, line: int) -> RawRow:
    width = len(cells)
    values = {
        field: cells[index] if index < width else None for field, index in columns.positions.items()
    }
    return RawRow(line=line, values=values, empty=all(is_blank(cell) for cell in cells))


def _drop_trailing_empty(rows: Iterable[RawRow]) -> Iterator[RawRow]:
    """Empty rows count (and are rejected) only when a non-empty row follows them: sheets
    often carry formatted but empty rows at the end. Held back as a range: constant memory."""
    first_pending = 0
    pending = 0
    for row in rows:
        if row.empty:
            if not pending:
                first_pending = row.line
            pending += 1
            continue
        for offset in range(pending):
            yield RawRow(line=first_pending + offset, values={}, empty=True)
        pending = 0
        yield row


# XLSX ---------------------------------------------------------------------------------


@contextmanager
def _open_xlsx(path: Path) -> Iterator[Table]:
    # Opened by us and handed over as a stream: openpyxl would refuse a path by its suffix.
    with path.open("rb") as handle:
        try:
            workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many types for a damaged file
            raise ImportFileError(
                _("%(file)s 不是有效的 XLSX 工作簿：%(error)s")
                % {"file": path.name, "error": error}
            ) from error
        try:
            sheet, columns = _pick_sheet(workbook, path.name)
            yield Table(
                file_name=path.name,
                file_format="xlsx",
                encoding="",
                columns=columns,
                rows=_drop_trailing_empty(_xlsx_rows(sheet, columns, path.name)),
            )
        finally:
            workbook.close()


def _pick_sheet(workbook: Any, file_name: str) -> tuple[Any, ColumnMap]:
    """The first worksheet whose first row has the required columns."""
    first: ColumnMap | None = None
    for sheet in workbook.worksheets:
        sheet.reset_dimensions()  # stored dimensions are often wrong; read what is there
        header = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), None)
        if header is None or all(is_blank(cell) for cell in header):
            continue
        columns = map_header(header)
        if not columns.missing():
            return sheet, columns
        first = first or columns
    if first is None:
        raise ImportFileError(_("%(file)s 没有任何数据（第一行应为表头）。") % {"file": file_name})
    require_columns(first, file_name=file_name)
    raise AssertionError("unreachable")


def _xlsx_rows(sheet: Any, columns: ColumnMap, file_name: str) -> Iterator[RawRow]:
    line = 1
    try:
        for cells in sheet.iter_rows(min_row=2, values_only=True):
            line += 1
            yield _mapped(cells, columns, line)
    except Exception as error:  # a damaged sheet part-way through
        raise ImportFileError(
            _("%(file)s 第%(line)d行附近无法读取：%(error)s")
            % {"file": file_name, "line": line + 1, "error": error}
        ) from error


# CSV ----------------------------------------------------------------------------------


def detect_encoding(path: Path) -> str:
    """UTF-8 (BOM or not), UTF-16 with BOM, or GB18030, judged on the first megabyte."""
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
        complete = not handle.read(1)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample:
        raise ImportFileError(
            _("%(file)s 不是 CSV 或 XLSX 文件（含有二进制内容）。") % {"file": path.name}
        )
    for encoding in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            decoder.decode(sample, final=complete)
        except UnicodeDecodeError:
            continue
        return encoding
    raise ImportFileError(
        _("无法识别 %(file)s 的文字编码；请另存为 UTF-8 或 GB18030 编码的 CSV。")
        % {"file": path.name}
    )


def _delimiter(first_line: str) -> str:
    counts = {delimiter: first_line.count(delimiter) for delimiter in CSV_DELIMITERS}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _decoded_lines(handle: BinaryIO, encoding: str) -> Iterator[str]:
    """Lines decoded one by one, so that a decoding fault is found on its own line.

    Splitting bytes on "\n" is safe in UTF-8 and GB18030 (no multi-byte character contains
    that byte), not in UTF-16, which goes through a text stream instead.
    """
    if encoding == "utf-16":
        yield from io.TextIOWrapper(handle, encoding=encoding, newline="")
        return
    first = True
    for raw in handle:
        yield raw.decode("utf-8-sig" if first and encoding == "utf-8-sig" else encoding)
        first = False


@contextmanager
def _open_csv(path: Path) -> Iterator[Table]:
    encoding = detect_encoding(path)
    # Long message bodies exceed csv's default field limit of 128 KiB.
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    with path.open("rb") as handle:
        lines = _decoded_lines(handle, encoding)
        try:
            first_line = next(lines, "")
            reader = csv.reader(
                itertools.chain([first_line], lines), delimiter=_delimiter(first_line)
            )
            header = next(reader, None)
        except (UnicodeDecodeError, csv.Error) as error:
            raise ImportFileError(
                _("%(file)s 的表头无法读取：%(error)s") % {"file": path.name, "error": error}
            ) from error
        if header is None or all(is_blank(cell) for cell in header):
            raise ImportFileError(
                _("%(file)s 没有任何数据（第一行应为表头）。") % {"file": path.name}
            )
        columns = map_header(header)
        require_columns(columns, file_name=path.name)
        yield Table(
            file_name=path.name,
            file_format="csv",
            encoding=encoding,
            columns=columns,
            rows=_drop_trailing_empty(_csv_rows(reader, columns, path.name, encoding)),
        )


def _csv_rows(
    reader: Iterator[list[str]], columns: ColumnMap, file_name: str, encoding: str
) -> Iterator[RawRow]:
    line = 1
    try:
        for cells in reader:
            line += 1
            yield _mapped(cells, columns, line)
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _("%(file)s 第%(line)d行的文字不是 %(encoding)s 编码，文件可能混用了多种编码。")
            % {"file": file_name, "line": line + 1, "encoding": encoding}
        ) from error
    except csv.Error as error:
        raise ImportFileError(
            _("%(file)s 第%(line)d行附近的 CSV 格式有误：%(error)s")
            % {"file": file_name, "line": line + 1, "error": error}
        ) from error
