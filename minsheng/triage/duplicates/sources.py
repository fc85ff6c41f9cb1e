"""Open clues from the database into a `DuplicateIndex`, and the snapshot rebuild.

The text and complainant key are built exactly as `TriageEngine._index_new_clues` builds
them (title and content through the triage normaliser; phone, else the source user id),
so a snapshot and a worker's own additions agree.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from minsheng.clues.models import Clue
from minsheng.clues.workflow import TERMINAL_STATUSES
from minsheng.triage.text import normalise

from .index import DuplicateIndex
from .snapshot import save_snapshot

BATCH = 50_000


def indexed_text(title: str, content: str) -> str:
    """What the index holds for a clue: its title and content through the triage normaliser
    (the same text a query is made with)."""
    return normalise(f"{title}\n{content}").text


def add_clues(index: DuplicateIndex, rows: Iterable[tuple[int, str, str, str | None]]) -> None:
    """Index (id, title, content, complainant key) rows that `index` does not hold yet."""
    fresh = [row for row in rows if row[0] not in index]
    index.add_many(
        [(pk, indexed_text(title, content)) for pk, title, content, _ in fresh],
        complainant_keys=[key for _, _, _, key in fresh],
    )


def index_open_clues(index: DuplicateIndex, *, after_pk: int, limit: int | None = None) -> int:
    """Add open clues with a larger id than `after_pk` that `index` lacks; the new high id.

    Reads in batches of `BATCH` rows by id. Returns the highest id read (`after_pk` when
    there was none), which is what to pass next time and what a snapshot records.
    """
    up_to = after_pk
    if not Clue.objects.filter(pk__gt=up_to).order_by("pk").values_list("pk")[:1]:
        # Nothing new, the usual case before a lookup. Probed on the primary key alone:
        # with statistics stale after a bulk import, PostgreSQL planned the full read below
        # as a scan of the whole table, 7 ms a lookup where this probe takes 0.1.
        return up_to
    added = 0
    while limit is None or added < limit:
        size = BATCH if limit is None else min(BATCH, limit - added)
        rows = list(
            Clue.objects.filter(pk__gt=up_to)
            .exclude(status__in=TERMINAL_STATUSES)
            .order_by("pk")
            .values_list(
                "pk", "title", "content", "complainant__phone", "complainant__external_user"
            )[:size]
        )
        if not rows:
            break
        add_clues(
            index,
            (
                (pk, title, content, phone or user or None)
                for pk, title, content, phone, user in rows
            ),
        )
        added += len(rows)
        up_to = rows[-1][0]
    return up_to


@dataclass(frozen=True, slots=True)
class RebuildResult:
    """What `rebuild_snapshot` did."""

    path: Path
    clues: int
    up_to_pk: int
    seconds: float
    index_bytes: int
    file_bytes: int


def rebuild_snapshot(*, path: Path) -> RebuildResult:
    """Index every open clue from scratch and write the snapshot to `path` atomically."""
    started = time.perf_counter()
    index = DuplicateIndex()
    up_to_pk = index_open_clues(index, after_pk=0)
    file_bytes = save_snapshot(index, path, up_to_pk=up_to_pk)
    return RebuildResult(
        path=path,
        clues=len(index),
        up_to_pk=up_to_pk,
        seconds=time.perf_counter() - started,
        index_bytes=index.nbytes,
        file_bytes=file_bytes,
    )
