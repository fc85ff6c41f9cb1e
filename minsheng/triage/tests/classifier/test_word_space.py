"""The word space: dictionary-filtered character n-grams, and the older jieba form."""

from __future__ import annotations

import json
from pathlib import Path

import jieba
import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from minsheng.triage.classifier import features, load_model, save_model, train_classifier
from minsheng.triage.classifier.charngrams import CharNgramTfidf
from minsheng.triage.classifier.features import build_vectorizer, dictionary_words
from minsheng.triage.tests.classifier.conftest import make_corpus

# Saved by the code before "word_tokens" existed (format 1, jieba words), trained on
# make_corpus(8, seed=7) with self_training_rounds=0; expected.json holds that code's
# margins, probabilities and top-3 for a few probe texts.
JIEBA_V1 = Path(__file__).parent / "fixtures" / "jieba_v1"


def test_keep_set_leaves_only_its_ngrams():
    # Given texts and a small dictionary
    texts = ["公交线路太少", "公交线路调整", "学校老师补课"]

    # When fitting 2-4-grams with and without the dictionary
    everything = CharNgramTfidf(ngram_range=(2, 4), min_df=1).fit(texts)
    words = CharNgramTfidf(ngram_range=(2, 4), min_df=1).fit(
        texts, keep={"公交", "线路", "公交线路", "老师", "不存在"}
    )

    # Then only dictionary n-grams found in the texts remain, with unchanged idf
    assert words.ngrams_of(words.keys) == ["公交", "线路", "老师", "公交线路"]
    full = dict(zip(everything.ngrams_of(everything.keys), everything.idf, strict=True))
    assert list(words.idf) == [full[ngram] for ngram in words.ngrams_of(words.keys)]


def test_keep_predicate_and_min_df_both_apply():
    # Given a predicate keeping two-character n-grams / When fitting with min_df 2
    vectorizer = CharNgramTfidf(ngram_range=(1, 3), min_df=2).fit(
        ["学校老师", "学校门口", "老师"], keep=lambda ngram: len(ngram) == 2
    )

    # Then n-grams must pass both
    assert vectorizer.ngrams_of(vectorizer.keys) == ["学校", "老师"]


def test_four_grams_match_scikit_learn_with_the_same_vocabulary():
    # Given texts with CJK, mixed-case ASCII and emoji, and a dictionary
    texts, _ = make_corpus(5)
    texts += ["Bus 12路", "", "😀学校😀", "bus", "垃圾焚烧厂"]
    dictionary = {"垃圾焚烧", "道路拥堵", "学校", "公交", "幼儿园", "bus", "s 12", "😀学校"}

    # When fitting ours with the dictionary, and scikit-learn on the kept n-grams
    ours = CharNgramTfidf(ngram_range=(2, 4), min_df=2).fit(texts, keep=dictionary)
    frequent = TfidfVectorizer(analyzer="char", ngram_range=(2, 4), min_df=2).fit(texts)
    kept = sorted(set(frequent.vocabulary_) & dictionary)
    reference = TfidfVectorizer(
        analyzer="char", ngram_range=(2, 4), sublinear_tf=True, vocabulary=kept
    )
    expected = reference.fit_transform(texts).toarray()

    # Then the vocabularies and the TF-IDF values agree
    ngrams = ours.ngrams_of(ours.keys)
    assert sorted(ngrams) == kept
    columns = [ngrams.index(ngram) for ngram in kept]
    np.testing.assert_allclose(ours.transform(texts)[:, columns].toarray(), expected, atol=1e-6)


def test_characters_never_seen_in_fitting_are_ignored():
    # Given 2-4-grams fitted on two texts
    vectorizer = CharNgramTfidf(ngram_range=(2, 4), min_df=1).fit(["学校老师", "公交线路"])

    # When transforming texts with unseen characters
    matrix = vectorizer.transform(["", "😀😀", "学校😀老师", "x公交"])

    # Then they neither match nor break the n-grams around them
    assert list(np.diff(matrix.indptr)) == [0, 0, 2, 1]


def test_dictionary_holds_short_lower_case_words():
    words = dictionary_words()
    assert {"公积金", "拆迁", "公交线路"} <= words
    assert all(2 <= len(word) <= 4 and word == word.lower() for word in words)


def test_new_models_use_dictionary_words(trained):
    # Given a model trained with the default parameters
    vectorizer = trained.features.vectorizers["word"]

    # Then its word space is dictionary n-grams of the titles
    assert trained.params["word_tokens"] == "dictionary"
    assert isinstance(vectorizer, CharNgramTfidf)
    ngrams = set(vectorizer.ngrams_of(vectorizer.keys))
    assert {"公交", "学校", "污染"} <= ngrams
    assert ngrams <= dictionary_words()


def _refuse(*_args, **_kwargs):
    raise AssertionError("jieba used at prediction time")


def test_prediction_needs_no_jieba(trained, tmp_path, monkeypatch):
    # Given a saved default model and the expected answers
    save_model(trained, tmp_path)
    texts, _ = make_corpus(5, seed=3)
    expected = trained.predict_proba(texts)

    # When jieba and its dictionary are unusable
    monkeypatch.setattr(jieba, "lcut", _refuse)
    monkeypatch.setattr(jieba, "cut", _refuse)
    monkeypatch.setattr(jieba.dt, "initialize", _refuse)
    monkeypatch.setattr(features, "dictionary_words", _refuse)

    # Then loading and predicting still give the same answers
    loaded = load_model(tmp_path)
    np.testing.assert_array_equal(loaded.predict_proba(texts), expected)
    assert trained.predict_top(["公交线路太少"])[0][0][0] == "交通运输"


def test_model_saved_before_word_tokens_predicts_as_before():
    # Given a model directory written by the jieba-only code / When loading it
    model = load_model(JIEBA_V1 / "model")
    expected = json.loads((JIEBA_V1 / "expected.json").read_text("utf-8"))

    # Then it keeps jieba words and gives the very same margins, probabilities and top-3
    assert "word_tokens" not in model.params
    assert isinstance(model.features.vectorizers["word"], TfidfVectorizer)
    scores, _ = model.decision(expected["texts"])
    np.testing.assert_array_equal(scores, np.asarray(expected["scores"], dtype=scores.dtype))
    np.testing.assert_array_equal(model.predict_proba(expected["texts"]), expected["probabilities"])
    top = [[[label, probability] for label, probability in row] for row in expected["top"]]
    assert [[list(pair) for pair in row] for row in model.predict_top(expected["texts"])] == top


def test_jieba_word_space_still_trains_saves_and_loads(corpus, tmp_path):
    # Given a model asking for jieba words
    texts, labels = corpus
    model = train_classifier(texts, labels, params={"word_tokens": "jieba"})

    # When saving and loading it
    save_model(model, tmp_path)
    loaded = load_model(tmp_path)

    # Then it is a jieba word space with identical predictions
    assert isinstance(loaded.features.vectorizers["word"], TfidfVectorizer)
    probe, _ = make_corpus(3, seed=5)
    np.testing.assert_array_equal(loaded.predict_proba(probe), model.predict_proba(probe))


def test_unknown_word_tokens_are_refused():
    with pytest.raises(ValueError, match="word_tokens"):
        build_vectorizer("word", {"word_tokens": "spaces"})
