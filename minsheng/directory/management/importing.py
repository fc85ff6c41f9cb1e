"""What the import commands share: reading the file argument and printing the summary."""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from minsheng.directory.errors import ImportFileError
from minsheng.directory.services import ImportSummary


class ImportCommand(BaseCommand):
    """An import of one file; subclasses say which service reads it."""

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "file", type=Path, help="CSV（UTF-8/GBK）或 XLSX 文件 / CSV or XLSX file"
        )

    def import_file(self, path: Path) -> ImportSummary:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        summary = run_import(lambda: self.import_file(path), path=path)
        write_summary(self, summary)


def run_import(action: Callable[[], ImportSummary], *, path: Path | None) -> ImportSummary:
    """Run an import, turning a file problem into a CommandError that names the file."""
    try:
        summary = action()
    except ImportFileError as exc:
        where = f" {path}" if path is not None else ""
        raise CommandError(
            _("无法导入文件%(where)s：%(message)s") % {"where": where, "message": exc.message}
        ) from exc
    return summary


def write_summary(command: BaseCommand, summary: ImportSummary) -> None:
    first, *details = summary.lines()
    command.stdout.write(command.style.SUCCESS(first))
    for line in details:
        command.stdout.write(command.style.WARNING(line))
    if summary.conflicts:
        command.stdout.write(
            command.style.ERROR(_("责任清单存在冲突，请在管理后台修正，或运行 check_rules 查看。"))
        )
