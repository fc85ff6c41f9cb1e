"""The silver-labelled evaluation on a slice of the real board (see bench/duplicates_eval.py)."""

from __future__ import annotations

import pytest

from minsheng.testing.shared_data import shared_file
from minsheng.triage.duplicates.evaluation import (
    OTHER_PLACE_PAIRS,
    build_index,
    classified_likely,
    other_place_pairs,
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


@pytest.fixture(scope="module")
def other_place():
    files = (
        "messages_with_votes.xlsx",
        "messages_with_replies.xlsx",
        "messages_unlabelled.xlsx",
        "messages_labelled_full.xlsx",
    )
    messages = read_messages([shared_file(name) for name in files])
    pairs = other_place_pairs(messages)
    return messages, pairs, build_index(messages)


def test_form_letters_about_other_places_are_all_in_the_files(other_place):
    _, pairs, _ = other_place
    assert len(pairs) == len(OTHER_PLACE_PAIRS)


def test_place_check_keeps_them_out_of_likely_duplicates(other_place):
    # given the hand-checked form letters about different places
    messages, pairs, index = other_place
    # when classified without and with the place check
    before = classified_likely(index, messages, pairs, place_check=False)
    after = classified_likely(index, messages, pairs, place_check=True)
    # then several pass for likely duplicates on score alone, and none with the check
    assert sum(before) >= 5
    assert sum(after) == 0
