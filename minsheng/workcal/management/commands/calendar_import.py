"""Enter calendar days from a CSV file `date,is_working_day,name` (idempotent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from minsheng.workcal.importing import CalendarCsvError, parse_calendar_csv
from minsheng.workcal.services import calendar_days_import


class Command(BaseCommand):
    help = (
        "从 CSV 文件导入工作日历调整（列：date,is_working_day,name；"
        "是否工作日可写 1/0、true/false、是/否、班/休）。已有日期将被更新，可重复执行。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV 文件路径")
        parser.add_argument(
            "--encoding", default="utf-8-sig", help="文件编码，默认 utf-8（可带 BOM），如 gbk"
        )
        parser.add_argument("--dry-run", action="store_true", help="只检查文件，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            with path.open(encoding=options["encoding"], newline="") as handle:
                days = parse_calendar_csv(handle)
        except OSError as error:
            raise CommandError(
                _("无法读取文件 %(path)s：%(error)s")
                % {"path": path, "error": error.strerror or error}
            ) from error
        except UnicodeDecodeError as error:
            raise CommandError(
                _("文件 %(path)s 不是 %(encoding)s 编码，请用 --encoding 指定（如 gbk）。")
                % {"path": path, "encoding": options["encoding"]}
            ) from error
        except CalendarCsvError as error:
            raise CommandError(_("文件有误，未导入任何数据：\n%s") % error) from error
        if not days:
            raise CommandError(_("文件 %s 中没有数据行。") % path)
        if options["dry_run"]:
            self.stdout.write(_("检查通过：%d 行，未写入（--dry-run）。") % len(days))
            return
        result = calendar_days_import(days=days)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "导入完成：新增 %(created)d 天，更新 %(updated)d 天，未变 %(unchanged)d 天；"
                    "年份 %(years)s。"
                )
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "years": "、".join(str(year) for year in result.years),
                }
            )
        )
