"""Benchmark `import_clue_file` on N synthetic Teddy Cup rows (default 100,000).

    .venv/bin/python bench/import_clues.py [N] [--batch-size 1000] [--xlsx]

Writes the rows to a temporary CSV (or XLSX), imports them into a throwaway database and
prints rows per second and peak RSS. The database is a fresh SQLite file in a temporary
directory, or, when DATABASE_URL is set, a test database created beside the configured one
and dropped afterwards. ~30% of rows carry a reply; ~5% have no id and no time (found by
fingerprint); ~1% repeat an earlier id.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from minsheng.testing.shared_data import TEDDY_CATEGORIES  # noqa: E402

HEADER = [
    "留言编号",
    "留言用户",
    "留言主题",
    "留言时间",
    "留言详情",
    "一级分类",
    "答复意见",
    "答复时间",
]
CATEGORIES = list(TEDDY_CATEGORIES)
PLACES = ["A市A1区", "A市A2区", "A3区", "A4区五一大道", "J10县", "A6区滨水新城"]
ISSUES = [
    "小区停车收费不合理",
    "道路施工噪音扰民",
    "路灯长期不亮",
    "学校周边交通拥堵",
    "物业违规收费",
    "社保转移手续繁琐",
    "垃圾清运不及时",
    "餐馆油烟污染",
]
FILLER = (
    "请有关部门尽快调查处理，给居民一个满意的答复。这个问题已经持续了很长时间，"
    "多次向社区反映都没有结果，严重影响了周边居民的正常生活。"
)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def synthetic_rows(count: int, seed: int = 2020):
    rng = random.Random(seed)
    start = dt.datetime(2017, 1, 1)  # noqa: DTZ001 (naive on purpose: a local time in a file)
    for number in range(1, count + 1):
        place, issue = rng.choice(PLACES), rng.choice(ISSUES)
        moment = start + dt.timedelta(seconds=rng.randrange(3 * 365 * 86400))
        title = f"{place}{issue}（{number}）"
        content = f"\n\t\t\t\t{place}{issue}。{FILLER * rng.randint(1, 3)}\n\t\t\t\t"
        untimed = rng.random() < 0.05
        external_id = "" if untimed else number if rng.random() > 0.01 else max(1, number - 7)
        answered = rng.random() < 0.3
        reply_at = moment + dt.timedelta(days=rng.randint(1, 30))
        yield [
            external_id,
            "" if untimed else f"A{rng.randrange(10**8):08d}",
            title,
            "" if untimed else f"{moment:%Y/%-m/%-d %-H:%M:%S}",
            content,
            rng.choice(CATEGORIES),
            f"网友您好！关于您反映的{issue}问题，现答复如下：已责成相关单位处理。"
            if answered
            else "",
            f"{reply_at:%Y/%-m/%-d %-H:%M:%S}" if answered else "",
        ]


def write_file(path: Path, count: int) -> None:
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(HEADER)
        for row in synthetic_rows(count):
            sheet.append(row)
        workbook.save(path)
        return
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(synthetic_rows(count))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="?", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--xlsx", action="store_true", help="import an XLSX file instead of CSV")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="minsheng-bench-"))
    if not os.environ.get("DATABASE_URL"):
        os.environ["MINSHENG_DATA_DIR"] = str(workdir)  # a fresh SQLite file
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from minsheng.clues.importing import import_clue_file
    from minsheng.clues.models import Clue, ClueEvent

    test_db = None
    if connection.vendor == "sqlite":
        call_command("migrate", verbosity=0)
    else:
        # test_<NAME>, dropped afterwards (and replaced if a previous run left it behind).
        test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)

    path = workdir / ("bench.xlsx" if args.xlsx else "bench.csv")
    started = time.perf_counter()
    write_file(path, args.rows)
    print(
        f"wrote {args.rows:,} rows to {path.name} ({path.stat().st_size / 2**20:.1f} MiB) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    baseline = rss_mb()
    try:
        # Baseline in the same run: reading and normalising the rows, with no database work.
        from django.utils import timezone

        from minsheng.clues.importing.readers import open_table
        from minsheng.clues.importing.rows import RowRejected, normalise_row

        started = time.perf_counter()
        now = timezone.now()
        with open_table(path) as table:
            for raw in table.rows:
                if not raw.empty:
                    with contextlib.suppress(RowRejected):
                        normalise_row(raw, now=now)
        parse_elapsed = time.perf_counter() - started
        print(f"baseline (read + normalise only): {args.rows / parse_elapsed:,.0f} rows/s")

        batch_rates: list[float] = []
        last = [time.perf_counter(), 0]

        def on_batch(progress) -> None:  # type: ignore[no-untyped-def]
            moment = time.perf_counter()
            rows = progress.rows_read - last[1]
            batch_rates.append(rows / (moment - last[0]))
            last[:] = [moment, progress.rows_read]

        started = time.perf_counter()
        last[0] = started
        summary = import_clue_file(
            path=path,
            source="bench",
            channel="bulk_import",
            batch_size=args.batch_size,
            on_batch=on_batch,
        )
        elapsed = time.perf_counter() - started
        rates = sorted(batch_rates)
        print(
            f"batches: median {statistics.median(rates):,.0f} rows/s, first "
            f"{batch_rates[0]:,.0f}, last {batch_rates[-1]:,.0f} (a flat line means no slowdown "
            "as the table grows)"
        )
        print(f"import / baseline time ratio: {elapsed / parse_elapsed:.1f}×")
        print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
        print("\n".join(summary.report_lines(max_rejected=5)))
        print(
            f"import: {elapsed:.1f} s, {summary.rows_read / elapsed:,.0f} rows/s "
            f"(batch size {args.batch_size})"
        )
        print(f"peak RSS: {rss_mb():.0f} MiB (before the import: {baseline:.0f} MiB)")
        print(f"stored: {Clue.objects.count():,} clues, {ClueEvent.objects.count():,} events")

        started = time.perf_counter()
        again = import_clue_file(path=path, source="bench", batch_size=args.batch_size)
        elapsed = time.perf_counter() - started
        print(
            f"second import: {again.created} created, {again.skipped:,} skipped, "
            f"{elapsed:.1f} s, {again.rows_read / elapsed:,.0f} rows/s; "
            f"peak RSS {rss_mb():.0f} MiB"
        )
    finally:
        if test_db is not None:
            connection.creation.destroy_test_db(test_db, verbosity=0)
        for item in workdir.iterdir():
            item.unlink()
        workdir.rmdir()


if __name__ == "__main__":
    main()
