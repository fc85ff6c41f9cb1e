"""Simulate active learning on the Teddy Cup 2020 data: which messages should operators label?

    .venv/bin/python bench/triage_active_learning.py [--batch 50] [--steps 4]
        [--strategies random,margin,diverse] [--in-domain-pool] [--seed 0]

A new deployment starts from messages_labelled.xlsx (345 labels) plus the unlabelled
files and the taxonomy. The full set's rows whose text is not among the 345 are split
once, duplicates kept together, into a candidate half (the operators' queue: its labels
are revealed only for the messages a strategy picks) and an evaluation half (never
picked, never trained on). Each step adds `--batch` operator labels chosen by:

- random: uniformly from the queue (the baseline every strategy must beat);
- margin: the smallest top-2 margin of the current model (`suggest_for_labelling`);
- diverse: margin order, skipping near-copies of messages already picked in the batch.

The table is macro-F1 on the evaluation half after each step. Models are trained here and
never written to disk.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.settings")

from minsheng.testing.shared_data import TEDDY_DIR  # noqa: E402
from minsheng.triage.classifier.data import read_messages, read_taxonomy  # noqa: E402
from minsheng.triage.classifier.evaluation import score  # noqa: E402
from minsheng.triage.classifier.features import clean_text  # noqa: E402
from minsheng.triage.classifier.model import CategoryClassifier  # noqa: E402
from minsheng.triage.classifier.training import (  # noqa: E402
    suggest_for_labelling,
    train_classifier,
)

UNLABELLED_FILES = [
    "messages_unlabelled.xlsx",
    "messages_with_votes.xlsx",
    "messages_with_replies.xlsx",
]
STRATEGIES = ("random", "margin", "diverse")


def split_queue_and_evaluation(
    texts: list[str], labels: list[str], seed: int
) -> tuple[list[int], list[int]]:
    """Half of the distinct normalised texts (with all their copies) each, at random."""
    groups: dict[str, list[int]] = {}
    for index, text in enumerate(texts):
        groups.setdefault(clean_text(text), []).append(index)
    keys = sorted(groups)
    random.Random(seed).shuffle(keys)
    half = len(keys) // 2
    queue = sorted(index for key in keys[:half] for index in groups[key])
    evaluation = sorted(index for key in keys[half:] for index in groups[key])
    return queue, evaluation


def run(args: argparse.Namespace) -> None:
    small = read_messages(TEDDY_DIR / "messages_labelled.xlsx")
    full = read_messages(TEDDY_DIR / "messages_labelled_full.xlsx")
    files = UNLABELLED_FILES[:1] if args.in_domain_pool else UNLABELLED_FILES
    pool = [text for name in files for text in read_messages(TEDDY_DIR / name).texts]
    hints = read_taxonomy(TEDDY_DIR / "taxonomy.xlsx")
    seen = {clean_text(text) for text in small.texts}
    rest = [
        (text, label)
        for text, label in zip(full.texts, full.labels, strict=True)
        if clean_text(text) not in seen
    ]
    texts = [text for text, _ in rest]
    labels = [label for _, label in rest]
    queue, evaluation = split_queue_and_evaluation(texts, labels, args.seed)
    eval_texts = [texts[i] for i in evaluation]
    eval_labels = [labels[i] for i in evaluation]
    strategies = [name.strip() for name in args.strategies.split(",") if name.strip()]
    print(
        f"start {len(small.texts)} labels; queue {len(queue)}, evaluation {len(evaluation)}, "
        f"unlabelled pool {len(pool)} ({', '.join(files)}); batch {args.batch}, "
        f"{args.steps} steps"
    )

    def train(picked: list[int]) -> tuple[CategoryClassifier, tuple[int, float, float]]:
        started = time.perf_counter()
        model = train_classifier(
            small.texts + [texts[i] for i in picked],
            small.labels + [labels[i] for i in picked],
            unlabelled=pool,
            label_hints=hints,
        )
        macro, accuracy, _ = score(eval_labels, model.predict(eval_texts))
        point = (len(small.texts) + len(picked), macro, accuracy)
        print(
            f"  {point[0]:5d} labels  macro-F1 {macro:.4f}  acc {accuracy:.4f}  "
            f"({time.perf_counter() - started:.0f} s)",
            flush=True,
        )
        return model, point

    print("start model")
    start_model, start_point = train(picked=[])
    curves: dict[str, list[tuple[int, float, float]]] = {}
    for strategy in strategies:
        print(strategy)
        rng = random.Random(args.seed)
        picked: list[int] = []
        remaining = list(queue)
        model, curve = start_model, [start_point]
        for _ in range(args.steps):
            if strategy == "random":
                chosen = rng.sample(range(len(remaining)), min(args.batch, len(remaining)))
            else:
                chosen = suggest_for_labelling(
                    model,
                    [texts[i] for i in remaining],
                    args.batch,
                    diverse=strategy == "diverse",
                )
            chosen_set = set(chosen)
            picked += [remaining[i] for i in chosen]
            remaining = [index for i, index in enumerate(remaining) if i not in chosen_set]
            model, point = train(picked)
            curve.append(point)
        curves[strategy] = curve
    print("\nmacro-F1 on the evaluation half by number of labels")
    print(f"{'labels':>7} " + " ".join(f"{name:>9}" for name in curves))
    for step in range(args.steps + 1):
        row = [curves[name][step] for name in curves]
        print(f"{row[0][0]:7d} " + " ".join(f"{macro:9.4f}" for _, macro, _ in row))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--strategies", default=",".join(STRATEGIES))
    parser.add_argument(
        "--in-domain-pool",
        action="store_true",
        help="unlabelled pool from messages_unlabelled.xlsx only (faster)",
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    unknown = set(args.strategies.split(",")) - set(STRATEGIES)
    if unknown:
        sys.exit(f"unknown strategies: {', '.join(sorted(unknown))}")
    if not (TEDDY_DIR / "messages_labelled_full.xlsx").exists():
        sys.exit(f"shared data not found in {TEDDY_DIR}")
    started = time.perf_counter()
    run(args)
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
