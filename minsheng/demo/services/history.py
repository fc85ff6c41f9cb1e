"""Importing the demo's history of past, answered clues through the bulk importer.

The records are written to a CSV file in the message-board layout (留言编号, 留言主题, 留言详情,
问题分类, 答复意见...) and imported with `import_clue_file`, as a deployment imports its
hotline archive: each row becomes an answered clue with its reply and an IMPORT_ANSWERED
event. Rows are keyed by external id in source "demo-history", so a second load skips them.
"""

from __future__ import annotations

import csv
import tempfile
import zlib
from collections.abc import Iterable
from pathlib import Path

from minsheng.clues.choices import Channel
from minsheng.clues.importing import ImportFileError, ImportSummary, import_clue_file
from minsheng.demo.past import PastClue
from minsheng.demo.services.summary import DemoLoadError, SectionSummary

HISTORY_SOURCE = "demo-history"
HISTORY_FILE_NAME = "demo-history.csv"
HEADER = (
    "留言编号",
    "留言用户",
    "留言主题",
    "留言时间",
    "留言详情",
    "问题分类",
    "所在区划",
    "答复意见",
    "答复时间",
)


def history_user(clue: PastClue) -> str:
    """A message-board user id ("A" and eight digits), the same for a key on every load."""
    return f"A{zlib.crc32(clue.key.encode()) % 100_000_000:08d}"


def history_csv_write(clues: Iterable[PastClue], path: Path) -> None:
    """Write `clues` to `path` as an import file (UTF-8 CSV, message-board header)."""
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        for clue in clues:
            writer.writerow(
                (
                    clue.key,
                    history_user(clue),
                    clue.title,
                    clue.reported,
                    clue.content,
                    clue.category,
                    clue.region,
                    clue.answer,
                    clue.answered,
                )
            )


def _problems(summary: ImportSummary) -> list[str]:
    problems = [
        f"第 {row.line} 行（{row.external_id}）：{row.reason}" for row in summary.rejected_rows
    ]
    problems += [f"分类“{label}”不在分类体系中" for label in summary.unmatched_categories]
    problems += [f"区划“{label}”不在演示区划中" for label in summary.unmatched_regions]
    if summary.skipped_duplicate:
        problems.append(f"{summary.skipped_duplicate} 行的留言编号重复")
    return problems


def demo_history_load(clues: Iterable[PastClue]) -> SectionSummary:
    """Import the history's clues that are not loaded yet (in source "demo-history").

    Raises DemoLoadError when a row is rejected or its category or region is not found (a
    bug in the history data); the batch it was in stays imported, like any import.
    Precondition: regions and the taxonomy are loaded.
    """
    with tempfile.TemporaryDirectory(prefix="minsheng-demo-") as directory:
        path = Path(directory) / HISTORY_FILE_NAME
        history_csv_write(clues, path)
        try:
            summary = import_clue_file(
                path=path, source=HISTORY_SOURCE, channel=Channel.BULK_IMPORT
            )
        except ImportFileError as exc:
            raise DemoLoadError(f"历史线索导入失败：{exc.message}") from exc
    problems = _problems(summary)
    if problems:
        raise DemoLoadError("历史线索数据有误：\n" + "\n".join(problems))
    return SectionSummary(
        name="历史线索（已答复）",
        created=summary.created,
        existing=summary.skipped_existing,
    )
