"""Importing the responsibility list (责任清单) from a file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.directory.models import (
    Category,
    Department,
    Region,
    ResponsibilityRule,
    same_or_both_null,
)
from minsheng.directory.routing import find_rule_conflicts
from minsheng.directory.selectors import category_by_path, department_by_name, region_by_code
from minsheng.directory.services.regions import normalize_region_code
from minsheng.directory.services.summary import ImportSummary
from minsheng.directory.services.tables import TableRow, read_table

RULE_COLUMNS = ("category_path", "region_code", "lead_department")
RULE_OPTIONAL_COLUMNS = ("co_departments", "basis")
RULE_ALIASES = {
    "分类路径": "category_path",
    "问题分类": "category_path",
    "区划代码": "region_code",
    "主办单位": "lead_department",
    "协办单位": "co_departments",
    "职责依据": "basis",
}
CO_DEPARTMENT_SEPARATORS = re.compile(r"\s*[|、,，;；]\s*")


def split_department_names(text: str) -> list[str]:
    """Split "甲|乙" or "甲、乙" into names, without blanks or repeats, in order."""
    names = [name for name in CO_DEPARTMENT_SEPARATORS.split(text.strip()) if name]
    return list(dict.fromkeys(names))


@dataclass
class _RuleRow:
    line: int
    category: Category | None
    region: Region | None
    lead: Department
    co_departments: list[Department]
    basis: str | None  # None: the column is absent, keep the stored basis


def rules_import_file(*, path: Path) -> ImportSummary:
    """Create or update responsibility-list rules from a file with the columns
    category_path, region_code, lead_department, co_departments (and optionally basis).

    An empty category path or region code means "any". A department is named by its full
    name or a short name only it uses; co-departments are separated by "|" or "、". The
    file's row for a (category, region) replaces the lead, co-departments and basis of
    the one active rule stored for it, or creates that rule. Afterwards every tie left in
    the responsibility list is listed in `summary.conflicts`. Runs in one transaction.
    """
    table = read_table(
        path=path, required=RULE_COLUMNS, optional=RULE_OPTIONAL_COLUMNS, aliases=RULE_ALIASES
    )
    summary = ImportSummary(rows_read=len(table.rows))
    with transaction.atomic():
        first_line_of: dict[tuple[int | None, int | None], int] = {}
        for table_row in table.rows:
            row = _parse_row(table_row=table_row, has_basis=table.has("basis"), summary=summary)
            if row is None:
                continue
            key = (row.category.pk if row.category else None, row.region.pk if row.region else None)
            if key in first_line_of:
                summary.reject(
                    row.line,
                    _("分类与区划与第 %(first)s 行相同，同一分类与区划只能有一个主办单位。")
                    % {"first": first_line_of[key]},
                )
                continue
            first_line_of[key] = row.line
            _write_row(row=row, summary=summary)
        summary.conflicts = [
            "；".join(f"#{rule.pk} {rule}" for rule in rules) for rules in find_rule_conflicts()
        ]
    return summary


def _parse_row(*, table_row: TableRow, has_basis: bool, summary: ImportSummary) -> _RuleRow | None:
    """The row's objects, or None after recording why it is rejected."""
    line = table_row.line
    category = None
    category_path = table_row.get("category_path")
    if category_path:
        category = category_by_path(path=category_path)
        if category is None:
            summary.reject(line, _("找不到分类“%(path)s”。") % {"path": category_path})
            return None
    region = None
    region_code = normalize_region_code(table_row.get("region_code"))
    if region_code:
        region = region_by_code(code=region_code)
        if region is None:
            summary.reject(line, _("找不到区划代码“%(code)s”。") % {"code": region_code})
            return None
    lead_name = table_row.get("lead_department")
    if not lead_name:
        summary.reject(line, _("缺少主办单位。"))
        return None
    lead = department_by_name(name=lead_name)
    if lead is None:
        summary.reject(line, _("找不到主办单位“%(name)s”。") % {"name": lead_name})
        return None
    co_departments = []
    for name in split_department_names(table_row.get("co_departments")):
        department = department_by_name(name=name)
        if department is None:
            summary.reject(line, _("找不到协办单位“%(name)s”。") % {"name": name})
            return None
        co_departments.append(department)
    basis = table_row.get("basis") if has_basis else None
    max_basis = ResponsibilityRule._meta.get_field("basis").max_length or 200
    if basis is not None and len(basis) > max_basis:
        summary.reject(line, _("职责依据超过 %(max)s 个字符。") % {"max": max_basis})
        return None
    try:
        ResponsibilityRule(lead_department=lead).validate_co_departments(co_departments)
    except ValidationError as exc:
        summary.reject(line, " ".join(exc.messages))
        return None
    return _RuleRow(line, category, region, lead, co_departments, basis)


def _write_row(*, row: _RuleRow, summary: ImportSummary) -> None:
    active = list(
        ResponsibilityRule.objects.filter(
            same_or_both_null("category", row.category.pk if row.category else None),
            same_or_both_null("region", row.region.pk if row.region else None),
            is_active=True,
        )
    )
    if len(active) > 1:
        summary.reject(
            row.line,
            _("系统中该分类与区划已有多条启用的条目（%(ids)s），请先在管理后台处理冲突。")
            % {"ids": "、".join(f"#{rule.pk}" for rule in active)},
        )
        return
    if not active:
        rule = ResponsibilityRule(
            category=row.category, region=row.region, lead_department=row.lead
        )
        rule.basis = row.basis or ""
        rule.save()
        rule.co_departments.set(row.co_departments)
        summary.created += 1
        return
    rule = active[0]
    changed_fields = []
    if rule.lead_department_id != row.lead.pk:
        rule.lead_department = row.lead
        changed_fields.append("lead_department")
    if row.basis is not None and rule.basis != row.basis:
        rule.basis = row.basis
        changed_fields.append("basis")
    if changed_fields:
        rule.save(update_fields=changed_fields)
    wanted_co = {department.pk for department in row.co_departments}
    co_changed = set(rule.co_departments.values_list("pk", flat=True)) != wanted_co
    if co_changed:
        rule.co_departments.set(row.co_departments)
    if changed_fields or co_changed:
        summary.updated += 1
    else:
        summary.existing += 1
