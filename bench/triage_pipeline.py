"""Benchmark the whole triage of clues (all steps, database included) on real messages.

    .venv/bin/python bench/triage_pipeline.py [--clues 2000] [--batch 500]

Imports messages_with_replies.xlsx and messages_with_votes.xlsx into a fresh SQLite database
in a temporary directory (they become the index of open clues to look for duplicates in),
trains the category model on messages_labelled_full.xlsx, receives the same texts again
through intake, and triages them:
- online: one clue per `services.triage_clue` call, as the worker does for a new clue
  (p50/p99 latency, clues/s on one core);
- batch: `services.triage_clues` on batches (an import, the sweeper), results stored and
  clues marked triaged, and the engine's analysis of the same batches alone.
Baseline in the same run: the analysis one clue at a time, with nothing stored.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEDDY = ROOT.parent / "shared" / "data" / "teddy2020"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clues", type=int, default=2000, help="clues per phase")
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="minsheng-triage-bench-"))
    os.environ.pop("DATABASE_URL", None)
    os.environ["MINSHENG_DATA_DIR"] = str(workdir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from minsheng.accounts.actors import Actor
    from minsheng.clues.importing import import_clue_file
    from minsheng.clues.models import Clue
    from minsheng.clues.services.intake import clue_receive
    from minsheng.directory.services import taxonomy_import_file
    from minsheng.triage import services
    from minsheng.triage.engine import clue_texts, get_engine
    from minsheng.triage.training import triage_train

    call_command("migrate", verbosity=0)
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
    # Batch: the analysis of a whole batch, then the full batch service (store + transitions).
    analyse_batch = []
    batch_rates = []
    for start in range(0, len(batch_ids), args.batch):
        chunk = batch_ids[start : start + args.batch]
        loaded = clue_texts(chunk)
        begin = time.perf_counter()
        engine.analyse(loaded)
        analyse_batch.append(len(chunk) / (time.perf_counter() - begin))
    for start in range(0, len(batch_ids), args.batch):
        chunk = batch_ids[start : start + args.batch]
        report = services.triage_clues(clue_ids=chunk)
        batch_rates.append(report.per_second)
    for name, values in (
        ("analyse one by one (baseline)", analyse),
        ("triage_clue online", online),
    ):
        print(
            f"{name:>30}: p50 {statistics.median(values):.2f} ms, "
            f"p99 {percentile(values, 0.99):.2f} ms, "
            f"{1000 / statistics.mean(values):,.0f} clues/s on one core"
        )
    print(
        f"{'analyse in batches':>30}: median {statistics.median(analyse_batch):,.0f} clues/s "
        f"({args.batch} per batch)"
    )
    print(
        f"{'triage_clues in batches':>30}: median {statistics.median(batch_rates):,.0f} clues/s "
        f"(store + mark triaged included)"
    )
    baseline_rate = 1000 / statistics.mean(analyse)
    print(
        f"batch analysis / one-by-one analysis: "
        f"{statistics.median(analyse_batch) / baseline_rate:.1f}×"
    )


if __name__ == "__main__":
    main()
