"""How a past clue of the demo's history is written down.

The demo's history is clues of 2025–2026 that were reported and answered before the demo's
own stories begin: enough filed, answered clues for the triage models to learn from,
as a deployment's archive would be. They are imported through the bulk importer, the way a
deployment brings in its hotline archive, so each becomes an answered clue with its reply.
"""

from __future__ import annotations

from typing import NamedTuple


class PastClue(NamedTuple):
    """One past clue: what a citizen reported, where and when, and the department's reply.

    `key` becomes the clue's external id in the history's import source, which makes loading
    idempotent. Times are local "YYYY-MM-DD HH:MM". `region` is the name of a demo region
    (a district or a street); `category` is its path in the default taxonomy, to the second
    or third level.
    """

    key: str
    reported: str
    region: str
    category: str
    title: str
    content: str
    answered: str
    answer: str
