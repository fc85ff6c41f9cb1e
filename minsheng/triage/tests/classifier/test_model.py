"""CategoryClassifier: top-k output, robustness to bad input, active learning."""

from __future__ import annotations

import pytest

from minsheng.triage.classifier import suggest_for_labelling, train_classifier
from minsheng.triage.tests.classifier.conftest import TOPICS, make_corpus


def test_predict_top_is_sorted_probabilities_over_known_labels(trained):
    # Given a model trained on three topics
    # When asking for the top 3 of a clearly traffic-related message
    [top] = trained.predict_top(["公交线路太少\n希望增加公交站台"], k=3)

    # Then the labels are distinct, sorted by probability, and traffic comes first
    assert top[0][0] == "交通运输"
    probabilities = [probability for _, probability in top]
    assert probabilities == sorted(probabilities, reverse=True)
    assert sum(probabilities) == pytest.approx(1.0, abs=1e-6)
    assert {label for label, _ in top} == set(TOPICS)


def test_held_out_synthetic_messages_are_classified(trained):
    # Given fresh messages drawn from the same topics
    texts, labels = make_corpus(10, seed=99)

    # When predicting them
    predicted = trained.predict(texts)

    # Then nearly all are right
    correct = sum(p == e for p, e in zip(predicted, labels, strict=True))
    assert correct / len(labels) >= 0.9


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "😀😀😀🎉",
        "<script>alert('x')</script>",
        "The bus line near our home is too slow, please help.",
        "公交" * 50_000,
    ],
    ids=["empty", "whitespace", "emoji", "html", "english", "very-long"],
)
def test_bad_input_still_gets_a_low_confidence_answer(trained, text):
    # Given an odd message / When predicting it
    [top] = trained.predict_top([text], k=2)

    # Then there is an answer with two labels and valid probabilities
    assert len(top) == 2
    assert all(0.0 <= probability <= 1.0 for _, probability in top)


def test_text_without_known_features_gets_a_uniform_answer(trained):
    # Given an empty text / When predicting it
    [top] = trained.predict_top([""], k=3)

    # Then every label is equally (un)likely
    assert [probability for _, probability in top] == pytest.approx([1 / 3] * 3)


def test_empty_batch_gives_empty_output(trained):
    assert trained.predict_top([]) == []
    assert trained.predict([]) == []


def test_rows_without_label_are_not_training_labels(corpus):
    # Given a corpus where some rows have an empty label
    texts, labels = corpus
    labels = [*labels[:-5], *([""] * 5)]

    # When training
    model = train_classifier(texts, labels)

    # Then they are counted as unlabelled, and no "" label exists
    assert "" not in model.labels
    assert model.metrics["n_labelled"] == len(texts) - 5
    assert model.metrics["n_unlabelled"] == 5


def test_one_label_is_not_enough():
    with pytest.raises(ValueError, match="two distinct labels"):
        train_classifier(["公交太慢", "地铁太挤"], ["交通运输", "交通运输"])


def test_two_labels_work():
    # Given a two-class corpus (scikit-learn keeps a single weight row for it)
    texts = ["公交线路", "地铁站台", "学校老师", "幼儿园学费"] * 3
    labels = ["交通运输", "交通运输", "教育文体", "教育文体"] * 3

    # When training and predicting
    model = train_classifier(texts, labels)

    # Then both directions of the single row are used
    assert model.predict(["公交站台", "学校学费"]) == ["交通运输", "教育文体"]


def test_label_hints_teach_terms_never_seen_in_messages():
    # Given labelled messages that never mention 噪音, and a hint that it is environmental
    texts = ["公交线路太少", "地铁站台拥挤", "学校老师补课", "幼儿园学费贵", "河道污染", "废水排放"]
    labels = ["交通运输", "交通运输", "教育文体", "教育文体", "环境保护", "环境保护"]
    hints = {"环境保护": ["噪声污染", "噪音扰民"], "不存在的类": ["噪音"]}

    # When training with the hints
    model = train_classifier(texts * 2, labels * 2, label_hints=hints)

    # Then a message about noise goes to environment, and unknown hint labels are ignored
    assert model.predict(["晚上噪音扰民"]) == ["环境保护"]
    assert "不存在的类" not in model.labels


def test_self_training_uses_the_unlabelled_pool(corpus):
    # Given few labels and a larger unlabelled pool
    texts, labels = corpus
    pool, _ = make_corpus(15, seed=7)

    # When training with the pool
    model = train_classifier(
        texts[::4], labels[::4], unlabelled=pool, params={"self_training_rounds": 2}
    )

    # Then part of the pool got pseudo-labels and the model still works
    assert 0 < model.metrics["n_pseudo_labelled"] <= len(pool)
    assert model.predict(["学校老师补课\n学生学费"]) == ["教育文体"]


def test_suggest_for_labelling_ranks_ambiguous_messages_first(trained):
    # Given one clear message, one mixing two topics, and one with no known feature
    texts = ["公交线路站台地铁", "学校附近的公交站台", "😀"]

    # When asking which two an operator should label next
    suggested = suggest_for_labelling(trained, texts, 2)

    # Then the mixed one comes first and the featureless one is not suggested
    assert suggested[0] == 1
    assert 2 not in suggested
    assert suggest_for_labelling(trained, texts, 0) == []


def test_self_training_caps_each_class_at_its_labelled_share():
    import numpy as np

    from minsheng.triage.classifier.training import _most_confident

    # Given a pool of 10 where class 0 wins 8 rows, but labels say it is half the data
    scores = np.array([[2.0 - i * 0.1, 0.0] for i in range(8)] + [[0.0, 1.0], [0.0, 2.0]])
    priors = np.array([0.5, 0.5])

    # When taking the most confident share of the pool
    rows, pseudo = _most_confident(scores, 1.0, priors)

    # Then class 0 keeps only its 5 most confident rows, class 1 keeps both of its rows
    assert list(rows) == [0, 1, 2, 3, 4, 8, 9]
    assert list(pseudo) == [0, 0, 0, 0, 0, 1, 1]
