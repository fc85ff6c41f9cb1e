"""Rebuild or inspect the duplicate-index snapshot that triage workers load at start."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.triage.duplicates.snapshot import (
    SnapshotError,
    default_snapshot_path,
    load_snapshot,
)
from minsheng.triage.duplicates.sources import rebuild_snapshot


def _rss_mib() -> float | None:
    """Resident memory of this process (Linux /proc), for the operator's sizing."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return pages * 4096 / 2**20


class Command(BaseCommand):
    help = (
        "重建或检查重复线索索引快照（工作进程启动时加载）。"
        " Rebuild (--rebuild) or check the duplicate-index snapshot of open clues."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="从数据库中的未办结线索重建快照")
        parser.add_argument("--path", type=Path, default=None, help="快照文件（默认在数据目录）")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"] or default_snapshot_path()
        if options["rebuild"]:
            result = rebuild_snapshot(path=path)
            self.stdout.write(
                f"indexed {result.clues} open clue(s) up to id {result.up_to_pk} in "
                f"{result.seconds:.1f} s; index {result.index_bytes / 2**20:.1f} MiB, "
                f"file {result.file_bytes / 2**20:.1f} MiB, {self._rss()}; wrote {path}"
            )
            return
        started = time.perf_counter()
        try:
            index, up_to_pk = load_snapshot(path)
        except FileNotFoundError as error:
            raise CommandError(f"no snapshot at {path}; run with --rebuild") from error
        except SnapshotError as error:
            raise CommandError(f"{error}; run with --rebuild") from error
        self.stdout.write(
            f"snapshot {path}: {len(index)} clue(s) up to id {up_to_pk}, loaded in "
            f"{time.perf_counter() - started:.2f} s; index {index.nbytes / 2**20:.1f} MiB, "
            f"{self._rss()}"
        )

    @staticmethod
    def _rss() -> str:
        rss = _rss_mib()
        return f"RSS {rss:.0f} MiB" if rss is not None else "RSS unknown"
