"""Importing departments (承办单位) from a file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from minsheng.directory.choices import DepartmentKind
from minsheng.directory.models import Department, Region
from minsheng.directory.services.regions import normalize_region_code
from minsheng.directory.services.summary import ImportSummary
from minsheng.directory.services.tables import Table, TableRow, read_table

DEPARTMENT_COLUMNS = ("name", "kind", "region_code")
# Optional columns; when a column is absent the stored value is kept.
DEPARTMENT_OPTIONAL_COLUMNS = (
    "short_name",
    "parent_name",
    "contact_person",
    "contact_phone",
    "contact_email",
    "address",
)
DEPARTMENT_ALIASES = {
    "单位名称": "name",
    "名称": "name",
    "简称": "short_name",
    "单位类型": "kind",
    "类型": "kind",
    "区划代码": "region_code",
    "所在区划代码": "region_code",
    "上级单位": "parent_name",
    "联系人": "contact_person",
    "联系电话": "contact_phone",
    "联系邮箱": "contact_email",
    "地址": "address",
}
# Columns copied onto the model as they are.
PLAIN_FIELDS = ("short_name", "contact_person", "contact_phone", "contact_email", "address")


def department_kind_from_text(text: str) -> str | None:
    """A DepartmentKind value from its value ("utility") or its label ("公用事业企业")."""
    text = text.strip()
    if text.lower() in DepartmentKind.values:
        return text.lower()
    for value, label in DepartmentKind.choices:
        with translation.override(None):
            source_label = str(label)
        if text in {source_label, str(label)}:
            return str(value)
    return None


@dataclass
class _DepartmentRow:
    line: int
    name: str
    kind: str
    region: Region
    parent_name: str | None  # None: the column is absent, keep the stored parent
    fields: dict[str, str]


def departments_import_file(*, path: Path) -> ImportSummary:
    """Create or update departments from a file with the columns
    name, short_name, kind, region_code, parent_name, contact_person, contact_phone
    (and optionally contact_email, address; Chinese headers are accepted too).

    Departments are matched by their unique name. `kind` is the choice value or its
    Chinese label. Regions must be imported first. A parent is found by name in the file
    or among stored departments, in any order; rows forming a cycle are rejected.
    Runs in one transaction.
    """
    table = read_table(
        path=path,
        required=DEPARTMENT_COLUMNS,
        optional=DEPARTMENT_OPTIONAL_COLUMNS,
        aliases=DEPARTMENT_ALIASES,
    )
    summary = ImportSummary(rows_read=len(table.rows))
    rows = _valid_rows(table=table, summary=summary)
    rows = _without_unknown_or_cyclic_parents(rows=rows, summary=summary)
    _write_rows(rows=rows, summary=summary)
    return summary


def _row_problem(*, table_row: TableRow, kind: str | None, region: Region | None) -> str | None:
    name = table_row.get("name")
    max_length = Department._meta.get_field("name").max_length or 100
    if not name:
        return _("缺少单位名称。")
    if len(name) > max_length:
        return _("单位名称超过 %(max)s 个字符。") % {"max": max_length}
    if kind is None:
        labels = "、".join(str(label) for label in DepartmentKind.labels)
        return _("单位类型“%(kind)s”无效，应为：%(labels)s。") % {
            "kind": table_row.get("kind"),
            "labels": labels,
        }
    if region is None:
        return _("找不到区划代码“%(code)s”，请先导入行政区划。") % {
            "code": table_row.get("region_code")
        }
    for field_name in PLAIN_FIELDS:
        field = Department._meta.get_field(field_name)
        if not isinstance(field, models.Field) or field.max_length is None:
            continue
        if len(table_row.get(field_name)) > field.max_length:
            return _("%(field)s超过 %(max)s 个字符。") % {
                "field": field.verbose_name,
                "max": field.max_length,
            }
    email = table_row.get("contact_email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            return _("联系邮箱“%(email)s”格式不正确。") % {"email": email}
    return None


def _valid_rows(*, table: Table, summary: ImportSummary) -> list[_DepartmentRow]:
    codes = {normalize_region_code(row.get("region_code")) for row in table.rows}
    regions = Region.objects.in_bulk(list(codes), field_name="code")
    first_line_of: dict[str, int] = {}
    rows: list[_DepartmentRow] = []
    for table_row in table.rows:
        name = table_row.get("name")
        kind = department_kind_from_text(table_row.get("kind"))
        region = regions.get(normalize_region_code(table_row.get("region_code")))
        problem = _row_problem(table_row=table_row, kind=kind, region=region)
        if problem is None and name in first_line_of:
            problem = _("单位名称“%(name)s”与第 %(first)s 行重复。") % {
                "name": name,
                "first": first_line_of[name],
            }
        if problem is not None or kind is None or region is None:
            summary.reject(table_row.line, problem or _("无效的行。"))
            continue
        first_line_of[name] = table_row.line
        rows.append(
            _DepartmentRow(
                line=table_row.line,
                name=name,
                kind=kind,
                region=region,
                parent_name=table_row.get("parent_name") if table.has("parent_name") else None,
                fields={f: table_row.get(f) for f in PLAIN_FIELDS if table.has(f)},
            )
        )
    return rows


def _without_unknown_or_cyclic_parents(
    *, rows: list[_DepartmentRow], summary: ImportSummary
) -> list[_DepartmentRow]:
    """Reject rows whose parent is nowhere to be found or whose parent chain loops.

    Rejecting a row can orphan the rows below it, so this repeats until nothing changes.
    """
    stored_parent_of: dict[str, str | None] = dict(
        Department.objects.values_list("name", "parent__name")
    )
    kept = rows
    while True:
        known = set(stored_parent_of) | {row.name for row in kept}
        parent_of = dict(stored_parent_of)
        for row in kept:
            if row.parent_name is not None:
                parent_of[row.name] = row.parent_name or None
        problems: dict[int, str] = {}
        for row in kept:
            if row.parent_name and row.parent_name not in known:
                problems[row.line] = _("找不到上级单位“%(parent)s”（文件和系统中都没有）。") % {
                    "parent": row.parent_name
                }
            elif _in_cycle(row.name, parent_of):
                problems[row.line] = _("上级单位“%(parent)s”会形成循环（单位成为自己的上级）。") % {
                    "parent": row.parent_name
                }
        if not problems:
            return kept
        for line, problem in problems.items():
            summary.reject(line, problem)
        kept = [row for row in kept if row.line not in problems]


def _in_cycle(name: str, parent_of: dict[str, str | None]) -> bool:
    seen = {name}
    current = parent_of.get(name)
    while current is not None:
        if current in seen:
            return current == name
        seen.add(current)
        current = parent_of.get(current)
    return False


@transaction.atomic
def _write_rows(*, rows: list[_DepartmentRow], summary: ImportSummary) -> None:
    """Create missing departments first, then set every field (parents may be new)."""
    stored = Department.objects.in_bulk([row.name for row in rows], field_name="name")
    created: set[str] = set()
    for row in rows:
        if row.name not in stored:
            department = Department(name=row.name, kind=row.kind, region=row.region, **row.fields)
            department.save()
            stored[row.name] = department
            created.add(row.name)
    parents = Department.objects.in_bulk(
        [row.parent_name for row in rows if row.parent_name], field_name="name"
    )
    for row in rows:
        department = stored[row.name]
        wanted: dict[str, object] = {"kind": row.kind, "region_id": row.region.pk, **row.fields}
        if row.parent_name is not None:
            parent = parents.get(row.parent_name) if row.parent_name else None
            wanted["parent_id"] = parent.pk if parent is not None else None
        changed = [name for name, value in wanted.items() if getattr(department, name) != value]
        for name in changed:
            setattr(department, name, wanted[name])
        if changed:
            department.save(update_fields=[name.removesuffix("_id") for name in changed])
        if row.name in created:
            summary.created += 1
        elif changed:
            summary.updated += 1
        else:
            summary.existing += 1
