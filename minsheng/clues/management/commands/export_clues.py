"""Export clues to CSV or XLSX: `export_clues [--format csv|xlsx] [--output PATH|-] [filters]`."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet

from minsheng.clues.choices import Channel
from minsheng.clues.errors import ClueValidationError
from minsheng.clues.exporting import (
    ExportFormat,
    filter_clues_for_export,
    write_clues_csv,
    write_clues_xlsx,
)
from minsheng.clues.models import Clue
from minsheng.clues.workflow import ClueStatus


class _TextOut:
    """csv.writer onto the command's stdout, without OutputWrapper's line endings."""

    def __init__(self, command: BaseCommand) -> None:
        self._command = command

    def write(self, text: str) -> int:
        self._command.stdout.write(text, ending="")
        return len(text)


class Command(BaseCommand):
    help = (
        "导出问题线索为 CSV（UTF-8 带 BOM，可用 import_clues 重新导入）或 XLSX，"
        "不含反映人身份信息。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--format",
            dest="export_format",
            default=ExportFormat.CSV.value,
            choices=[f.value for f in ExportFormat],
        )
        parser.add_argument("--output", default="-", help="输出文件；- 为标准输出（默认）")
        parser.add_argument(
            "--status",
            action="extend",
            nargs="+",
            default=[],
            choices=ClueStatus.values,
            help="只导出这些状态（可多个）",
        )
        parser.add_argument("--category", default="", help="问题分类名称或路径（含下级分类）")
        parser.add_argument("--region", default="", help="行政区划代码（含下级区划）")
        parser.add_argument("--since", type=_day, help="反映时间起（YYYY-MM-DD，含）")
        parser.add_argument("--until", type=_day, help="反映时间止（YYYY-MM-DD，含）")
        parser.add_argument("--channel", default="", choices=["", *Channel.values])

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            clues = filter_clues_for_export(
                Clue.objects.all(),
                statuses=options["status"],
                category=options["category"],
                region_code=options["region"],
                since=options["since"],
                until=options["until"],
                channel=options["channel"],
            )
        except ClueValidationError as error:
            raise CommandError(error.message) from error
        export_format = ExportFormat(options["export_format"])
        output: str = options["output"]
        if output == "-":
            count = self._to_stdout(clues, export_format)
            where = "standard output"
        else:
            count = self._to_file(clues, export_format, Path(output))
            where = output
        self.stderr.write(f"exported {count} clue(s) to {where}")

    def _to_stdout(self, clues: QuerySet[Clue], export_format: ExportFormat) -> int:
        if export_format is ExportFormat.CSV:
            return write_clues_csv(clues=clues, stream=_TextOut(self), bom=False)
        return write_clues_xlsx(clues=clues, target=sys.stdout.buffer)

    @staticmethod
    def _to_file(clues: QuerySet[Clue], export_format: ExportFormat, path: Path) -> int:
        # Written beside the target and renamed at the end: no half-written export on failure.
        partial = path.with_name(path.name + ".part")
        try:
            if export_format is ExportFormat.CSV:
                with partial.open("w", encoding="utf-8", newline="") as stream:
                    count = write_clues_csv(clues=clues, stream=stream)
            else:
                count = write_clues_xlsx(clues=clues, target=str(partial))
            os.replace(partial, path)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"cannot write {path}: {error.strerror or error}") from error
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return count


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from error
