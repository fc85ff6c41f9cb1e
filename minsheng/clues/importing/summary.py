"""What an import did: counts, rejected rows, labels that matched nothing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# Rejected rows kept in the summary; the rest are counted (and go to `on_reject`).
KEPT_REJECTED_ROWS = 50


@dataclass(frozen=True)
class RejectedRow:
    """A row that did not become a clue. `line` is the spreadsheet row (header = 1)."""

    line: int
    reason: str
    external_id: str = ""
    title: str = ""


@dataclass
class ImportSummary:
    """Counts of one file's import. `created + skipped + rejected == rows_read` always."""

    file_name: str
    source: str
    channel: str
    dry_run: bool = False
    file_format: str = ""
    encoding: str = ""
    rows_read: int = 0
    created: int = 0
    created_answered: int = 0
    complainants_created: int = 0
    skipped_existing: int = 0  # already in the database before this import
    skipped_duplicate: int = 0  # repeated within this file
    rejected: int = 0
    rejected_rows: list[RejectedRow] = field(default_factory=list)
    truncated_titles: int = 0
    titles_from_content: int = 0
    contents_from_title: int = 0
    without_reported_at: int = 0
    categories_matched: int = 0
    unmatched_categories: Counter[str] = field(default_factory=Counter)
    unmatched_regions: Counter[str] = field(default_factory=Counter)
    unknown_priorities: Counter[str] = field(default_factory=Counter)
    batches_written: int = 0
    last_line: int = 1  # the last line of the last batch written
    first_created_pk: int | None = None
    seconds: float = 0.0

    @property
    def skipped(self) -> int:
        return self.skipped_existing + self.skipped_duplicate

    def add_rejected(self, row: RejectedRow) -> None:
        self.rejected += 1
        if len(self.rejected_rows) < KEPT_REJECTED_ROWS:
            self.rejected_rows.append(row)

    def report_lines(self, *, max_rejected: int = KEPT_REJECTED_ROWS) -> list[str]:
        """The summary as text lines, for the command's output and logs."""
        encoding = f", {self.encoding}" if self.encoding else ""
        lines = [
            f"{self.file_name} ({self.file_format}{encoding}) → source {self.source!r}, "
            f"channel {self.channel}{' — DRY RUN, nothing was saved' if self.dry_run else ''}",
            f"  rows read: {self.rows_read}",
            f"  created: {self.created} ({self.created_answered} answered, "
            f"{self.created - self.created_answered} received; "
            f"{self.complainants_created} with a source user id)",
            f"  skipped as already present: {self.skipped_existing}",
            f"  skipped as repeated within the file: {self.skipped_duplicate}",
            f"  rejected: {self.rejected}",
        ]
        notes = [
            (self.truncated_titles, "truncated titles (kept the first 200 characters)"),
            (self.titles_from_content, "titles taken from the content"),
            (self.contents_from_title, "contents taken from the title"),
            (self.without_reported_at, "rows without a reported time (dated at import time)"),
            (self.categories_matched, "rows whose category label matched a category"),
        ]
        lines.extend(f"  {label}: {count}" for count, label in notes if count)
        for counter, label, hint in (
            (self.unmatched_categories, "unmatched category labels", "import the taxonomy first"),
            (self.unmatched_regions, "unmatched regions", "import the regions first"),
            (self.unknown_priorities, "unknown priorities (set to normal)", ""),
        ):
            if counter:
                listed = ", ".join(f"{name} ×{count}" for name, count in counter.most_common(20))
                more = f" and {len(counter) - 20} more" if len(counter) > 20 else ""
                lines.append(f"  {label}: {listed}{more}{f' — {hint}' if hint else ''}")
        if self.rejected:
            lines.append("  rejected rows:")
            shown = self.rejected_rows[:max_rejected]
            lines.extend(f"    line {row.line}: {row.reason}" for row in shown)
            if self.rejected > len(shown):
                lines.append(
                    f"    … and {self.rejected - len(shown)} more "
                    "(--rejects-csv PATH writes them all)"
                )
        return lines
