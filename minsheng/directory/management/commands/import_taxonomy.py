"""manage.py import_taxonomy FILE | --default: import the 3-level category taxonomy."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from minsheng.directory.management.importing import run_import, write_summary
from minsheng.directory.services import taxonomy_import_file, taxonomy_load_default


class Command(BaseCommand):
    help = (
        "导入三级问题分类（列：一级分类、二级分类、三级分类），或用 --default 导入内置分类。"
        " Import the category taxonomy from a CSV/XLSX file, or the built-in one."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument(
            "file", nargs="?", type=Path, help="CSV 或 XLSX 文件 / CSV or XLSX file"
        )
        source.add_argument(
            "--default", action="store_true", help="导入内置默认分类 / import the built-in taxonomy"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path | None = options["file"]
        if options["default"] or path is None:
            summary = run_import(taxonomy_load_default, path=None)
        else:
            summary = run_import(lambda: taxonomy_import_file(path=path), path=path)
        write_summary(self, summary)
