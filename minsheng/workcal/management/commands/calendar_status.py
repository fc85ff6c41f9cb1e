"""Print, for each year, where its working days come from and how many there are."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from minsheng.workcal.services import CalendarSource, year_coverage

# Marked for extraction here, translated when printed (the active language is only known then).
SOURCE_LABELS = {
    CalendarSource.BUNDLED: gettext_noop("内置数据（chinesecalendar）"),
    CalendarSource.ADMIN: gettext_noop("管理员录入"),
    CalendarSource.FALLBACK: gettext_noop("无数据，按周一至周五计算"),
}


class Command(BaseCommand):
    help = "显示各年份工作日历的数据来源与工作日天数（默认今年和明年）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            dest="years",
            metavar="YEAR",
            help="要查看的年份，可重复；默认今年和明年。",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        this_year = timezone.localdate().year
        years: list[int] = sorted(set(options["years"] or [this_year, this_year + 1]))
        for year in years:
            coverage = year_coverage(year)
            status = _("已覆盖") if coverage.is_covered else _("未覆盖")
            line = _("%(year)d 年：%(status)s · %(source)s · 工作日 %(days)d 天") % {
                "year": year,
                "status": status,
                "source": _(SOURCE_LABELS[coverage.source]),
                "days": coverage.working_days,
            }
            if coverage.override_days:
                line += _("（含管理员调整 %d 天）") % coverage.override_days
            style = self.style.SUCCESS if coverage.is_covered else self.style.WARNING
            self.stdout.write(style(line))
