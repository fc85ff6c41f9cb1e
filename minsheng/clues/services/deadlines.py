"""What each transition does to a clue's deadlines, in official working days."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from minsheng.clues.errors import ClueValidationError
from minsheng.clues.models import Assignment, Clue
from minsheng.clues.workflow import DeadlineEffect
from minsheng.directory.selectors import EffectiveSLA, sla_for
from minsheng.workcal.services import add_working_days, working_days_between


def clue_sla(clue: Clue) -> EffectiveSLA:
    return sla_for(category=clue.category, priority=clue.priority)


def dispatch_deadlines(clue: Clue, at: dt.datetime) -> tuple[dt.date, dt.date]:
    """(accept by, handle by) for a clue dispatched at `at`."""
    sla = clue_sla(clue)
    today = timezone.localdate(at)
    return add_working_days(today, sla.accept_days), add_working_days(today, sla.handle_days)


def apply_deadline_effect(
    clue: Clue,
    effect: DeadlineEffect,
    *,
    at: dt.datetime,
    lead: Assignment | None,
    extension_days: int = 0,
) -> tuple[set[str], dict[str, Any]]:
    """Change the clue's (and its lead assignment's) deadlines; return changed fields and a
    payload describing the change for the event."""
    today = timezone.localdate(at)
    before = {"accept_due": clue.accept_due, "handle_due": clue.handle_due}
    changed: set[str] = set()
    record: dict[str, Any] = {}

    if effect is DeadlineEffect.START:
        clue.accept_due, clue.handle_due = dispatch_deadlines(clue, at)
        clue.paused_since = None
        changed |= {"accept_due", "handle_due", "paused_since"}
    elif effect is DeadlineEffect.CLEAR:
        clue.accept_due = clue.handle_due = None
        clue.paused_since = None
        changed |= {"accept_due", "handle_due", "paused_since"}
    elif effect is DeadlineEffect.EXTEND:
        sla = clue_sla(clue)
        if extension_days <= 0:
            raise ClueValidationError(gettext("延期天数必须大于0。"), field="days")
        if clue.extension_days + extension_days > sla.extension_limit_days:
            raise ClueValidationError(
                gettext("累计延期不得超过%(limit)d个工作日（已延期%(done)d个工作日）。")
                % {"limit": sla.extension_limit_days, "done": clue.extension_days},
                field="days",
            )
        assert clue.handle_due is not None
        clue.handle_due = add_working_days(clue.handle_due, extension_days)
        clue.extension_days += extension_days
        changed |= {"handle_due", "extension_days"}
        record["extension_days"] = extension_days
    elif effect is DeadlineEffect.PAUSE:
        clue.paused_since = at
        changed.add("paused_since")
        record["paused_at"] = at.isoformat()
    elif effect is DeadlineEffect.RESUME:
        assert clue.paused_since is not None
        paused = _end_pause(clue, today, record)
        if paused and clue.handle_due is not None:
            clue.handle_due = add_working_days(clue.handle_due, paused)
        changed |= {"handle_due", "paused_since", "paused_working_days"}
    elif effect is DeadlineEffect.STOP and clue.paused_since is not None:
        _end_pause(clue, today, record)
        changed |= {"paused_since", "paused_working_days"}
    elif effect is DeadlineEffect.REWORK:
        rework_due = add_working_days(today, clue_sla(clue).rework_days)
        if clue.handle_due is None or clue.handle_due < rework_due:
            clue.handle_due = rework_due
            changed.add("handle_due")

    if lead is not None and "handle_due" in changed and clue.handle_due is not None:
        lead.handle_due = clue.handle_due
        lead.save(update_fields=["handle_due"])
    after = {"accept_due": clue.accept_due, "handle_due": clue.handle_due}
    if after != before:
        record["deadlines"] = {
            key: {"from": _iso(before[key]), "to": _iso(after[key])}
            for key in before
            if before[key] != after[key]
        }
    return changed, record


def _end_pause(clue: Clue, today: dt.date, record: dict[str, Any]) -> int:
    """Count the working days the clock stood still and record the pause."""
    assert clue.paused_since is not None
    paused = max(0, working_days_between(timezone.localdate(clue.paused_since), today))
    clue.paused_working_days += paused
    record.update(paused_at=clue.paused_since.isoformat(), paused_working_days=paused)
    clue.paused_since = None
    return paused


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def remaining_working_days(due: dt.date, *, today: dt.date | None = None) -> int:
    """Working days left until `due` (0 on the day, negative when overdue)."""
    return working_days_between(today or timezone.localdate(), due)


class DeadlineState(models.TextChoices):
    """How a deadline stands, with the colours the workbenches show."""

    NORMAL = "normal", _("正常")
    DUE_SOON = "due_soon", _("即将到期")
    OVERDUE = "overdue", _("已超期")


def deadline_state(due: dt.date, *, warn_days: int, today: dt.date | None = None) -> DeadlineState:
    """Overdue after the due date; due soon within `warn_days` working days of it."""
    left = remaining_working_days(due, today=today)
    today = today or timezone.localdate()
    if today > due:
        return DeadlineState.OVERDUE
    if left <= warn_days:
        return DeadlineState.DUE_SOON
    return DeadlineState.NORMAL
