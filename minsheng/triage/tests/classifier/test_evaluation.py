"""Scores, duplicate-aware folds and the CV summary."""

from __future__ import annotations

import pytest

from minsheng.triage.classifier.evaluation import cross_validate, duplicate_groups, score
from minsheng.triage.tests.classifier.conftest import make_corpus


def test_score_reports_macro_f1_accuracy_and_per_class():
    macro, accuracy, per_class = score(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    assert accuracy == pytest.approx(0.75)
    assert per_class == pytest.approx({"a": 2 / 3, "b": 0.8})
    assert macro == pytest.approx((2 / 3 + 0.8) / 2)


def test_duplicate_groups_match_on_normalised_text():
    groups = duplicate_groups(["尊敬的领导：公交太慢", "公交太慢", "公交　太慢 ", "学校"])
    assert groups[0] == groups[1]
    assert groups[3] != groups[0]


class _Spy:
    """A trainer that records what it was trained on and predicts a constant."""

    seen: list[list[str]] = []

    def __init__(self, texts, labels, **_kwargs):
        _Spy.seen.append(list(texts))
        self.label = labels[0]

    def predict(self, texts):
        return [self.label for _ in texts]


def test_grouped_folds_never_split_identical_texts():
    # Given a corpus where every text appears twice
    texts, labels = make_corpus(6)
    texts, labels = texts * 2, labels * 2
    _Spy.seen = []

    # When cross-validating with grouping
    result = cross_validate(texts=texts, labels=labels, folds=3, grouped=True, trainer=_Spy)

    # Then no training fold holds a copy of a test text (each text is in 2 of 3 folds
    # exactly twice or not at all), and the summary has the command's keys
    for training in _Spy.seen:
        assert all(training.count(text) in (0, 2) for text in training)
    assert len(result["folds"]) == 3
    assert result["grouped"] is True
    assert {"macro_f1", "accuracy", "per_class", "n_train", "n_test"} <= set(result)


def test_cross_validate_skips_unlabelled_rows():
    texts, labels = make_corpus(6)
    labels[0] = ""
    _Spy.seen = []
    result = cross_validate(texts=texts, labels=labels, folds=2, grouped=False, trainer=_Spy)
    assert result["n_train"] + result["n_test"] == len(texts) - 1


def test_weak_labels_on_test_texts_never_reach_training():
    # given weak labels, some of them on the test texts themselves
    from minsheng.triage.classifier.evaluation import evaluate_split
    from minsheng.triage.tests.classifier.conftest import make_corpus

    train_texts, train_labels = make_corpus(2, seed=1)
    test_texts, test_labels = make_corpus(3, seed=2)
    weak_texts, weak_labels = make_corpus(4, seed=3)
    weak = list(zip(weak_texts + test_texts, weak_labels + test_labels, strict=True))
    seen: list[list[tuple[str, str]]] = []

    def trainer(texts, labels, *, weak_labels=(), **_ignored):
        from minsheng.triage.classifier import train_classifier

        seen.append(list(weak_labels))
        return train_classifier(texts, labels, weak_labels=weak_labels)

    # when evaluating
    result = evaluate_split(
        train_texts=train_texts,
        train_labels=train_labels,
        test_texts=test_texts,
        test_labels=test_labels,
        weak_labels=weak,
        trainer=trainer,
    )

    # then only the other weak labels were given to the trainer, and the count is reported
    assert seen == [list(zip(weak_texts, weak_labels, strict=True))]
    assert result["n_weak_labels"] == 12
