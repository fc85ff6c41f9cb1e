"""Cache invalidation when the calendar changes (a cross-cutting concern, not domain logic)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from minsheng.workcal.models import CalendarDay
from minsheng.workcal.services import clear_cache


@receiver(post_save, sender=CalendarDay)
@receiver(post_delete, sender=CalendarDay)
def _calendar_changed(**_kwargs: Any) -> None:
    # Now, for this transaction's own reads; and again after commit, because another thread
    # may have cached the old data in between.
    clear_cache()
    transaction.on_commit(clear_cache)
