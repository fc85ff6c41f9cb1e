"""A simulated clock, so that the demo replays each clue's history at the time it happened.

The clue services take "now" from `django.utils.timezone.now`. While a demo clue's story is
replayed, `simulated_time` points that function at a clock that the story moves forward
step by step, never past the real present. Dispatch, deadlines and events then fall on the
days they would have: a clue dispatched five weeks ago and never reported is overdue today.

Only `load_demo` uses this, in its own process and before any request is served.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone


class ClockError(ValueError):
    """A story tried to move the clock backwards or into the future (a data error)."""


class SimulatedClock:
    """A "now" that only moves forward and stays in the past."""

    def __init__(self, *, start: dt.datetime, limit: dt.datetime) -> None:
        if start > limit:
            raise ClockError(f"the clock cannot start in the future ({start:%Y-%m-%d %H:%M})")
        self.moment = start
        self.limit = limit

    def now(self) -> dt.datetime:
        return self.moment

    def move_to(self, moment: dt.datetime) -> dt.datetime:
        """Move forward to `moment`; refuse to go back or to pass the real present."""
        if moment < self.moment:
            raise ClockError("a story step cannot go back in time")
        if moment > self.limit:
            when = timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
            limit = timezone.localtime(self.limit).strftime("%Y-%m-%d %H:%M")
            raise ClockError(f"a story step would happen in the future ({when}; now is {limit})")
        self.moment = moment
        return moment

    def advance(self, *, hours: float) -> dt.datetime:
        """Move forward by `hours`."""
        return self.move_to(self.moment + dt.timedelta(hours=hours))

    def to_office_hours(self, *, opens: int = 8, closes: int = 20) -> dt.datetime:
        """Move a moment at night to the next morning at `opens` o'clock (same minute),
        unless that would reach the present; staff do not work at three in the morning."""
        local = timezone.localtime(self.moment)
        if opens <= local.hour < closes:
            return self.moment
        morning = local.replace(hour=opens)
        if local.hour >= closes:
            morning += dt.timedelta(days=1)
        if morning <= self.limit:
            self.moment = morning
        return self.moment


@contextmanager
def simulated_time(clock: SimulatedClock) -> Iterator[SimulatedClock]:
    """Let `django.utils.timezone.now` (and so `localdate`, `auto_now`...) read `clock`."""
    with mock.patch.object(timezone, "now", clock.now):
        yield clock
