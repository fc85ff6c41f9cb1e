"""Benchmark the whole triage of clues (all steps, database included) on real messages.

    .venv/bin/python bench/triage_pipeline.py [--clues 2000]

Imports messages_with_replies.xlsx into a fresh SQLite database in a temporary directory,
trains the category model on messages_labelled_full.xlsx, then triages received clues one
by one through `services.triage_clue` (what the worker does), reporting per-clue latency
(p50/p99) and throughput per core. Baseline in the same run: `analyse only` — the
engine's text steps (normalise, mask, classify, places, urgency, duplicates) without the
database writes, to show what the storage and the transition cost on top.
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
    parser.add_argument("--clues", type=int, default=2000)
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
    from minsheng.triage.engine import get_engine
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
    # Received clues to triage: the same texts, received again through intake.
    texts = list(Clue.objects.values_list("title", "content")[: args.clues])
    actor = Actor.system("bench")
    clue_ids = [
        clue_receive(
            actor=actor, channel="api", title=title[:200], content=content or title
        ).clue.pk
        for title, content in texts
    ]
    engine = get_engine()
    clues = list(Clue.objects.filter(pk__in=clue_ids).order_by("pk"))
    analyse = []
    for clue in clues:
        begin = time.perf_counter()
        engine.run(clue)
        analyse.append((time.perf_counter() - begin) * 1000)
    full = []
    for clue_id in clue_ids:
        begin = time.perf_counter()
        services.triage_clue(clue_id=clue_id)
        full.append((time.perf_counter() - begin) * 1000)
    for name, values in (("analyse only (baseline)", analyse), ("triage_clue (full)", full)):
        print(
            f"{name:>24}: p50 {statistics.median(values):.2f} ms, "
            f"p99 {percentile(values, 0.99):.2f} ms, "
            f"{1000 / statistics.mean(values):,.0f} clues/s on one core"
        )
    print(f"full / analyse time ratio: {statistics.mean(full) / statistics.mean(analyse):.1f}×")


if __name__ == "__main__":
    main()
