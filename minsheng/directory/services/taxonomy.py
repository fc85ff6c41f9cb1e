"""Importing the 3-level category taxonomy (一级分类, 二级分类, 三级分类)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.directory.models import Category
from minsheng.directory.services.summary import ImportSummary
from minsheng.directory.services.tables import clean_cell, read_table

LEVEL_COLUMNS = ("一级分类", "二级分类", "三级分类")
DEFAULT_TAXONOMY_PATH = Path(__file__).resolve().parent.parent / "data" / "default_taxonomy.csv"
NAME_MAX_LENGTH = Category._meta.get_field("name").max_length or 60


def taxonomy_import(*, rows: Iterable[tuple[str, str, str]]) -> ImportSummary:
    """Create the categories named by `rows` that do not exist yet.

    Each row is (level 1, level 2, level 3); levels 2 and 3 may be blank (the row then
    names an upper node). Names are stripped. Existing nodes are reused (also inactive
    ones, which stay inactive), so importing twice creates nothing the second time.
    Rows are numbered from 1 in rejection reasons. Runs in one transaction.
    """
    return _import_rows(enumerate(rows, start=1))


def taxonomy_import_file(*, path: Path) -> ImportSummary:
    """Import a taxonomy from an XLSX or CSV file with the columns 一级分类, 二级分类, 三级分类.

    Raises ImportFileError when the file cannot be read or lacks one of these columns;
    rejected rows are reported with their line number in the summary.
    """
    table = read_table(path=path, required=LEVEL_COLUMNS)
    return _import_rows(
        (
            row.line,
            (row.get(LEVEL_COLUMNS[0]), row.get(LEVEL_COLUMNS[1]), row.get(LEVEL_COLUMNS[2])),
        )
        for row in table.rows
    )


def taxonomy_load_default() -> ImportSummary:
    """Import Minsheng's own default taxonomy (data/default_taxonomy.csv)."""
    return taxonomy_import_file(path=DEFAULT_TAXONOMY_PATH)


def _row_problem(names: list[str]) -> str | None:
    if not names[0]:
        return _("缺少一级分类。")
    if names[2] and not names[1]:
        return _("有三级分类但缺少二级分类。")
    too_long = [name for name in names if len(name) > NAME_MAX_LENGTH]
    if too_long:
        return _("分类名称“%(name)s”超过 %(max)s 个字符。") % {
            "name": too_long[0],
            "max": NAME_MAX_LENGTH,
        }
    return None


@transaction.atomic
def _import_rows(numbered_rows: Iterable[tuple[int, tuple[str, str, str]]]) -> ImportSummary:
    summary = ImportSummary()
    nodes: dict[tuple[int | None, str], Category] = {
        (category.parent_id, category.name): category for category in Category.objects.all()
    }
    for line, row in numbered_rows:
        names = [clean_cell(value) for value in (*row, "", "", "")[:3]]
        if not any(names):
            continue
        summary.rows_read += 1
        problem = _row_problem(names)
        if problem is not None:
            summary.reject(line, problem)
            continue
        parent: Category | None = None
        created_here = 0
        for name in (name for name in names if name):
            key = (parent.pk if parent is not None else None, name)
            node = nodes.get(key)
            if node is None:
                node = Category(name=name, parent=parent)
                node.save()
                nodes[key] = node
                created_here += 1
            parent = node
        if created_here:
            summary.created += created_here
        else:
            summary.existing += 1
    return summary
