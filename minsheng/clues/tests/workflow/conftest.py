"""A settable clock for the workflow tests (freezegun is not a dependency).

The services read the time through `django.utils.timezone.now`; patching it moves every
timestamp (receipt, dispatch, pause, resume) together, as if the days really passed.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

import pytest
from django.utils import timezone

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@dataclass
class Clock:
    now: dt.datetime

    def set(self, year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
        """Move to a wall-clock time in Beijing; returns the moment (in UTC, like Django)."""
        self.now = dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI).astimezone(dt.UTC)
        return self.now

    def today(self) -> dt.date:
        return self.now.astimezone(SHANGHAI).date()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """`clock.set(2026, 2, 13)` makes every service see that moment as "now"."""
    current = Clock(timezone.now())
    monkeypatch.setattr(timezone, "now", lambda: current.now)
    return current
