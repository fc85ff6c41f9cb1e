"""The silver-labelled evaluation on a slice of the real board (see bench/duplicates_eval.py)."""

from __future__ import annotations

import pytest

from minsheng.testing.shared_data import shared_file
from minsheng.triage.duplicates.evaluation import (
    build_index,
    pair_scores,
    precision_recall,
    read_messages,
    silver_pairs,
)

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def labelled():
    messages = read_messages([shared_file("messages_with_votes.xlsx")], limit=2_000)
    pairs = silver_pairs(messages, negatives_per_kind=300)
    index = build_index(messages)
    return pairs, pair_scores(index, pairs)


def test_slice_has_both_kinds_of_positive(labelled):
    # given the first 2,000 rows of the votes file
    pairs, _ = labelled
    kinds = {p.kind for p in pairs}
    # then it holds exact reposts and same-user near reposts, and every negative kind
    assert {"exact", "same_user", "random", "same_topic"} <= kinds or {
        "exact",
        "same_user",
    } <= kinds


def test_precision_and_recall_at_the_similar_threshold(labelled):
    # when pairs scoring >= 0.4 are called duplicates
    pairs, scores = labelled
    precision, recall = precision_recall(pairs, scores, threshold=0.4)
    # then both stay near what the full evaluation measured
    assert precision >= 0.9
    assert recall >= 0.8
