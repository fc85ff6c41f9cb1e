"""`import_clue_file`: one file into clues, batch by batch."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from itertools import islice
from pathlib import Path

from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.clues.choices import Channel
from minsheng.clues.errors import ClueValidationError
from minsheng.clues.importing.columns import ColumnMap, Field
from minsheng.clues.importing.errors import ImportFileError
from minsheng.clues.importing.readers import RawRow, open_table
from minsheng.clues.importing.rows import ClueRow, RowRejected, normalise_row
from minsheng.clues.importing.summary import ImportSummary, RejectedRow
from minsheng.clues.importing.values import clean_identifier, clean_line
from minsheng.clues.importing.writer import BatchTarget, Resolver, write_batch
from minsheng.clues.models import Clue, Complainant

IMPORT_CHANNELS = frozenset({Channel.BULK_IMPORT, Channel.PHONE_IMPORT})
# On PostgreSQL, an import that created at least this many clues refreshes the planner's
# statistics of the clue tables before returning (see `_refresh_statistics`).
ANALYZE_AFTER_CREATED = 1000
MAX_SOURCE_LENGTH: int = Clue._meta.get_field("source").max_length or 60
MAX_BATCH_SIZE = 10_000


def import_clue_file(
    *,
    path: Path,
    source: str,
    channel: str = Channel.BULK_IMPORT,
    batch_size: int = 1000,
    dry_run: bool = False,
    on_reject: Callable[[RejectedRow], None] | None = None,
    on_batch: Callable[[ImportSummary], None] | None = None,
) -> ImportSummary:
    """Import the clues of an XLSX or CSV file; rows already present in `source` are skipped.

    Rows stream in batches of `batch_size` (constant memory, whatever the file size); each
    batch is one transaction (a savepoint when the caller holds a transaction), so a file that
    fails part-way keeps the batches before the fault: the `ImportFileError` then carries
    their summary. With `dry_run` everything runs, inside one
    transaction that is rolled back. `on_reject` sees every rejected row (the summary keeps
    the first 50); `on_batch` is called after each batch, for progress.

    Preconditions: `channel` is an import channel; `source` names the origin of the file (an
    external id is unique within its source) and is at most 60 characters.
    """
    source = source.strip()
    if not source or len(source) > MAX_SOURCE_LENGTH:
        raise ClueValidationError(
            _("来源名不能为空，且不超过%(n)d个字符。") % {"n": MAX_SOURCE_LENGTH}, field="source"
        )
    if channel not in IMPORT_CHANNELS:
        raise ClueValidationError(
            _("导入的来源渠道只能是：%(channels)s。")
            % {"channels": "、".join(sorted(str(c) for c in IMPORT_CHANNELS))},
            field="channel",
        )
    if not 1 <= batch_size <= MAX_BATCH_SIZE:
        raise ClueValidationError(
            _("批量大小应在1到%(n)d之间。") % {"n": MAX_BATCH_SIZE}, field="batch_size"
        )

    started = time.monotonic()
    summary = ImportSummary(
        file_name=path.name, source=source, channel=str(channel), dry_run=dry_run
    )
    with open_table(path) as table:
        summary.file_format = table.file_format
        summary.encoding = table.encoding
        target = BatchTarget(
            source=source, channel=str(channel), file_name=path.name, resolver=Resolver()
        )
        try:
            with transaction.atomic() if dry_run else nullcontext():
                for batch in _batches(table.rows, batch_size):
                    _import_batch(batch, summary=summary, target=target, on_reject=on_reject)
                    if on_batch is not None:
                        on_batch(summary)
                if dry_run:
                    transaction.set_rollback(True)
        except ImportFileError as error:
            summary.seconds = time.monotonic() - started
            error.summary = summary
            raise
    if not dry_run and summary.created >= ANALYZE_AFTER_CREATED:
        _refresh_statistics()
    summary.seconds = time.monotonic() - started
    return summary


def _refresh_statistics() -> None:
    """ANALYZE the clue tables on PostgreSQL after a bulk load.

    Until autovacuum samples a table that has just grown, the planner keeps its old picture
    of it: right after importing 7,000 clues into a new database, triage's one-row reads by
    primary key were planned as full scans (7 ms each instead of 0.05). SQLite has no such
    statistics to refresh.
    """
    connection = connections[router.db_for_write(Clue)]
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    tables = ", ".join(quote(model._meta.db_table) for model in (Clue, Complainant))
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


def check_import_file(*, path: Path) -> ColumnMap:
    """Open `path` and check its header without importing anything (to fail fast, before
    the first of several files is written). Raises `ImportFileError`."""
    with open_table(path) as table:
        return table.columns


def _batches(rows: Iterator[RawRow], size: int) -> Iterator[list[RawRow]]:
    while batch := list(islice(rows, size)):
        yield batch


def _import_batch(
    batch: list[RawRow],
    *,
    summary: ImportSummary,
    target: BatchTarget,
    on_reject: Callable[[RejectedRow], None] | None,
) -> None:
    now = timezone.now()
    rows: list[ClueRow] = []
    for raw in batch:
        summary.rows_read += 1
        try:
            row = normalise_row(raw, now=now)
        except RowRejected as rejection:
            rejected = RejectedRow(
                line=raw.line,
                reason=rejection.reason,
                external_id=clean_identifier(raw.values.get(Field.EXTERNAL_ID))[:64],
                title=clean_line(raw.values.get(Field.TITLE))[:50],
            )
            summary.add_rejected(rejected)
            if on_reject is not None:
                on_reject(rejected)
            continue
        rows.append(row)
        summary.truncated_titles += row.title_truncated
        summary.titles_from_content += row.title_from_content
        summary.contents_from_title += row.content_from_title
        summary.without_reported_at += row.reported_at is None
        if row.unknown_priority:
            summary.unknown_priorities[row.unknown_priority] += 1

    outcome = write_batch(rows, target=target, created_since_pk=summary.first_created_pk, now=now)
    summary.created += outcome.created
    summary.created_answered += outcome.answered
    summary.complainants_created += outcome.complainants
    summary.skipped_existing += outcome.skipped_existing
    summary.skipped_duplicate += outcome.skipped_duplicate
    summary.categories_matched += outcome.categories_matched
    summary.unmatched_categories.update(outcome.unmatched_categories)
    summary.unmatched_regions.update(outcome.unmatched_regions)
    if summary.first_created_pk is None:
        summary.first_created_pk = outcome.first_pk
    summary.batches_written += 1
    summary.last_line = batch[-1].line
