"""Importing administrative divisions (行政区划) from a file of statistical codes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.directory.choices import RegionLevel
from minsheng.directory.models import Region
from minsheng.directory.services.summary import ImportSummary
from minsheng.directory.services.tables import TableRow, read_table

REGION_COLUMNS = ("code", "name")
REGION_OPTIONAL_COLUMNS = ("parent_code", "short_name")
REGION_ALIASES = {
    "区划代码": "code",
    "代码": "code",
    "名称": "name",
    "区划名称": "name",
    "上级代码": "parent_code",
    "上级区划代码": "parent_code",
    "简称": "short_name",
    "别名": "short_name",
}
CODE_PATTERN = re.compile(r"[1-9]\d{5}(\d{3}){0,2}")
ALIAS_SEPARATORS = re.compile(r"\s*[,，、;；|]\s*")
NAME_MAX_LENGTH = Region._meta.get_field("name").max_length or 60
SHORT_NAME_MAX_LENGTH = Region._meta.get_field("short_name").max_length or 120


def normalize_region_code(code: str) -> str:
    """Strip a code and shorten the 12-digit padded forms of upper levels.

    The statistical bureau publishes every division with 12 digits: 430000000000 is the
    province 430000, 430111001000 the township 430111001. Village codes never end in 000.
    """
    code = code.strip()
    if len(code) == 12 and code.isdigit():
        if code.endswith("000000"):
            return code[:6]
        if code.endswith("000"):
            return code[:9]
    return code


def region_level_for_code(code: str) -> RegionLevel | None:
    """The level a (normalized) code denotes, or None when it is not a valid code.

    6 digits: XX0000 province, XXXX00 prefecture, otherwise county; 9 digits township;
    12 digits village.
    """
    if not CODE_PATTERN.fullmatch(code):
        return None
    if len(code) == 12:
        return RegionLevel.VILLAGE
    if len(code) == 9:
        return RegionLevel.TOWNSHIP
    if code.endswith("0000"):
        return RegionLevel.PROVINCE
    if code.endswith("00"):
        return RegionLevel.PREFECTURE
    return RegionLevel.COUNTY


def normalize_aliases(value: str) -> str:
    """Aliases separated by any common separator, stored comma-separated."""
    return ",".join(alias for alias in ALIAS_SEPARATORS.split(value.strip()) if alias)


@dataclass
class _RegionRow:
    line: int
    code: str
    level: RegionLevel
    name: str
    short_name: str | None  # None: the column is absent, keep what is stored
    parent_code: str | None  # None: the column is absent; "" : no parent


def regions_import_file(*, path: Path) -> ImportSummary:
    """Create or update regions from a file with columns code, name, parent_code, short_name.

    The level follows from the code. Rows may come in any order: parents are resolved by
    code, from the file or from regions already stored. Existing regions (same code) get
    the file's name, short name and parent, so importing twice changes nothing. Chinese
    headers (区划代码, 名称, 上级代码, 简称) are accepted too. Runs in one transaction.
    """
    table = read_table(
        path=path,
        required=REGION_COLUMNS,
        optional=REGION_OPTIONAL_COLUMNS,
        aliases=REGION_ALIASES,
    )
    summary = ImportSummary(rows_read=len(table.rows))
    failed: dict[str, int] = {}
    rows = _valid_rows(
        table_rows=table.rows,
        has_parent=table.has("parent_code"),
        has_short_name=table.has("short_name"),
        summary=summary,
        failed=failed,
    )
    _write_rows(rows=rows, summary=summary, failed=failed)
    return summary


def _valid_rows(
    *,
    table_rows: list[TableRow],
    has_parent: bool,
    has_short_name: bool,
    summary: ImportSummary,
    failed: dict[str, int],
) -> list[_RegionRow]:
    """Rows whose own cells are valid; the first of duplicate codes wins.

    Codes of rejected rows go into `failed` (code → line) so children can name them.
    """
    rows: list[_RegionRow] = []
    first_line_of: dict[str, int] = {}
    for table_row in table_rows:
        line = table_row.line
        code = normalize_region_code(table_row.get("code"))
        level = region_level_for_code(code)
        name = table_row.get("name")
        if level is None:
            summary.reject(
                line,
                _("区划代码“%(code)s”格式不正确：应为 6 位、9 位或 12 位数字。") % {"code": code},
            )
            continue
        if code in first_line_of:
            summary.reject(
                line,
                _("区划代码 %(code)s 与第 %(first)s 行重复。")
                % {"code": code, "first": first_line_of[code]},
            )
            continue
        first_line_of[code] = line
        short_name = normalize_aliases(table_row.get("short_name")) if has_short_name else None
        parent_code = normalize_region_code(table_row.get("parent_code")) if has_parent else None
        problem = None
        if not name:
            problem = _("缺少区划名称。")
        elif len(name) > NAME_MAX_LENGTH:
            problem = _("区划名称超过 %(max)s 个字符。") % {"max": NAME_MAX_LENGTH}
        elif short_name is not None and len(short_name) > SHORT_NAME_MAX_LENGTH:
            problem = _("简称/别名超过 %(max)s 个字符。") % {"max": SHORT_NAME_MAX_LENGTH}
        elif parent_code and region_level_for_code(parent_code) is None:
            problem = _("上级区划代码“%(code)s”格式不正确：应为 6 位、9 位或 12 位数字。") % {
                "code": parent_code
            }
        if problem is not None:
            summary.reject(line, problem)
            failed[code] = line
            continue
        rows.append(_RegionRow(line, code, level, name, short_name, parent_code))
    return rows


@transaction.atomic
def _write_rows(*, rows: list[_RegionRow], summary: ImportSummary, failed: dict[str, int]) -> None:
    """Write parents before children (a parent's level is always higher)."""
    codes = {row.code for row in rows} | {row.parent_code for row in rows if row.parent_code}
    stored = Region.objects.in_bulk(list(codes), field_name="code")
    for row in sorted(rows, key=lambda row: (row.level, row.code)):
        parent: Region | None = None
        if row.parent_code:
            parent = stored.get(row.parent_code)
            problem = None
            if parent is None and row.parent_code in failed:
                problem = _("上级区划 %(code)s（第 %(parent_line)s 行）未能导入。") % {
                    "code": row.parent_code,
                    "parent_line": failed[row.parent_code],
                }
            elif parent is None:
                problem = _("找不到上级区划代码 %(code)s（文件和系统中都没有）。") % {
                    "code": row.parent_code
                }
            elif parent.level >= row.level:
                problem = _("上级区划 %(parent)s 的层级不高于本区划 %(code)s。") % {
                    "parent": parent,
                    "code": row.code,
                }
            if problem is not None:
                summary.reject(row.line, problem)
                failed[row.code] = row.line
                continue
        region = stored.get(row.code)
        if region is None:
            region = Region(
                code=row.code,
                level=row.level,
                name=row.name,
                short_name=row.short_name or "",
                parent=parent,
            )
            region.save()
            stored[row.code] = region
            summary.created += 1
            continue
        changed = _apply(region=region, row=row, parent=parent)
        if changed:
            region.save()
            summary.updated += 1
        else:
            summary.existing += 1


def _apply(*, region: Region, row: _RegionRow, parent: Region | None) -> bool:
    """Copy the row onto a stored region; True when anything changed."""
    wanted: dict[str, object] = {"name": row.name, "level": row.level}
    if row.short_name is not None:
        wanted["short_name"] = row.short_name
    changed = False
    for field_name, value in wanted.items():
        if getattr(region, field_name) != value:
            setattr(region, field_name, value)
            changed = True
    if row.parent_code is not None and region.parent_id != (parent.pk if parent else None):
        region.parent = parent
        changed = True
    return changed
