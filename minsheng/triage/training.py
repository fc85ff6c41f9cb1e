"""Retraining the category model from the deployment's own history and labelled files.

A new version is stored under the data directory with its metrics and activated only if it
is not worse than the active one on the same held-out split.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split

from minsheng.clues.models import Clue
from minsheng.directory.models import Category
from minsheng.triage.classifier import CategoryClassifier, save_model, train_classifier
from minsheng.triage.classifier.data import (
    join_message,
    read_messages,
    split_by_reply,
    weak_labels_apart_from,
)
from minsheng.triage.engine import reset_engine
from minsheng.triage.models import ModelVersion
from minsheng.triage.registry import (
    CATEGORY,
    SUBCATEGORY,
    active_model,
    clear_model_cache,
    models_dir,
)

logger = logging.getLogger(__name__)

MIN_LABELLED = 20
MIN_PER_CLASS = 2


class TrainingError(Exception):
    """Not enough (or unusable) labelled data; the message says what is missing."""


@dataclass
class TrainingReport:
    version: int
    activated: bool
    n_train: int
    n_eval: int
    labels: dict[str, int]
    macro_f1: float
    previous_macro_f1: float | None
    sources: dict[str, Any] = field(default_factory=dict)
    kind: str = "category"
    # The second-level model trained alongside, or why none was.
    subcategory: TrainingReport | None = None
    subcategory_skipped: str = ""

    def as_dict(self) -> dict[str, Any]:
        values = self.__dict__.copy()
        values["subcategory"] = self.subcategory.as_dict() if self.subcategory else None
        return values


def _root_names() -> dict[int, str]:
    """Category id → its first-level ancestor's name (labels are first-level categories)."""
    names = dict(Category.objects.values_list("pk", "name"))
    return {
        pk: names[int(path.split("/", 1)[0])]
        for pk, path in Category.objects.values_list("pk", "path")
    }


def label_hints() -> dict[str, list[str]]:
    """The taxonomy's lower levels as words that describe each first-level category."""
    hints: dict[str, list[str]] = {}
    roots = _root_names()
    for pk, name, depth in Category.objects.filter(is_active=True).values_list(
        "pk", "name", "depth"
    ):
        if depth > 1:
            hints.setdefault(roots[pk], []).append(name)
    return hints


def database_examples() -> tuple[list[str], list[str]]:
    """Clues whose category a person (or a labelled import) set: text and first-level label."""
    roots = _root_names()
    texts, labels = [], []
    for title, content, category_id in (
        Clue.objects.filter(category__isnull=False)
        .values_list("title", "content", "category_id")
        .iterator(chunk_size=2000)
    ):
        texts.append(join_message(title=title, content=content))
        labels.append(roots[category_id])
    return texts, labels


def database_subcategory_examples() -> tuple[list[str], list[str]]:
    """Clues whose category is at the second level or below: text and the second-level
    ancestor's id (as a string label)."""
    second_level = {
        pk: path.split("/")[1]
        for pk, path in Category.objects.filter(depth__gte=2).values_list("pk", "path")
    }
    texts, labels = [], []
    for title, content, category_id in (
        Clue.objects.filter(category_id__in=list(second_level))
        .values_list("title", "content", "category_id")
        .iterator(chunk_size=2000)
    ):
        texts.append(join_message(title=title, content=content))
        labels.append(second_level[category_id])
    return texts, labels


def subcategory_hints() -> dict[str, list[str]]:
    """Each second-level category's own name and the names below it."""
    hints: dict[str, list[str]] = {}
    for pk, name, path, depth in Category.objects.filter(is_active=True, depth__gte=2).values_list(
        "pk", "name", "path", "depth"
    ):
        key = str(pk) if depth == 2 else path.split("/")[1]
        hints.setdefault(key, []).append(name)
    return hints


def _macro_f1(model: CategoryClassifier, texts: Sequence[str], labels: Sequence[str]) -> float:
    return float(f1_score(list(labels), model.predict(texts), average="macro", zero_division=0))


def triage_train(
    *, files: Sequence[Path] = (), from_database: bool = True, seed: int = 0
) -> TrainingReport:
    """Train a new category model version; activate it unless it is worse than the active
    one. Where the database holds enough clues filed under second-level categories, a
    second-level model is trained too (see `TrainingReport.subcategory`)."""
    texts: list[str] = []
    labels: list[str] = []
    unlabelled: list[str] = []
    replies: list[str] = []
    sources: dict[str, Any] = {"files": [str(path) for path in files], "database": 0}
    if from_database:
        db_texts, db_labels = database_examples()
        texts += db_texts
        labels += db_labels
        sources["database"] = len(db_texts)
    for path in files:
        rows = read_messages(path)
        for text, label, reply in zip(rows.texts, rows.labels, rows.replies, strict=True):
            if label:
                texts.append(text)
                labels.append(label)
            else:
                unlabelled.append(text)
                replies.append(reply)
    plain, weak = split_by_reply(unlabelled, replies, labels=set(labels))
    report = _train_kind(
        CATEGORY,
        texts,
        labels,
        unlabelled=plain,
        weak_labels=weak,
        hints=label_hints(),
        sources=sources,
        seed=seed,
    )
    if from_database:
        sub_texts, sub_labels = database_subcategory_examples()
        try:
            report.subcategory = _train_kind(
                SUBCATEGORY,
                sub_texts,
                sub_labels,
                unlabelled=unlabelled,
                hints=subcategory_hints(),
                sources={"database": len(sub_texts)},
                seed=seed,
            )
        except TrainingError as error:
            report.subcategory_skipped = str(error)
    else:
        report.subcategory_skipped = "二级分类只从数据库中已归到二级分类的线索学习。"
    clear_model_cache()
    reset_engine()
    return report


def _train_kind(
    kind: str,
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    unlabelled: Sequence[str],
    hints: dict[str, list[str]],
    sources: dict[str, Any],
    seed: int,
    weak_labels: Sequence[tuple[str, str]] = (),
) -> TrainingReport:
    """Evaluate a candidate on a held-out split against the active model of `kind`, then
    store the model trained on everything; activate it unless it did worse."""
    counts = Counter(labels)
    usable = {label for label, count in counts.items() if count >= MIN_PER_CLASS}
    pairs = [(text, label) for text, label in zip(texts, labels, strict=True) if label in usable]
    if len(pairs) < MIN_LABELLED or len(usable) < 2:
        raise TrainingError(
            f"标注数据不足：需要至少 {MIN_LABELLED} 条、2 个以上类别"
            f"（每类至少 {MIN_PER_CLASS} 条），现有 {len(pairs)} 条、{len(usable)} 个类别。"
        )
    all_texts = [text for text, _ in pairs]
    all_labels = [label for _, label in pairs]
    # A stratified split needs at least one held-out clue per class.
    n_eval = max(math.ceil(0.2 * len(all_texts)), len(usable))
    if len(all_texts) - n_eval < len(usable):
        raise TrainingError(
            f"标注数据不足：{len(usable)} 个类别共 {len(all_texts)} 条，无法同时留出评估集。"
        )
    train_texts, eval_texts, train_labels, eval_labels = train_test_split(
        all_texts, all_labels, test_size=n_eval, random_state=seed, stratify=all_labels
    )
    candidate = train_classifier(
        train_texts,
        train_labels,
        unlabelled=unlabelled,
        label_hints=hints,
        weak_labels=weak_labels_apart_from(weak_labels, eval_texts),
    )
    score = _macro_f1(candidate, eval_texts, eval_labels)
    active = active_model(kind)
    previous = _macro_f1(active[1], eval_texts, eval_labels) if active else None
    activate = previous is None or score >= previous
    final = train_classifier(
        all_texts, all_labels, unlabelled=unlabelled, label_hints=hints, weak_labels=weak_labels
    )
    with transaction.atomic():
        version_number = (
            ModelVersion.objects.filter(kind=kind).aggregate(last=Max("version"))["last"] or 0
        ) + 1
        relative = f"{kind}/v{version_number}"
        save_model(final, models_dir() / relative)
        metrics = {"macro_f1_eval": score, "previous_macro_f1_eval": previous, **final.metrics}
        if activate:
            ModelVersion.objects.filter(kind=kind, is_active=True).update(is_active=False)
        ModelVersion.objects.create(
            kind=kind,
            version=version_number,
            path=relative,
            metrics=metrics,
            n_train=len(all_texts),
            trained_from=sources,
            is_active=activate,
        )
    if not activate:
        logger.warning(
            "新模型 %s v%s 在评估集上更差（%.3f < %.3f），未启用。",
            kind,
            version_number,
            score,
            previous,
        )
    return TrainingReport(
        version=version_number,
        activated=activate,
        n_train=len(train_texts),
        n_eval=len(eval_texts),
        labels=dict(Counter(all_labels)),
        macro_f1=score,
        previous_macro_f1=previous,
        sources=sources,
        kind=kind,
    )
