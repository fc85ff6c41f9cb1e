"""Days an administrator added or corrected in the working calendar."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """An override for one date: a holiday, or an adjusted working day (调休上班).

    Overrides win over the bundled `chinesecalendar` data, so a deployment can correct a day
    or enter a year the package does not know yet.
    """

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("是否工作日"))
    name = models.CharField(_("说明"), max_length=60, blank=True, help_text=_("如：春节、国庆调休"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = _("工作日") if self.is_working_day else _("休息日")
        return f"{self.date:%Y-%m-%d} {kind} {self.name}"
