"""Benchmark the whole triage of clues (all steps, database included) on real messages.

    .venv/bin/python bench/triage_pipeline.py [--clues 2000] [--batch 500] [--profile FILE]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/minsheng_bench \
        .venv/bin/python bench/triage_pipeline.py            # PostgreSQL, a test_ database

Imports messages_with_replies.xlsx and messages_with_votes.xlsx into a fresh database (a
SQLite file in a temporary directory, or, when DATABASE_URL is set, a test database created
beside the configured one and dropped afterwards); they become the index of open clues to
look for duplicates in. Trains the category model on messages_labelled_full.xlsx, receives
the same texts again through intake, and triages them:
- online: one clue per `services.triage_clue` call, as the worker does for a new clue
  (p50/p99 latency, clues/s on one core);
- batch: for each batch in turn, the engine's analysis alone (nothing stored), then
  `services.triage_clues` on the same batch (an import, the sweeper: results stored, clues
  marked triaged with their chained events). Each pair runs back to back, so a change in
  the machine's load touches both alike.
Baseline in the same run: the analysis one clue at a time, with nothing stored.

Rates are given in wall-clock time and in this process's CPU time. The machine is shared:
CPU time is less disturbed by other jobs, but on PostgreSQL it leaves out the server's work.
`--profile FILE` runs cProfile over the `triage_clues` calls and writes its stats to FILE.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEDDY = ROOT.parent / "shared" / "data" / "teddy2020"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass
class Rates:
    """Clues per second of each batch, by wall clock and by this process's CPU time."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def add(self, count: int, wall: float, cpu: float) -> None:
        self.wall.append(count / wall)
        self.cpu.append(count / cpu)

    def line(self) -> str:
        return (
            f"median {statistics.median(self.wall):,.0f} clues/s "
            f"(CPU time: {statistics.median(self.cpu):,.0f}); "
            f"batches {', '.join(f'{rate:,.0f}' for rate in self.wall)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clues", type=int, default=2000, help="clues per phase")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--profile", type=Path, help="write cProfile stats of triage_clues")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="minsheng-triage-bench-"))
    os.environ["MINSHENG_DATA_DIR"] = str(workdir)  # the models, and the SQLite file
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    test_db = None
    if connection.vendor == "sqlite":
        call_command("migrate", verbosity=0)
    else:
        # test_<NAME>, dropped afterwards (and replaced if a previous run left it behind).
        test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        run(args, database=f"{connection.vendor} ({connection.settings_dict['NAME']})")
    finally:
        if test_db is not None:
            connection.creation.destroy_test_db(test_db, verbosity=0)
        shutil.rmtree(workdir, ignore_errors=True)


def run(args: argparse.Namespace, *, database: str) -> None:
    from minsheng.accounts.actors import Actor
    from minsheng.clues.importing import import_clue_file
    from minsheng.clues.models import Clue
    from minsheng.clues.services.intake import clue_receive
    from minsheng.directory.services import taxonomy_import_file
    from minsheng.triage import services
    from minsheng.triage.engine import clue_texts, get_engine
    from minsheng.triage.training import triage_train

    print(f"database: {database}")
    taxonomy_import_file(path=TEDDY / "taxonomy.xlsx")
    started = time.perf_counter()
    report = triage_train(files=[TEDDY / "messages_labelled_full.xlsx"], from_database=False)
    print(
        f"trained v{report.version} in {time.perf_counter() - started:.1f} s, "
        f"held-out macro-F1 {report.macro_f1:.3f}"
    )
    import_clue_file(path=TEDDY / "messages_with_replies.xlsx", source="replies")
    import_clue_file(path=TEDDY / "messages_with_votes.xlsx", source="votes")
    # Received clues to triage: the same texts, received again through intake.
    texts = list(Clue.objects.values_list("title", "content")[: args.clues * 2])
    actor = Actor.system("bench")
    clue_ids = [
        clue_receive(
            actor=actor, channel="api", title=title[:200], content=content or title
        ).clue.pk
        for title, content in texts
    ]
    online_ids, batch_ids = clue_ids[: args.clues], clue_ids[args.clues :]
    engine = get_engine()

    # Baseline: the analysis alone, one clue at a time, on the batch half (nothing stored).
    analyse = []
    for text in clue_texts(batch_ids):
        begin = time.perf_counter()
        engine.analyse([text])
        analyse.append((time.perf_counter() - begin) * 1000)
    # Online: one clue per call, as the worker runs a freshly received clue.
    online = []
    for clue_id in online_ids:
        begin = time.perf_counter()
        services.triage_clue(clue_id=clue_id)
        online.append((time.perf_counter() - begin) * 1000)
    # Batch: each batch's analysis alone, then the full batch service on it.
    analysed, triaged = Rates(), Rates()
    profile = cProfile.Profile() if args.profile else None
    for start in range(0, len(batch_ids), args.batch):
        chunk = batch_ids[start : start + args.batch]
        loaded = clue_texts(chunk)
        wall, cpu = time.perf_counter(), time.process_time()
        engine.analyse(loaded)
        analysed.add(len(chunk), time.perf_counter() - wall, time.process_time() - cpu)
        if profile is not None:
            profile.enable()
        wall, cpu = time.perf_counter(), time.process_time()
        batch = services.triage_clues(clue_ids=chunk)
        triaged.add(batch.triaged, time.perf_counter() - wall, time.process_time() - cpu)
        if profile is not None:
            profile.disable()
    for name, values in (
        ("analyse one by one (baseline)", analyse),
        ("triage_clue online", online),
    ):
        print(
            f"{name:>30}: p50 {statistics.median(values):.2f} ms, "
            f"p99 {percentile(values, 0.99):.2f} ms, "
            f"{1000 / statistics.mean(values):,.0f} clues/s on one core"
        )
    print(f"{'analyse in batches':>30}: {analysed.line()} ({args.batch} per batch)")
    print(f"{'triage_clues in batches':>30}: {triaged.line()} (store + mark triaged included)")
    baseline_rate = 1000 / statistics.mean(analyse)
    print(
        f"batch analysis / one-by-one analysis: "
        f"{statistics.median(analysed.wall) / baseline_rate:.1f}×"
    )
    beyond = [
        1000 / full - 1000 / alone for full, alone in zip(triaged.wall, analysed.wall, strict=True)
    ]
    print(
        f"triage_clues beyond the analysis (storage, transitions, reads): median "
        f"{statistics.median(beyond):.2f} ms per clue"
    )
    if profile is not None:
        profile.dump_stats(args.profile)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
