"""Held-out and cross-validated evaluation, plain and duplicate-aware.

The labelled set repeats some bodies (people post the same issue several times); with
plain stratified folds a copy lands in training and its twin in the test fold, which
flatters the score. Grouped folds keep identical normalised texts together.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

import numpy as np
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

from minsheng.triage.classifier.data import weak_labels_apart_from
from minsheng.triage.classifier.features import clean_text
from minsheng.triage.classifier.training import train_classifier


class Predictor(Protocol):
    """Anything that labels texts: our classifier or a baseline."""

    def predict(self, texts: Sequence[str]) -> list[str]: ...


Trainer = Callable[..., Predictor]


def score(
    expected: Sequence[str], predicted: Sequence[str]
) -> tuple[float, float, dict[str, float]]:
    """Macro-F1 and accuracy over the labels present in `expected`, and F1 per label."""
    labels = sorted(set(expected))
    per_class = f1_score(expected, predicted, labels=labels, average=None, zero_division=0)
    macro = float(np.mean(per_class)) if labels else 0.0
    accuracy = float(accuracy_score(expected, predicted)) if expected else 0.0
    return macro, accuracy, {label: float(f1) for label, f1 in zip(labels, per_class, strict=True)}


def evaluate_split(
    *,
    train_texts: Sequence[str],
    train_labels: Sequence[str],
    test_texts: Sequence[str],
    test_labels: Sequence[str],
    unlabelled: Sequence[str] = (),
    label_hints: Mapping[str, Sequence[str]] | None = None,
    weak_labels: Sequence[tuple[str, str]] = (),
    trainer: Trainer = train_classifier,
) -> dict[str, Any]:
    """Train on one set, score on another; the keys the evaluation command prints.

    Weak labels whose text is among the test texts are left out, so that no answer to the
    test leaks into training through them.
    """
    started = time.perf_counter()
    model = trainer(
        train_texts,
        train_labels,
        unlabelled=unlabelled,
        label_hints=label_hints,
        weak_labels=weak_labels_apart_from(weak_labels, test_texts),
    )
    train_seconds = time.perf_counter() - started
    started = time.perf_counter()
    predicted = model.predict(test_texts)
    predict_seconds = time.perf_counter() - started
    macro, accuracy, per_class = score(test_labels, predicted)
    return {
        "macro_f1": round(macro, 4),
        "accuracy": round(accuracy, 4),
        "per_class": {label: round(value, 4) for label, value in per_class.items()},
        "train_seconds": round(train_seconds, 3),
        "predict_ms_per_message": round(1000 * predict_seconds / max(len(test_texts), 1), 4),
        "n_train": sum(1 for label in train_labels if label),
        "n_test": len(test_texts),
        "n_weak_labels": int(getattr(model, "metrics", {}).get("n_weak_labels", 0)),
    }


def duplicate_groups(texts: Sequence[str]) -> list[int]:
    """Same group id for texts whose normalised form is identical."""
    groups: dict[str, int] = {}
    return [groups.setdefault(clean_text(text), len(groups)) for text in texts]


def cross_validate(
    *,
    texts: Sequence[str],
    labels: Sequence[str],
    folds: int,
    grouped: bool,
    unlabelled: Sequence[str] = (),
    label_hints: Mapping[str, Sequence[str]] | None = None,
    weak_labels: Sequence[tuple[str, str]] = (),
    trainer: Trainer = train_classifier,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Stratified K-fold means of `evaluate_split`'s figures, with per-fold macro-F1."""
    rows = [index for index, label in enumerate(labels) if label]
    kept_texts = [texts[index] for index in rows]
    kept_labels = [labels[index] for index in rows]
    splitter: StratifiedKFold | StratifiedGroupKFold
    if grouped:
        splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
        splits = splitter.split(kept_texts, kept_labels, duplicate_groups(kept_texts))
    else:
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
        splits = splitter.split(kept_texts, kept_labels)
    results = []
    for number, (train_rows, test_rows) in enumerate(splits, start=1):
        result = evaluate_split(
            train_texts=[kept_texts[index] for index in train_rows],
            train_labels=[kept_labels[index] for index in train_rows],
            test_texts=[kept_texts[index] for index in test_rows],
            test_labels=[kept_labels[index] for index in test_rows],
            unlabelled=unlabelled,
            label_hints=label_hints,
            weak_labels=weak_labels,
            trainer=trainer,
        )
        results.append(result)
        if progress is not None:
            progress(f"fold {number}/{folds}: macro_f1={result['macro_f1']}")
    return _mean_of(results, grouped=grouped)


def _mean_of(results: list[dict[str, Any]], *, grouped: bool) -> dict[str, Any]:
    labels = sorted({label for result in results for label in result["per_class"]})
    return {
        "macro_f1": round(statistics.fmean(r["macro_f1"] for r in results), 4),
        "accuracy": round(statistics.fmean(r["accuracy"] for r in results), 4),
        "per_class": {
            label: round(statistics.fmean(r["per_class"].get(label, 0.0) for r in results), 4)
            for label in labels
        },
        "train_seconds": round(statistics.fmean(r["train_seconds"] for r in results), 3),
        "predict_ms_per_message": round(
            statistics.fmean(r["predict_ms_per_message"] for r in results), 4
        ),
        "n_train": round(statistics.fmean(r["n_train"] for r in results), 1),
        "n_test": round(statistics.fmean(r["n_test"] for r in results), 1),
        "n_weak_labels": round(statistics.fmean(r["n_weak_labels"] for r in results), 1),
        "folds": [r["macro_f1"] for r in results],
        "grouped": grouped,
    }
