"""Fixtures of the browser tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_form_delay(settings):
    """People take seconds to fill the portal's form; the spam check's minimum would only
    slow the tests."""
    settings.MINSHENG = {**settings.MINSHENG, "PORTAL_FORM_MIN_SECONDS": 0}
