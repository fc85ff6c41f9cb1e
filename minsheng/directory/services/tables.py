"""Reading a spreadsheet (XLSX) or a CSV file into named, stripped cells with line numbers.

The importers share this reader so that every file problem (absent, empty, not a
spreadsheet, unknown encoding, missing columns) becomes one `ImportFileError` with a
message an administrator can act on, never a traceback.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from django.utils.translation import gettext as _

from minsheng.directory.errors import ImportFileError

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and .doc)
UTF8_BOM = b"\xef\xbb\xbf"
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})


@dataclass(frozen=True)
class TableRow:
    """One non-blank data row: its line number in the file and its cells by column name."""

    line: int
    cells: Mapping[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass(frozen=True)
class Table:
    """The known columns present in the file, and its non-blank data rows."""

    columns: frozenset[str]
    rows: list[TableRow]

    def has(self, column: str) -> bool:
        return column in self.columns


def clean_cell(value: object) -> str:
    """A cell as text: stripped (also of full-width spaces and BOMs), numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = str(value)
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, dt.datetime | dt.date | dt.time):
        text = value.isoformat()
    else:
        text = str(value)
    return text.replace("\ufeff", "").strip()


def read_table(
    *,
    path: Path,
    required: Sequence[str],
    optional: Sequence[str] = (),
    aliases: Mapping[str, str] | None = None,
) -> Table:
    """Read `path` (XLSX or CSV, chosen by content) and keep the `required`/`optional` columns.

    `aliases` maps alternative header names (e.g. Chinese ones) to the column names used.
    Raises ImportFileError when the file cannot be read, has no header or no data rows,
    or lacks a required column (all missing ones are listed).
    """
    raw_rows = _raw_rows(Path(path))
    header_line, header = _find_header(raw_rows)
    known = {*required, *optional}
    aliases = aliases or {}
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        name = aliases.get(title, title)
        if name not in known:
            continue
        if name in positions:
            raise ImportFileError(_("表头中的列“%(column)s”重复。") % {"column": name})
        positions[name] = index
    missing = [column for column in required if column not in positions]
    if missing:
        found = "、".join(title for title in header if title) or _("（无）")
        raise ImportFileError(
            _("缺少必需的列：%(missing)s。文件中的列为：%(found)s。")
            % {"missing": "、".join(missing), "found": found},
            missing_columns=missing,
        )
    rows = []
    for line, values in raw_rows:
        if line <= header_line:
            continue
        cells = {
            name: values[index] if index < len(values) else "" for name, index in positions.items()
        }
        if any(cells.values()):
            rows.append(TableRow(line=line, cells=cells))
    if not rows:
        raise ImportFileError(_("文件中没有数据行（只有表头）。"))
    return Table(columns=frozenset(positions), rows=rows)


def _find_header(raw_rows: list[tuple[int, list[str]]]) -> tuple[int, list[str]]:
    """The first non-blank row is the header."""
    for line, values in raw_rows:
        if any(values):
            return line, values
    raise ImportFileError(_("文件为空。"))


def _raw_rows(path: Path) -> list[tuple[int, list[str]]]:
    """All rows of the file with their 1-based line numbers, cells cleaned."""
    if not path.is_file():
        raise ImportFileError(_("找不到文件：%(path)s") % {"path": path})
    try:
        with path.open("rb") as handle:
            head = handle.read(len(OLE_MAGIC))
    except OSError as exc:
        raise ImportFileError(
            _("无法读取文件 %(path)s：%(error)s") % {"path": path, "error": exc}
        ) from exc
    if not head:
        raise ImportFileError(_("文件为空。"))
    if head.startswith(ZIP_MAGIC):
        return _xlsx_rows(path)
    if head.startswith(OLE_MAGIC):
        raise ImportFileError(
            _("不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV（UTF-8）后再导入。")
        )
    if path.suffix.lower() in XLSX_SUFFIXES:
        raise ImportFileError(
            _("文件 %(name)s 不是有效的 XLSX 文件（可能已损坏或只是改了扩展名）。")
            % {"name": path.name}
        )
    return _csv_rows(path)


def _xlsx_rows(path: Path) -> list[tuple[int, list[str]]]:
    """Rows of the first worksheet, read in read-only mode."""
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign zip
        raise ImportFileError(
            _("无法打开 XLSX 文件 %(name)s：%(error)s") % {"name": path.name, "error": exc}
        ) from exc
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("XLSX 文件中没有工作表。"))
        sheet = workbook.worksheets[0]
        return [
            (line, [clean_cell(value) for value in values])
            for line, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(
            _("读取 XLSX 文件 %(name)s 时出错：%(error)s") % {"name": path.name, "error": exc}
        ) from exc
    finally:
        workbook.close()


def decode_text(data: bytes) -> str:
    """Decode CSV bytes: UTF-8 (with or without BOM), else GB18030 (a superset of GBK)."""
    if data.startswith(UTF8_BOM):
        return data[len(UTF8_BOM) :].decode("utf-8", errors="strict")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("无法识别文件编码，请保存为 UTF-8 或 GBK/GB18030 编码的 CSV 文件。"))


def _csv_rows(path: Path) -> list[tuple[int, list[str]]]:
    data = path.read_bytes()
    try:
        text = decode_text(data)
    except UnicodeDecodeError as exc:  # a damaged UTF-8 file that carries a BOM
        raise ImportFileError(_("文件带有 UTF-8 标记，但内容不是有效的 UTF-8。")) from exc
    if "\x00" in text:
        raise ImportFileError(
            _("文件 %(name)s 含有二进制内容，不是 CSV 文本文件。") % {"name": path.name}
        )
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        return list(_numbered_records(text, delimiter))
    except csv.Error as exc:
        raise ImportFileError(_("CSV 文件格式错误：%(error)s") % {"error": exc}) from exc


def _numbered_records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Records with the line each starts on (a quoted cell may span several lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous_end = 0
    for record in reader:
        yield previous_end + 1, [clean_cell(value) for value in record]
        previous_end = reader.line_num
