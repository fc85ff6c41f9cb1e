"""Every test starts with an empty calendar cache and no fallback year warned about yet.

The cache lives for the process, while each test's database changes are rolled back without
the signals that would clear it, so a test must not see years computed by another.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from minsheng.workcal import services


@pytest.fixture(autouse=True)
def _fresh_calendar(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    services.clear_cache()
    monkeypatch.setattr(services, "_warned_years", set())
    yield
    services.clear_cache()


@pytest.fixture
def fallback_year() -> int:
    """The first year the bundled package does not know (2027 with chinesecalendar 1.11)."""
    return max(services.bundled_years()) + 1
