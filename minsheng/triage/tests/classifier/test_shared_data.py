"""The classifier on real Teddy Cup messages (trained here, never stored in the repo)."""

from __future__ import annotations

import random

import pytest

from minsheng.testing.shared_data import shared_file
from minsheng.triage.classifier import train_classifier
from minsheng.triage.classifier.data import read_messages
from minsheng.triage.classifier.evaluation import evaluate_split

pytestmark = pytest.mark.shared_data


def test_two_thousand_labels_reach_a_modest_macro_f1():
    # Given 2,000 training and 1,000 test messages from the full labelled set
    rows = read_messages(shared_file("messages_labelled_full.xlsx"))
    order = list(range(len(rows.texts)))
    random.Random(0).shuffle(order)
    train, test = order[:2000], order[2000:3000]

    # When training the classifier and scoring the held-out part
    result = evaluate_split(
        train_texts=[rows.texts[i] for i in train],
        train_labels=[rows.labels[i] for i in train],
        test_texts=[rows.texts[i] for i in test],
        test_labels=[rows.labels[i] for i in test],
        trainer=train_classifier,
    )

    # Then macro-F1 clears a floor well above the naive-Bayes reference (~0.84 on the full set)
    assert result["macro_f1"] >= 0.85, result
    assert len(result["per_class"]) == 7
