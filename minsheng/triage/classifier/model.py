"""The first-level category classifier: TF-IDF spaces, a linear SVM, calibrated softmax.

A linear SVM is the strongest cheap text classifier on this data; its margins are turned
into probabilities by a softmax whose temperature is fitted on a held-out split, so that
"0.8" means roughly "right four times in five" when an operator reads the top three.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize_scalar
from sklearn.model_selection import train_test_split
from sklearn.svm import LinearSVC

from minsheng.triage.classifier.features import FeatureSpaces, clean_text

DEFAULT_PARAMS: dict[str, Any] = {
    "spaces": {"char": 1.0, "word": 0.6, "title": 0.6},
    "char_ngrams": [1, 3],
    "title_ngrams": [1, 3],
    "word_ngrams": [1, 1],  # jieba words (word_tokens "jieba")
    # The word space: title character 2-4-grams that are jieba dictionary words. It scores
    # as jieba's segmentation does (bench/triage_classifier.py) without running jieba at
    # prediction time; "jieba" is the older form, kept for models saved before the option.
    "word_tokens": "dictionary",
    "word_chars": [2, 4],
    # Body window and C measured with 3- and 5-fold CV in bench/triage_classifier.py:
    # 200 -> 400 characters and C 0.5 -> 1.0 lift macro-F1 by about 0.004 for 1.25 times
    # the prediction time; 800 characters, C 1.5-2, min_df 1, char 1-4/1-5-grams, jieba
    # words of the body, LR/NB-SVM/ensembles and the unlabelled pools did not pay.
    "body_chars": 400,
    "word_source": "title",
    "min_df": 2,
    "max_features": None,
    "C": 1.0,
    "calibration_fraction": 0.2,
    # Self-training over unlabelled texts (only when some are given): 3 rounds, 60% of the
    # pool pseudo-labelled at the end, each pseudo-label worth half a real one. Measured in
    # bench/triage_classifier.py; it helps with an in-domain pool, not with an off-topic one.
    "self_training_rounds": 3,
    "self_training_share": 0.6,
    "pseudo_weight": 0.5,
}


@dataclass
class CategoryClassifier:
    """A trained classifier; everything in it can be written as JSON plus numpy arrays."""

    labels: list[str]
    features: FeatureSpaces
    coef: np.ndarray[Any, np.dtype[np.float32]]
    intercept: np.ndarray[Any, np.dtype[np.float32]]
    temperature: float
    params: dict[str, Any]
    metrics: dict[str, Any] = field(default_factory=dict)

    def decision(self, texts: Sequence[str]) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        """Margins per label, and which rows had any known feature at all."""
        matrix = self.features.transform([clean_text(text) for text in texts])
        scores = np.asarray(matrix @ self._coef_columns) + self.intercept
        return scores, np.diff(matrix.indptr) > 0

    @cached_property
    def _coef_columns(self) -> np.ndarray[Any, Any]:
        """`coef.T` in C order: scipy would otherwise copy it on every call (~1 ms)."""
        return np.ascontiguousarray(self.coef.T)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray[Any, Any]:
        """Calibrated probabilities; a text with no known feature gets a uniform row."""
        scores, informative = self.decision(texts)
        probabilities = softmax(scores / self.temperature)
        probabilities[~informative] = 1.0 / len(self.labels)
        return probabilities

    def predict(self, texts: Sequence[str]) -> list[str]:
        """The most likely label of each text."""
        if not texts:
            return []
        scores, _ = self.decision(texts)
        return [self.labels[index] for index in scores.argmax(axis=1)]

    def predict_top(self, texts: Sequence[str], k: int = 3) -> list[list[tuple[str, float]]]:
        """The k most likely labels of each text with their probabilities, best first."""
        if not texts:
            return []
        probabilities = self.predict_proba(texts)
        k = max(1, min(k, len(self.labels)))
        order = np.argsort(-probabilities, axis=1, kind="stable")[:, :k]
        return [
            [(self.labels[index], float(row[index])) for index in indices]
            for row, indices in zip(probabilities, order, strict=True)
        ]


def softmax(scores: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Row-wise softmax, stable for large margins."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    exponentials = np.exp(shifted)
    result: np.ndarray[Any, Any] = exponentials / exponentials.sum(axis=1, keepdims=True)
    return result


def fit_temperature(scores: np.ndarray[Any, Any], targets: np.ndarray[Any, Any]) -> float:
    """The softmax temperature that minimises held-out log-loss."""

    def negative_log_likelihood(log_temperature: float) -> float:
        probabilities = softmax(scores / np.exp(log_temperature))
        picked = probabilities[np.arange(len(targets)), targets]
        return float(-np.log(np.clip(picked, 1e-12, None)).mean())

    result = minimize_scalar(negative_log_likelihood, bounds=(-5.0, 3.0), method="bounded")
    return float(np.exp(result.x))


def fit_linear(
    matrix: sp.csr_matrix,
    targets: np.ndarray[Any, Any],
    n_labels: int,
    *,
    C: float,
    sample_weight: np.ndarray[Any, Any] | None = None,
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """One-vs-rest linear SVM weights as (n_labels, n_features) and (n_labels,)."""
    svm = LinearSVC(C=C, class_weight="balanced")
    svm.fit(matrix, targets, sample_weight=sample_weight)
    coef = np.zeros((n_labels, matrix.shape[1]), dtype=np.float32)
    intercept = np.zeros(n_labels, dtype=np.float32)
    if len(svm.classes_) == 2:  # sklearn keeps one row for two classes
        first, second = svm.classes_
        coef[second], intercept[second] = svm.coef_[0], svm.intercept_[0]
        coef[first], intercept[first] = -svm.coef_[0], -svm.intercept_[0]
    else:
        coef[svm.classes_] = svm.coef_
        intercept[svm.classes_] = svm.intercept_
    return coef, intercept


def scores_of(
    matrix: sp.csr_matrix, coef: np.ndarray[Any, Any], intercept: np.ndarray[Any, Any]
) -> np.ndarray[Any, Any]:
    """Margins of a fitted linear model."""
    scores: np.ndarray[Any, Any] = np.asarray(matrix @ coef.T) + intercept
    return scores


def calibrate(
    matrix: sp.csr_matrix,
    targets: np.ndarray[Any, Any],
    n_labels: int,
    *,
    C: float,
    fraction: float,
    seed: int = 0,
) -> float:
    """Temperature from a stratified held-out split; 1.0 when there is too little data."""
    counts = np.bincount(targets, minlength=n_labels)
    present = counts[counts > 0]
    if len(present) < 2 or present.min() < 4 or fraction <= 0:
        return 1.0
    fit_rows, held_rows = train_test_split(
        np.arange(len(targets)), test_size=fraction, stratify=targets, random_state=seed
    )
    coef, intercept = fit_linear(matrix[fit_rows], targets[fit_rows], n_labels, C=C)
    return fit_temperature(scores_of(matrix[held_rows], coef, intercept), targets[held_rows])
