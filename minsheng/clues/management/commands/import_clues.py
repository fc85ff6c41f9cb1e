"""Import clues from XLSX or CSV files: `import_clues FILE [FILE ...]`."""

from __future__ import annotations

import csv
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.clues.choices import Channel
from minsheng.clues.errors import ClueValidationError
from minsheng.clues.importing import (
    ImportFileError,
    ImportSummary,
    RejectedRow,
    check_import_file,
    import_clue_file,
)

REJECTS_HEADER = ["文件", "行号", "原因", "编号", "标题"]
RejectWriter = Callable[[str, RejectedRow], None]


class Command(BaseCommand):
    help = (
        "从 XLSX 或 CSV 文件批量导入问题线索（泰迪杯留言格式、本系统导出格式或通用格式）。"
        "同一来源中已有的线索（按编号，无编号时按内容指纹）会跳过，重复导入不会重复创建。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument(
            "--source",
            default="import",
            help="来源名：外部编号在同一来源内唯一（默认 import）",
        )
        parser.add_argument(
            "--channel",
            default=Channel.BULK_IMPORT.value,
            choices=[Channel.BULK_IMPORT.value, Channel.PHONE_IMPORT.value],
            help="来源渠道（默认 bulk_import）",
        )
        parser.add_argument("--batch-size", type=int, default=1000, help="每批行数（默认 1000）")
        parser.add_argument("--dry-run", action="store_true", help="完整试运行，最后全部回滚")
        parser.add_argument(
            "--rejects-csv", type=Path, metavar="PATH", help="把所有被拒绝的行写入这个 CSV 文件"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        paths: list[Path] = options["files"]
        for path in paths:
            if not path.is_file():
                raise CommandError(f"{path}: no such file.")
        # Every file's format and columns are checked before the first one is written.
        for path in paths:
            try:
                check_import_file(path=path)
            except ImportFileError as error:
                raise CommandError(f"{error.message} Nothing was imported.") from error

        summaries: list[ImportSummary] = []
        with self._rejects_writer(options["rejects_csv"]) as write_reject:
            for index, path in enumerate(paths):
                try:
                    summary = import_clue_file(
                        path=path,
                        source=options["source"],
                        channel=options["channel"],
                        batch_size=options["batch_size"],
                        dry_run=options["dry_run"],
                        on_reject=functools.partial(write_reject, path.name),
                        on_batch=self._progress if options["verbosity"] >= 2 else None,
                    )
                except ClueValidationError as error:
                    raise CommandError(error.message) from error
                except ImportFileError as error:
                    raise CommandError(
                        self._failure(error, paths[:index], paths[index + 1 :])
                    ) from error
                summaries.append(summary)
                for line in summary.report_lines():
                    self.stdout.write(line)
        if len(summaries) > 1:
            self.stdout.write(
                f"total: {sum(s.rows_read for s in summaries)} rows read, "
                f"{sum(s.created for s in summaries)} created, "
                f"{sum(s.skipped for s in summaries)} skipped, "
                f"{sum(s.rejected for s in summaries)} rejected in {len(summaries)} files"
            )
        if options["rejects_csv"] and any(s.rejected for s in summaries):
            self.stdout.write(f"rejected rows written to {options['rejects_csv']}")

    @contextmanager
    def _rejects_writer(self, path: Path | None) -> Iterator[RejectWriter]:
        if path is None:

            def ignore(name: str, row: RejectedRow) -> None:
                pass

            yield ignore
            return
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(REJECTS_HEADER)

            def write(name: str, row: RejectedRow) -> None:
                writer.writerow([name, row.line, row.reason, row.external_id, row.title])

            yield write

    def _progress(self, summary: ImportSummary) -> None:
        self.stderr.write(
            f"  {summary.file_name}: {summary.rows_read} rows read, {summary.created} created"
        )

    @staticmethod
    def _failure(error: ImportFileError, done: list[Path], rest: list[Path]) -> str:
        lines = [error.message]
        partial = error.summary
        if partial is not None and partial.dry_run:
            lines.append("Dry run: nothing was saved.")
        elif partial is not None and partial.batches_written:
            lines.append(
                f"The {partial.batches_written} batch(es) before the fault (lines 2–"
                f"{partial.last_line}: {partial.created} clues created) were committed and "
                "stay in the database; importing the file again after fixing it skips them."
            )
        if done and not (partial is not None and partial.dry_run):
            lines.append("Files imported before it stay imported: " + ", ".join(map(str, done)))
        if rest:
            lines.append("Not imported: " + ", ".join(map(str, rest)))
        return "\n".join(lines)
