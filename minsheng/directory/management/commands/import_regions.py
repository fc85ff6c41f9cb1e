"""manage.py import_regions FILE: import administrative divisions by statistical code."""

from __future__ import annotations

from pathlib import Path

from minsheng.directory.management.importing import ImportCommand
from minsheng.directory.services import ImportSummary, regions_import_file


class Command(ImportCommand):
    help = (
        "导入行政区划（列：code、name、parent_code、short_name）。"
        " Import regions from a CSV/XLSX file with columns code,name,parent_code,short_name."
    )

    def import_file(self, path: Path) -> ImportSummary:
        return regions_import_file(path=path)
