"""Find received clues whose triage never finished and queue them (or run them here)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from minsheng.triage import services
from minsheng.triage.tasks import BATCH_SIZE, enqueue_triage_batches


class Command(BaseCommand):
    help = (
        "补排未完成智能分拣的线索（排队丢失、失败待重试、批量导入的线索）。"
        " Queue (or, with --run, triage in this process) received clues without triage."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--run", action="store_true", help="在本进程中直接分拣（批量）")
        parser.add_argument("--limit", type=int, default=100_000)

    def handle(self, *args: Any, **options: Any) -> None:
        clue_ids = services.clues_awaiting_triage(limit=options["limit"])
        if not options["run"]:
            batches = enqueue_triage_batches(clue_ids)
            self.stdout.write(f"queued {len(clue_ids)} clue(s) for triage in {batches} batch(es)")
            return
        started = time.perf_counter()
        triaged = failed = 0
        for start in range(0, len(clue_ids), BATCH_SIZE):
            report = services.triage_clues(clue_ids=clue_ids[start : start + BATCH_SIZE])
            triaged += report.triaged
            failed += report.failed
        elapsed = time.perf_counter() - started
        rate = triaged / elapsed if elapsed else 0.0
        self.stdout.write(
            f"triaged {triaged} clue(s), {failed} failed (retried later), "
            f"in {elapsed:.1f} s ({rate:.0f}/s)"
        )
