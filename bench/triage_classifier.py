"""Compare the triage category classifier with its baselines on the Teddy Cup 2020 data.

    .venv/bin/python bench/triage_classifier.py [--folds 5] [--limit N] [--skip-full]
        [--skip-few] [--speed]

Full set: stratified K-fold CV on messages_labelled_full.xlsx, with plain folds and with
duplicate-aware folds (identical normalised texts kept together), for char-SVM,
jieba-NB and our model (with dictionary words, the default, and with jieba words), all
in this run. Few labels: train on messages_labelled.xlsx (345) (+ the unlabelled, votes
and replies files, the departments named in the replies as weak labels, and the taxonomy
for our model; never the full set's labels), test on the full set's rows whose text is not
among the 345 (weak labels on those texts are left out).
Figures are medians over folds; ratios are against the char-SVM of the same run.
Models are trained here and never written to disk. --speed also times prediction of
models trained on the whole full set: predict_top over all of it in batches of 256,
and one predict_top([text]) call per message for 1,000 messages.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.settings")

from minsheng.testing.shared_data import TEDDY_DIR  # noqa: E402
from minsheng.triage.classifier.baselines import train_char_svm, train_jieba_nb  # noqa: E402
from minsheng.triage.classifier.data import (  # noqa: E402
    read_messages,
    read_taxonomy,
    unlabelled_files,
)
from minsheng.triage.classifier.evaluation import (  # noqa: E402
    cross_validate,
    evaluate_split,
    score,
)
from minsheng.triage.classifier.features import clean_text  # noqa: E402
from minsheng.triage.classifier.training import train_classifier  # noqa: E402

UNLABELLED_FILES = [
    "messages_unlabelled.xlsx",
    "messages_with_votes.xlsx",
    "messages_with_replies.xlsx",
]


def _idf_only(texts, labels, **kwargs):
    return train_classifier(texts, labels, params={"self_training_rounds": 0}, **kwargs)


def _jieba_words(texts, labels, **kwargs):
    return train_classifier(texts, labels, params={"word_tokens": "jieba"}, **kwargs)


def _no_pool(texts, labels, *, label_hints=None, **_ignored):
    return train_classifier(texts, labels, label_hints=label_hints)


def _row(name: str, result: dict, reference: float | None) -> str:
    folds = result.get("folds") or [result["macro_f1"]]
    median = statistics.median(folds)
    ratio = f"{median / reference:5.3f}" if reference else "    -"
    spread = f"{min(folds):.4f}-{max(folds):.4f}" if len(folds) > 1 else "-"
    return (
        f"{name:<38} {median:8.4f} {spread:>15} {result['accuracy']:8.4f} {ratio:>8} "
        f"{result['train_seconds']:8.1f} {result['predict_ms_per_message']:8.3f}"
    )


HEADER = (
    f"{'model':<38} {'macroF1':>8} {'fold range':>15} {'acc':>8} {'vs SVM':>8} "
    f"{'train s':>8} {'ms/msg':>8}"
)


def full_set(folds: int, limit: int | None) -> None:
    rows = read_messages(TEDDY_DIR / "messages_labelled_full.xlsx")
    texts, labels = rows.texts, rows.labels
    if limit:
        step = max(len(texts) // limit, 1)
        texts, labels = texts[::step], labels[::step]
    distinct = len({clean_text(text) for text in texts})
    print(
        f"\n== full set: {len(texts)} messages ({distinct} distinct normalised), {folds}-fold CV =="
    )
    for grouped in (False, True):
        print(f"\n-- {'duplicate-aware (grouped)' if grouped else 'plain stratified'} folds --")
        print(HEADER)
        reference = None
        for name, trainer in [
            ("char-SVM (baseline)", train_char_svm),
            ("jieba+NB (baseline)", train_jieba_nb),
            ("minsheng", train_classifier),
            ("minsheng, jieba words", _jieba_words),
        ]:
            result = cross_validate(
                texts=texts, labels=labels, folds=folds, grouped=grouped, trainer=trainer
            )
            reference = reference or statistics.median(result["folds"])
            print(_row(name, result, reference), flush=True)
            if name == "minsheng":
                print("   per class:", result["per_class"])


def few_labels() -> None:
    small = read_messages(TEDDY_DIR / "messages_labelled.xlsx")
    full = read_messages(TEDDY_DIR / "messages_labelled_full.xlsx")
    pool = [text for name in UNLABELLED_FILES for text in read_messages(TEDDY_DIR / name).texts]
    in_domain = read_messages(TEDDY_DIR / UNLABELLED_FILES[0]).texts
    hints = read_taxonomy(TEDDY_DIR / "taxonomy.xlsx")
    labels = set(small.labels) - {""}
    _, replied = unlabelled_files([TEDDY_DIR / UNLABELLED_FILES[2]], labels=labels)
    all_plain, all_weak = unlabelled_files(
        [TEDDY_DIR / name for name in UNLABELLED_FILES], labels=labels
    )
    seen = {clean_text(text) for text in small.texts}
    test = [
        (t, label)
        for t, label in zip(full.texts, full.labels, strict=True)
        if clean_text(t) not in seen
    ]
    print(
        f"\n== few labels: train 345, pool {len(pool)} unlabelled, "
        f"test {len(test)} full-set rows not among the 345 =="
    )
    print(HEADER)
    reference = None
    for name, trainer, unlabelled, label_hints, weak in [
        ("char-SVM (baseline)", train_char_svm, (), None, ()),
        ("jieba+NB (baseline)", train_jieba_nb, (), None, ()),
        ("minsheng, labels only", _no_pool, (), None, ()),
        ("minsheng + taxonomy hints", _no_pool, (), hints, ()),
        ("minsheng + hints + all 3 pools, idf only", _idf_only, pool, hints, ()),
        ("minsheng + hints + self-train, all 3 pools", train_classifier, pool, hints, ()),
        ("minsheng + hints + self-train, unlabelled", train_classifier, in_domain, hints, ()),
        ("  + reply departments as weak labels", train_classifier, in_domain, hints, replied),
        (
            "  all 3 files as triage_evaluate reads them",
            train_classifier,
            all_plain,
            hints,
            all_weak,
        ),
    ]:
        started = time.perf_counter()
        result = evaluate_split(
            train_texts=small.texts,
            train_labels=small.labels,
            test_texts=[t for t, _ in test],
            test_labels=[label for _, label in test],
            unlabelled=unlabelled,
            label_hints=label_hints,
            weak_labels=weak,
            trainer=trainer,
        )
        reference = reference or result["macro_f1"]
        result["folds"] = [result["macro_f1"]]
        print(_row(name, result, reference), f"({time.perf_counter() - started:.0f} s)", flush=True)


def speed() -> None:
    rows = read_messages(TEDDY_DIR / "messages_labelled_full.xlsx")
    texts = rows.texts
    print(f"\n== prediction speed, models trained on all {len(texts)} messages ==")
    print(f"{'word space':<38} {'batch ms/msg':>13} {'single ms/msg':>14}")
    for name, word_tokens in [("dictionary words (default)", "dictionary"), ("jieba", "jieba")]:
        model = train_classifier(rows.texts, rows.labels, params={"word_tokens": word_tokens})
        model.predict_top(texts[:256])  # warm up (jieba loads its dictionary lazily)
        batch, single = [], []
        for _ in range(3):
            started = time.perf_counter()
            for start in range(0, len(texts), 256):
                model.predict_top(texts[start : start + 256])
            batch.append(1000 * (time.perf_counter() - started) / len(texts))
            started = time.perf_counter()
            for text in texts[:1000]:
                model.predict_top([text])
            single.append(1000 * (time.perf_counter() - started) / 1000)
        print(f"{name:<38} {min(batch):13.3f} {min(single):14.3f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--limit", type=int, help="every n-th message, about N of them")
    parser.add_argument("--skip-full", action="store_true")
    parser.add_argument("--skip-few", action="store_true")
    parser.add_argument("--speed", action="store_true", help="time batch and single predicts")
    args = parser.parse_args()
    if not (TEDDY_DIR / "messages_labelled_full.xlsx").exists():
        sys.exit(f"shared data not found in {TEDDY_DIR}")
    started = time.perf_counter()
    if not args.skip_full:
        full_set(args.folds, args.limit)
    if not args.skip_few:
        few_labels()
    if args.speed:
        speed()
    print(f"\ntotal {time.perf_counter() - started:.0f} s; scoring: {score.__doc__}")


if __name__ == "__main__":
    main()
