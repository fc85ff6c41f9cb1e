"""Loading the demo: reference data, accounts, the history of past answered clues (imported
through the bulk importer), then clues replayed through the services.

`demo_load` is idempotent: everything is matched by a natural key (region code, category
path, department name, rule category and region, SLA category and priority, username,
clue source "demo" or "demo-history" and external id) and only what is missing is created.
"""

from __future__ import annotations

from minsheng.demo.data import DEMO_CLUES
from minsheng.demo.data.history import HISTORY
from minsheng.demo.services.accounts import demo_accounts, demo_accounts_ensure
from minsheng.demo.services.clues import (
    DEMO_SOURCE,
    demo_clue_statuses,
    demo_clues_load,
    demo_overdue_count,
)
from minsheng.demo.services.history import HISTORY_SOURCE, demo_history_load
from minsheng.demo.services.reference import demo_reference_load
from minsheng.demo.services.summary import DemoLoadError, DemoLoadSummary, SectionSummary

__all__ = [
    "DEMO_SOURCE",
    "HISTORY_SOURCE",
    "DemoLoadError",
    "DemoLoadSummary",
    "SectionSummary",
    "demo_load",
]


def demo_load() -> DemoLoadSummary:
    """Load whatever part of the demo is missing and say what was there already.

    Raises DemoLoadError when the demo data does not fit the product; what was loaded
    before the error stays (reference data and each clue are committed on their own).
    """
    sections = demo_reference_load()
    sections.append(demo_accounts_ensure())
    sections.append(demo_history_load(HISTORY))
    sections.append(demo_clues_load(DEMO_CLUES, demo_accounts()))
    return DemoLoadSummary(
        sections=sections,
        clues_by_status=demo_clue_statuses(),
        overdue=demo_overdue_count(),
    )
