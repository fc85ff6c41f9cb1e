"""Admin for the working calendar's overrides (holidays and adjusted working days)."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from minsheng.workcal.models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
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
