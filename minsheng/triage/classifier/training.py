"""Training entry points: supervised, semi-supervised (self-training) and active learning.

With a few hundred labels the unlabelled messages of the same platform carry most of the
vocabulary; self-training lets the SVM label them in rounds (most confident first, ranked
within each predicted class so small classes are not swamped), and the taxonomy names
seed each class with its own terms.

How many pool rows get a pseudo-label is bounded twice: by a share of the pool and by a
multiple of the real labels (`pseudo_per_label`). The second bound is what matters with a
large, partly off-topic pool: on the Teddy Cup few-labels benchmark (345 labels) the
macro-F1 peaked near 800-1,000 pseudo-labels whatever the pool size, and fell when 60% of
a 9,900-message pool was pseudo-labelled (0.750 against 0.783 with the budget).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from minsheng.triage.classifier.features import FeatureSpaces, clean_text
from minsheng.triage.classifier.model import (
    DEFAULT_PARAMS,
    CategoryClassifier,
    calibrate,
    fit_linear,
    scores_of,
)

# Semi-supervised settings this module reads on top of `DEFAULT_PARAMS` (which may
# override them): at most this many pseudo-labels per real label.
# Weak labels (see `departments`) count `weak_weight` each, and only while they outnumber
# the real labels: on the Teddy Cup data they lifted macro-F1 by 0.02 over 345 real labels
# and lowered it by up to 0.004 over 5,700 (bench/triage_classifier.py).
TRAINING_DEFAULTS: dict[str, Any] = {"pseudo_per_label": 2.5, "weak_weight": 0.6}
# Active learning: the diverse strategy looks at this many times `n` uncertain candidates
# and skips one whose cosine similarity to an already suggested text reaches the limit.
CANDIDATES_PER_SUGGESTION = 5
NEAR_DUPLICATE_COSINE = 0.5


def train_classifier(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    unlabelled: Sequence[str] = (),
    label_hints: Mapping[str, Sequence[str]] | None = None,
    weak_labels: Sequence[tuple[str, str]] = (),
    params: Mapping[str, Any] | None = None,
) -> CategoryClassifier:
    """Train from scratch; rows with an empty label are treated as unlabelled.

    `label_hints` maps a label to terms that describe it (the taxonomy's second and third
    levels); hints for labels absent from `labels` are ignored. `weak_labels` are (text,
    label) pairs of lower precision, such as the department named in a reply; they are used
    while they outnumber the real labels, and count toward the self-training budget.
    """
    started = time.perf_counter()
    settings: dict[str, Any] = {**TRAINING_DEFAULTS, **DEFAULT_PARAMS, **(params or {})}
    if len(texts) != len(labels):
        raise ValueError("texts and labels differ in length")
    pairs = [(clean_text(text), label.strip()) for text, label in zip(texts, labels, strict=True)]
    labelled = [(text, label) for text, label in pairs if label]
    names = sorted({label for _, label in labelled})
    if len(names) < 2:
        raise ValueError("training needs at least two distinct labels")
    index = {name: position for position, name in enumerate(names)}
    known = {text for text, _ in labelled}  # a real label wins over a weak one
    weak = [
        (cleaned, label)
        for text, label in weak_labels
        if label in index and (cleaned := clean_text(text)) not in known
    ]
    pool = [clean_text(text) for text in unlabelled] + [text for text, label in pairs if not label]
    if len(weak) <= len(labelled):  # real labels abound: weak ones would only add noise
        pool += [text for text, _ in weak]
        weak = []
    hint_texts, hint_targets = _hint_documents(label_hints or {}, index)
    train_texts = [text for text, _ in labelled] + hint_texts + [text for text, _ in weak]
    targets = np.array(
        [index[label] for _, label in labelled]
        + hint_targets
        + [index[label] for _, label in weak],
        dtype=np.int64,
    )
    base_weights = np.concatenate(
        [np.ones(len(labelled) + len(hint_texts)), np.full(len(weak), settings["weak_weight"])]
    )

    features = FeatureSpaces.fit(train_texts + pool, settings)
    matrix = features.transform(train_texts)
    pool_matrix = features.transform(pool) if pool else None
    real = targets[: len(labelled)]
    priors = np.bincount(real, minlength=len(names)) / len(real)
    extra_matrix, extra_targets = _self_train(
        matrix,
        targets,
        base_weights,
        pool_matrix,
        priors,
        settings,
        n_labels=len(labelled) + len(weak),
    )
    full_matrix = sp.csr_matrix(sp.vstack([matrix, extra_matrix], format="csr"))
    full_targets = np.concatenate([targets, extra_targets])
    weights = _weights(base_weights, len(extra_targets), settings)
    coef, intercept = fit_linear(
        full_matrix, full_targets, len(names), C=settings["C"], sample_weight=weights
    )
    # Calibrated without the weak and pseudo-labels: the first are noisy, the second
    # confident by construction.
    unweak = len(labelled) + len(hint_texts)
    temperature = calibrate(
        matrix[:unweak],
        targets[:unweak],
        len(names),
        C=settings["C"],
        fraction=settings["calibration_fraction"],
    )
    metrics = {
        "n_labelled": len(labelled),
        "n_weak_labels": len(weak),
        "n_hints": len(hint_texts),
        "n_unlabelled": len(pool),
        "n_pseudo_labelled": len(extra_targets),
        "temperature": temperature,
        "train_seconds": round(time.perf_counter() - started, 3),
    }
    return CategoryClassifier(
        labels=names,
        features=features,
        coef=coef,
        intercept=intercept,
        temperature=temperature,
        params=settings,
        metrics=metrics,
    )


def suggest_for_labelling(
    model: CategoryClassifier, texts: Sequence[str], n: int, *, diverse: bool = False
) -> list[int]:
    """Indices of the `n` texts the model is least sure about (smallest top-2 margin).

    Texts without any known feature come last: an operator's label on an empty or
    foreign-language message teaches the model nothing. With `diverse`, a text much like
    one already suggested is passed over (people post the same complaint many times, and
    labelling five copies teaches what one does); the gaps are filled by margin order.
    """
    if not texts or n <= 0:
        return []
    scores, informative = model.decision(texts)
    ordered = np.sort(scores, axis=1)
    margins = ordered[:, -1] - ordered[:, -2]
    margins[~informative] = np.inf
    ranking = np.argsort(margins, kind="stable")
    if not diverse:
        return [int(position) for position in ranking[:n]]
    candidates = ranking[: n * CANDIDATES_PER_SUGGESTION]
    vectors = normalize(model.features.transform([clean_text(texts[i]) for i in candidates]))
    picked = _spread_out(sp.csr_matrix(vectors), n, NEAR_DUPLICATE_COSINE)
    chosen = [int(candidates[i]) for i in picked]
    taken = set(chosen)
    chosen += [int(i) for i in ranking if int(i) not in taken][: n - len(chosen)]
    return chosen


def _spread_out(vectors: sp.csr_matrix, n: int, limit: float) -> list[int]:
    """Greedy pick in row order, skipping rows with cosine >= `limit` to a picked row."""
    picked: list[int] = []
    for row in range(vectors.shape[0]):
        if len(picked) == n:
            break
        if picked:
            similarity = np.asarray((vectors[picked] @ vectors[row].T).todense()).ravel()
            if similarity.max() >= limit:
                continue
        picked.append(row)
    return picked


def _hint_documents(
    hints: Mapping[str, Sequence[str]], index: Mapping[str, int]
) -> tuple[list[str], list[int]]:
    """One short document per taxonomy term, plus one with all of a label's terms."""
    texts: list[str] = []
    targets: list[int] = []
    for label, terms in hints.items():
        if label not in index:
            continue
        cleaned = [clean_text(term) for term in terms if term.strip()]
        for term in [*cleaned, " ".join(cleaned)]:
            if term:
                texts.append(term)
                targets.append(index[label])
    return texts, targets


def _self_train(
    matrix: sp.csr_matrix,
    targets: np.ndarray[Any, Any],
    base_weights: np.ndarray[Any, Any],
    pool: sp.csr_matrix | None,
    priors: np.ndarray[Any, Any],
    settings: Mapping[str, Any],
    *,
    n_labels: int,
) -> tuple[sp.csr_matrix, np.ndarray[Any, Any]]:
    """Pseudo-labelled pool rows after a few rounds of confidence-ranked self-training.

    Each round re-labels the pool from scratch and keeps a growing share of it; the final
    share stays below 1 because the least confident tail is mostly off-taxonomy messages,
    and below `pseudo_per_label` pseudo-labels per real or weak label (see the module
    docstring).
    """
    empty = sp.csr_matrix((0, matrix.shape[1]), dtype=matrix.dtype)
    rounds = int(settings["self_training_rounds"])
    if pool is None or pool.shape[0] == 0 or rounds <= 0:
        return empty, np.zeros(0, dtype=np.int64)
    final_share = min(
        float(settings["self_training_share"]),
        float(settings["pseudo_per_label"]) * n_labels / pool.shape[0],
    )
    chosen = np.zeros(0, dtype=np.int64)
    pseudo = np.zeros(0, dtype=np.int64)
    for round_number in range(1, rounds + 1):
        stacked = sp.csr_matrix(sp.vstack([matrix, pool[chosen]], format="csr"))
        coef, intercept = fit_linear(
            stacked,
            np.concatenate([targets, pseudo]),
            len(priors),
            C=settings["C"],
            sample_weight=_weights(base_weights, len(pseudo), settings),
        )
        scores = scores_of(pool, coef, intercept)
        share = final_share * round_number / rounds
        chosen, pseudo = _most_confident(scores, share, priors)
    return sp.csr_matrix(pool[chosen]), pseudo


def _most_confident(
    scores: np.ndarray[Any, Any], share: float, priors: np.ndarray[Any, Any]
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """The most confident rows of each predicted class, at most its labelled share.

    A small labelled set makes the catch-all class (城乡建设) win most of the pool; capping
    each class at its labelled prior keeps self-training from amplifying that bias.
    """
    predicted = scores.argmax(axis=1)
    ordered = np.sort(scores, axis=1)
    margins = ordered[:, -1] - ordered[:, -2]
    chosen: list[np.ndarray[Any, Any]] = []
    for label in np.unique(predicted):
        rows = np.flatnonzero(predicted == label)
        keep = int(np.ceil(len(scores) * share * priors[label]))
        chosen.append(rows[np.argsort(-margins[rows], kind="stable")[:keep]])
    rows = np.sort(np.concatenate(chosen)) if chosen else np.zeros(0, dtype=np.int64)
    return rows, predicted[rows]


def _weights(
    base: np.ndarray[Any, Any], n_pseudo: int, settings: Mapping[str, Any]
) -> np.ndarray[Any, Any]:
    """The labelled rows' own weights, then `pseudo_weight` for each pseudo-label."""
    return np.concatenate([base, np.full(n_pseudo, float(settings["pseudo_weight"]))])
