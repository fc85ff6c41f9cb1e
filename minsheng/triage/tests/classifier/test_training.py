"""Self-training's pseudo-label budget and the diverse active-learning strategy."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from minsheng.triage.classifier import suggest_for_labelling, train_classifier
from minsheng.triage.classifier.training import _spread_out
from minsheng.triage.tests.classifier.conftest import TOPICS, make_corpus


def test_pseudo_labels_are_capped_per_real_label(corpus):
    # Given 15 labels and an unlabelled pool of 300
    texts, labels = corpus
    pool, _ = make_corpus(100, seed=3)

    # When self-training may label the whole pool but only 2 pseudo-labels per real one
    model = train_classifier(
        texts[::4],
        labels[::4],
        unlabelled=pool,
        params={"self_training_share": 1.0, "pseudo_per_label": 2.0},
    )

    # Then at most 30 pool rows (plus one per class for rounding up) got a pseudo-label
    assert 0 < model.metrics["n_pseudo_labelled"] <= 2 * 15 + 3


def test_share_of_the_pool_still_bounds_a_small_pool(corpus):
    # Given 15 labels and a pool of 30, with a generous per-label budget
    texts, labels = corpus
    pool, _ = make_corpus(10, seed=4)

    # When at most a third of the pool may be pseudo-labelled
    model = train_classifier(
        texts[::4],
        labels[::4],
        unlabelled=pool,
        params={"self_training_share": 1 / 3, "pseudo_per_label": 10.0},
    )

    # Then the share is the binding limit (10 rows, plus rounding per class)
    assert 0 < model.metrics["n_pseudo_labelled"] <= 10 + 3


def test_diverse_suggestions_skip_copies_of_an_already_suggested_text(trained):
    # Given two copies of one ambiguous message, another ambiguous one and a clear one
    texts = [
        "工厂污染学校\n学生闻到臭味",
        "工厂污染学校\n学生闻到臭味",
        "学校门口噪音",
        "公交线路站台地铁",
    ]

    # When asking for two suggestions by margin alone and with diversity
    plain = suggest_for_labelling(trained, texts, 2)
    diverse = suggest_for_labelling(trained, texts, 2, diverse=True)

    # Then margin order takes both copies, the diverse strategy one copy and the other
    assert sorted(plain) == [0, 1]
    assert diverse == [0, 2]


def test_diverse_suggestions_fill_up_with_copies_when_nothing_else_is_left(trained):
    # Given only copies of one message
    texts = ["学校附近的公交站台"] * 3

    # When asking for two diverse suggestions
    suggested = suggest_for_labelling(trained, texts, 2, diverse=True)

    # Then two distinct rows are still returned
    assert len(set(suggested)) == 2


def test_spread_out_skips_rows_too_similar_to_a_picked_one():
    # Given unit rows: 0 and 1 nearly identical, 2 orthogonal to both
    vectors = sp.csr_matrix(np.array([[1.0, 0.0], [0.99, 0.141], [0.0, 1.0]]))

    # When picking two with a cosine limit of 0.5
    picked = _spread_out(vectors, 2, 0.5)

    # Then the near-copy is skipped
    assert picked == [0, 2]


def test_weak_labels_count_while_they_outnumber_the_real_ones(corpus):
    # given two real labels per class and thirty weak ones per class, one weak text
    # repeating a real one under another label
    texts, labels = corpus
    real_texts, real_labels = texts[::10], labels[::10]
    weak_texts, weak_labels = make_corpus(10, seed=8)
    weak = [*zip(weak_texts, weak_labels, strict=True), (real_texts[0], "环境保护")]

    # when training with them
    model = train_classifier(real_texts, real_labels, weak_labels=weak)

    # then every weak label but the contradicted one is used
    assert model.metrics["n_labelled"] == 6
    assert model.metrics["n_weak_labels"] == 30
    # and they are trained on: thirty weak labels that all say 环境保护 outweigh six real ones
    held_out, _ = make_corpus(10, seed=9)
    assert set(train_classifier(real_texts, real_labels).predict(held_out)) == set(TOPICS)
    misled = train_classifier(
        real_texts, real_labels, weak_labels=[(text, "环境保护") for text in weak_texts]
    )
    assert set(misled.predict(held_out)) == {"环境保护"}


def test_weak_labels_go_to_the_pool_once_real_labels_abound(corpus):
    # given 60 real labels and 15 weak ones
    texts, labels = corpus
    weak_texts, weak_labels = make_corpus(5, seed=8)

    # when training
    model = train_classifier(
        texts, labels, weak_labels=list(zip(weak_texts, weak_labels, strict=True))
    )

    # then the weak labels are ignored and their texts join the unlabelled pool
    assert model.metrics["n_weak_labels"] == 0
    assert model.metrics["n_unlabelled"] == 15
