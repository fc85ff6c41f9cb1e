"""Admin for the working calendar's overrides (holidays and adjusted working days)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from minsheng.web.admin_import import (
    AdminImport,
    CsvFileForm,
    ImportAdminMixin,
    ImportRefused,
    ImportReport,
)
from minsheng.workcal.importing import CalendarCsvError, parse_calendar_csv
from minsheng.workcal.models import CalendarDay
from minsheng.workcal.services import CalendarDayInput, calendar_days_import

CSV_ENCODINGS = ("utf-8-sig", "gb18030")


def read_calendar_csv(path: Path) -> list[CalendarDayInput]:
    """Parse the file as UTF-8 (with or without BOM), else as GBK/GB18030, as Excel saves it."""
    for encoding in CSV_ENCODINGS:
        try:
            with path.open(encoding=encoding, newline="") as handle:
                return parse_calendar_csv(handle)
        except UnicodeDecodeError:
            continue
    raise ImportRefused(gettext("无法识别文件编码，请保存为 UTF-8 或 GBK 编码的 CSV 文件。"))


def import_calendar(path: Path, cleaned_data: Mapping[str, Any]) -> ImportReport:
    """What `manage.py calendar_import FILE` does: all rows valid, or nothing imported."""
    try:
        days = read_calendar_csv(path)
    except CalendarCsvError as error:
        raise ImportRefused(
            gettext("文件有误，未导入任何数据。"), details=[str(row) for row in error.errors]
        ) from error
    if not days:
        raise ImportRefused(gettext("文件中没有数据行。"))
    result = calendar_days_import(days=days)
    return ImportReport(
        headline=gettext(
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


@admin.register(CalendarDay)
class CalendarDayAdmin(ImportAdminMixin, admin.ModelAdmin):
    admin_import = AdminImport(
        run=import_calendar,
        form_class=CsvFileForm,
        help_text=_(
            "CSV 文件，列：date（如 2027-01-01）、is_working_day（1/0、是/否、班/休）、name。"
            "已有日期将被更新；任何一行有误则整个文件不导入。"
        ),
    )
    list_display = ("date", "weekday", "is_working_day", "name", "updated")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"
    search_fields = ("name",)
    ordering = ("-date",)
    fields = ("date", "is_working_day", "name")

    @admin.display(description=_("星期"))
    def weekday(self, obj: CalendarDay) -> str:
        return str(WEEKDAY_LABELS[obj.date.weekday()])

    @admin.display(description=_("更新时间"), ordering="updated_at")
    def updated(self, obj: CalendarDay) -> dt.datetime:
        return obj.updated_at


WEEKDAY_LABELS = (
    _("周一"),
    _("周二"),
    _("周三"),
    _("周四"),
    _("周五"),
    _("周六"),
    _("周日"),
)
