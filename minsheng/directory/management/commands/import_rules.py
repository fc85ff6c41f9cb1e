"""manage.py import_rules FILE: import the responsibility list, then report its conflicts."""

from __future__ import annotations

from pathlib import Path

from minsheng.directory.management.importing import ImportCommand
from minsheng.directory.services import ImportSummary, rules_import_file


class Command(ImportCommand):
    help = (
        "导入责任清单（列：category_path、region_code、lead_department、co_departments），"
        "导入后报告冲突。"
        " Import the responsibility list from a CSV/XLSX file and report any conflicts."
    )

    def import_file(self, path: Path) -> ImportSummary:
        return rules_import_file(path=path)
