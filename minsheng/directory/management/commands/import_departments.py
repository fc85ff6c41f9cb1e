"""manage.py import_departments FILE: import the departments that handle clues."""

from __future__ import annotations

from pathlib import Path

from minsheng.directory.management.importing import ImportCommand
from minsheng.directory.services import ImportSummary, departments_import_file


class Command(ImportCommand):
    help = (
        "导入承办单位（列：name、short_name、kind、region_code、parent_name、contact_person、"
        "contact_phone）。请先导入行政区划。"
        " Import departments from a CSV/XLSX file; import the regions first."
    )

    def import_file(self, path: Path) -> ImportSummary:
        return departments_import_file(path=path)
