"""Precision and recall of `DuplicateIndex` on silver-labelled pairs from the shared files.

    .venv/bin/python bench/duplicates_eval.py [--sample 20]

Reads messages_with_votes, messages_with_replies, messages_unlabelled and
messages_labelled_full from ../shared/data/teddy2020 (a 留言编号 seen in an earlier file is
skipped), builds silver pairs (see `minsheng.triage.duplicates.evaluation`), and reports:
how many exact and near duplicates the files contain; precision/recall over the labelled
pairs at thresholds 0.3…0.9; recall per positive kind and false-positive rate per negative
kind (``other_place`` are the hand-checked form letters about another place); `classify`'s
"likely duplicate" (which also uses the same-complainant signal) before and after the place
check, on the same pairs and index; and a sample of cross-user near-duplicate pairs by
留言编号 for hand checking (ids only, no text).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter

from minsheng.testing.shared_data import TEDDY_DIR
from minsheng.triage.duplicates import normalise
from minsheng.triage.duplicates.classify import LIKELY_DUPLICATE_SCORE, SIMILAR_SCORE
from minsheng.triage.duplicates.evaluation import (
    NEGATIVE_KINDS,
    POSITIVE_KINDS,
    build_index,
    classified_likely,
    pair_scores,
    precision_recall,
    read_messages,
    silver_pairs,
)

FILES = (
    "messages_with_votes.xlsx",
    "messages_with_replies.xlsx",
    "messages_unlabelled.xlsx",
    "messages_labelled_full.xlsx",
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=20)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]  # progress in logs

    t0 = time.perf_counter()
    messages = read_messages(TEDDY_DIR / name for name in FILES)
    print(f"{len(messages):,} distinct messages read in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    index = build_index(messages)
    print(f"index built in {time.perf_counter() - t0:.2f} s")

    # --- what the files contain ---------------------------------------------------------
    bodies = Counter(normalise(m.body) for m in messages if len(normalise(m.body)) >= 30)
    texts = Counter(normalise(m.text) for m in messages)
    print(
        f"exact duplicates: {sum(c - 1 for c in bodies.values() if c > 1):,} messages repeat "
        f"an earlier body (≥30 chars) in {sum(c > 1 for c in bodies.values()):,} groups; "
        f"{sum(c - 1 for c in texts.values() if c > 1):,} repeat title+body exactly"
    )
    users = {m.row_id: m.user for m in messages}
    near: Counter[str] = Counter()
    cross_sample: list[tuple[int, int, float]] = []
    for m in messages:
        for match in index.query_id(m.row_id, k=50, min_score=SIMILAR_SCORE):
            if match.clue_id < m.row_id or match.exact:
                continue
            same = users[m.row_id] is not None and users[m.row_id] == users[match.clue_id]
            band = "likely" if match.score >= LIKELY_DUPLICATE_SCORE else "similar"
            near[f"{band}, {'same user' if same else 'different/unknown user'}"] += 1
            if not same and match.score >= LIKELY_DUPLICATE_SCORE:
                cross_sample.append((m.row_id, match.clue_id, match.score))
    for key, count in sorted(near.items()):
        print(f"near-duplicate pairs (non-exact), {key}: {count:,}")

    # --- silver pairs -------------------------------------------------------------------
    t0 = time.perf_counter()
    pairs = silver_pairs(messages)
    scores = pair_scores(index, pairs)
    kinds = Counter(p.kind for p in pairs)
    print(f"\nsilver pairs ({time.perf_counter() - t0:.1f} s): {dict(kinds)}")
    print("threshold  precision  recall   (score ≥ threshold means duplicate)")
    for step in range(3, 10):
        threshold = step / 10
        precision, recall = precision_recall(pairs, scores, threshold=threshold)
        print(f"   {threshold:.1f}      {precision:.3f}     {recall:.3f}")
    for threshold in (SIMILAR_SCORE, LIKELY_DUPLICATE_SCORE):
        for kind in POSITIVE_KINDS + NEGATIVE_KINDS:
            picked = [s for p, s in zip(pairs, scores, strict=True) if p.kind == kind]
            share = sum(s >= threshold for s in picked) / max(1, len(picked))
            what = "recall" if kind in POSITIVE_KINDS else "false-positive rate"
            print(f"  at {threshold}: {kind} {what} {share:.3f} (n={len(picked)})")

    print("\nclassify() likely_duplicate (≥0.7, exact, or same user ≥0.4), same pairs and index:")
    print("                    precision  recall   " + "  ".join(NEGATIVE_KINDS) + " (FP rate)")
    for label, check in (("before (no places)", False), ("after (place check)", True)):
        likely = classified_likely(index, messages, pairs, place_check=check)
        precision, recall = precision_recall(pairs, likely, threshold=0.5)
        rates = []
        for kind in NEGATIVE_KINDS:
            picked = [s for p, s in zip(pairs, likely, strict=True) if p.kind == kind]
            rates.append(f"{sum(picked) / max(1, len(picked)):.3f}")
        per_kind = "  ".join(
            f"{kind} {sum(s for p, s in zip(pairs, likely, strict=True) if p.kind == kind):.0f}/"
            f"{kinds[kind]}"
            for kind in POSITIVE_KINDS
        )
        print(
            f"  {label:20s} {precision:.3f}     {recall:.3f}    "
            + "  ".join(rates)
            + f"   (positives found: {per_kind})"
        )

    # --- hand-check sample --------------------------------------------------------------
    ids = {m.row_id: m.message_id for m in messages}
    rng = random.Random(0)
    print(f"\ncross-user likely duplicates to check by hand ({len(cross_sample):,} in all):")
    for a, b, score in rng.sample(cross_sample, min(args.sample, len(cross_sample))):
        print(f"  留言编号 {ids[a]} ~ {ids[b]}  score {score:.2f}")


if __name__ == "__main__":
    main()
