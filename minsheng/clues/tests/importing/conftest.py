"""Helpers for the import tests: write small CSV and XLSX files in Teddy Cup layout."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path

import openpyxl
import pytest

from minsheng.directory.models import Category
from minsheng.testing.shared_data import TEDDY_CATEGORIES

TEDDY_HEADER = ("留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "一级分类")
REPLY_HEADER = ("留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "答复意见", "答复时间")

Rows = Sequence[Sequence[object]]


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """`write_csv(rows, header=TEDDY_HEADER, name="clues.csv", encoding="utf-8")`."""

    def write(
        rows: Rows,
        *,
        header: Sequence[str] = TEDDY_HEADER,
        name: str = "clues.csv",
        encoding: str = "utf-8",
        delimiter: str = ",",
    ) -> Path:
        path = tmp_path / name
        with path.open("w", encoding=encoding, newline="") as handle:
            writer = csv.writer(handle, delimiter=delimiter)
            writer.writerow(header)
            writer.writerows(rows)
        return path

    return write


@pytest.fixture
def write_xlsx(tmp_path: Path) -> Callable[..., Path]:
    """`write_xlsx(rows, header=TEDDY_HEADER, name="clues.xlsx")`, one sheet."""

    def write(
        rows: Rows, *, header: Sequence[str] = TEDDY_HEADER, name: str = "clues.xlsx"
    ) -> Path:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(list(header))
        for row in rows:
            sheet.append(list(row))
        path = tmp_path / name
        workbook.save(path)
        return path

    return write


@pytest.fixture
def teddy_categories(db: None) -> dict[str, Category]:
    """The 7 first-level categories of the Teddy Cup labels (the taxonomy, imported first)."""
    return {name: Category.objects.create(name=name) for name in TEDDY_CATEGORIES}


def teddy_row(
    number: object = 1,
    *,
    user: str = "A0001",
    title: str = "小区门口路灯坏了",
    time: object = "2019/4/25 9:32:09",
    content: str = "小区门口的路灯坏了一个月，晚上出行很不方便。",
    category: str = "城乡建设",
) -> list[object]:
    return [number, user, title, time, content, category]
