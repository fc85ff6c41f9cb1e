"""System check: warn when this year or next has no working-calendar data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.checks import CheckMessage, Tags, Warning, register
from django.db import DatabaseError
from django.utils import timezone

from minsheng.workcal.services import year_is_covered


@register(Tags.database)
def check_calendar_coverage(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    this_year = timezone.localdate().year
    return calendar_coverage_messages((this_year, this_year + 1))


def calendar_coverage_messages(years: Iterable[int]) -> list[CheckMessage]:
    """A minsheng.W001 warning for each of `years` without calendar data (none before migrate)."""
    messages: list[CheckMessage] = []
    for year in years:
        try:
            covered = year_is_covered(year)
        except DatabaseError:  # before migrate
            return []
        if not covered:
            messages.append(
                Warning(
                    f"工作日历缺少 {year} 年的法定节假日安排：期限将按周一至周五计算。",
                    hint="在管理后台“工作日历调整”中录入该年的节假日与调休上班日"
                    "（或用 manage.py calendar_import 导入），或升级 chinesecalendar。",
                    id="minsheng.W001",
                )
            )
    return messages
