"""Throughput of the rule-based triage steps on the shared Teddy Cup messages.

    .venv/bin/python bench/triage_rules.py [--limit N] [--repeat R]

Reads every messages_*.xlsx under ../shared/data/teddy2020 once (title + body, ~17k rows),
then times, per message: normalise, mask_pii, find_places (gazetteer of the anonymised
"A市", "A1区".."A9区" only) and assess_urgency, each on the normalised text. Baselines timed
in the same run: `len(text)` and one plain `re.sub` over the text. Prints messages/s on one
core and median / p99 microseconds per message for each step, and the ratio to the re.sub
baseline. Also prints the share of messages_with_replies.xlsx messages in which a region
(and, separately, a street-level place) is found, and how many PII spans of each kind the
detector reports on the whole set (counts only: the texts are never written anywhere).
"""

from __future__ import annotations

import argparse
import gc
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402

from minsheng.testing.shared_data import TEDDY_DIR  # noqa: E402
from minsheng.triage.pii import mask_pii  # noqa: E402
from minsheng.triage.places import Gazetteer, GazetteerEntry  # noqa: E402
from minsheng.triage.text import normalise  # noqa: E402
from minsheng.triage.urgency import assess_urgency  # noqa: E402

FILES = (
    "messages_labelled_full.xlsx",
    "messages_unlabelled.xlsx",
    "messages_with_votes.xlsx",
    "messages_with_replies.xlsx",
)
_WS = re.compile(r"\s+")
_ANY_CODED_PLACE = re.compile(r"[A-Z]市|[A-Z]\d+[区县]")


def read_messages(name: str) -> list[str]:
    """Title and body of every row, joined (the text the pipeline sees)."""
    book = openpyxl.load_workbook(TEDDY_DIR / name, read_only=True)
    rows = book.active.iter_rows(values_only=True)
    header = [str(cell) for cell in next(rows)]
    title, body = header.index("留言主题"), header.index("留言详情")
    texts = []
    for row in rows:
        parts = [str(row[i]) for i in (title, body) if i < len(row) and row[i] is not None]
        if parts:
            texts.append("。".join(parts))
    book.close()
    return texts


def teddy_gazetteer() -> Gazetteer:
    """Only what the anonymised names reveal for sure: A市 and its districts A1区..A9区."""
    city = GazetteerEntry("990100", "A市", 2)
    districts = [GazetteerEntry(f"9901{n:02d}", f"A{n}区", 3, "990100") for n in range(1, 10)]
    return Gazetteer([city, *districts])


def time_step(step: Callable[[str], object], texts: list[str], repeat: int) -> list[int]:
    """Per-message nanoseconds, the best of `repeat` runs for each message."""
    best = [1 << 62] * len(texts)
    for _ in range(repeat):
        gc.disable()
        for index, text in enumerate(texts):
            started = time.perf_counter_ns()
            step(text)
            elapsed = time.perf_counter_ns() - started
            best[index] = min(best[index], elapsed)
        gc.enable()
    return best


def report(name: str, nanos: list[int], baseline_median: float | None) -> float:
    ordered = sorted(nanos)
    median = statistics.median(ordered) / 1000
    p99 = ordered[int(0.99 * (len(ordered) - 1))] / 1000
    per_second = len(nanos) / (sum(nanos) / 1e9)
    ratio = f"{median / baseline_median:8.1f}x" if baseline_median else "       -"
    print(f"{name:<22}{per_second:>12,.0f}{median:>12.1f}{p99:>12.1f}  {ratio}")
    return median


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=0, help="messages to time (0 = all)")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()

    started = time.perf_counter()
    by_file = {name: read_messages(name) for name in FILES}
    raw = [text for texts in by_file.values() for text in texts]
    print(f"read {len(raw):,} messages in {time.perf_counter() - started:.1f}s")
    if args.limit:
        raw = raw[: args.limit]
    clean = [normalise(text).text for text in raw]
    gazetteer = teddy_gazetteer()
    mean_chars = statistics.mean(len(text) for text in clean)
    print(f"timing {len(raw):,} messages (mean {mean_chars:.0f} chars after normalise)\n")
    print(f"{'step':<22}{'msgs/s/core':>12}{'median µs':>12}{'p99 µs':>12}  vs re.sub")

    report("baseline len()", time_step(len, raw, args.repeat), None)
    base = report("baseline re.sub", time_step(lambda t: _WS.sub(" ", t), raw, args.repeat), None)
    steps: list[tuple[str, Callable[[str], object], list[str]]] = [
        ("normalise", normalise, raw),
        ("mask_pii", mask_pii, clean),
        ("find_places", gazetteer.find_places, clean),
        ("assess_urgency", assess_urgency, clean),
    ]
    totals = [0] * len(raw)
    for name, step, texts in steps:
        nanos = time_step(step, texts, args.repeat)
        totals = [a + b for a, b in zip(totals, nanos, strict=True)]
        report(name, nanos, base)
    report("all four steps", totals, base)

    replies = [normalise(text).text for text in by_file["messages_with_replies.xlsx"]]
    results = [gazetteer.find_places(text) for text in replies]
    with_region = sum(1 for r in results if r.matches)
    with_free = sum(1 for r in results if r.places)
    with_either = sum(1 for r in results if r.matches or r.places)
    n = len(replies)
    print(f"\nmessages_with_replies.xlsx: {n:,} messages, gazetteer = A市 + A1区..A9区")
    print(f"  region found        {with_region:>6,}  {with_region / n:6.1%}")
    print(f"  street-level place  {with_free:>6,}  {with_free / n:6.1%}")
    print(f"  either              {with_either:>6,}  {with_either / n:6.1%}")
    # What a gazetteer of every anonymised city and county (B市, K3县...) could reach.
    coded = sum(1 for text in replies if _ANY_CODED_PLACE.search(text))
    print(f"  (any X市/X9区/X9县 written: {coded:,}  {coded / n:.1%})")

    kinds: Counter[str] = Counter()
    messages_with_pii = 0
    for text in clean:
        spans = mask_pii(text).spans
        messages_with_pii += bool(spans)
        kinds.update(span.kind.value for span in spans)
    print(f"\nPII spans on {len(clean):,} messages ({messages_with_pii:,} messages with any):")
    for kind, count in kinds.most_common():
        print(f"  {kind:<10}{count:>6,}")


if __name__ == "__main__":
    main()
