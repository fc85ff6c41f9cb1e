"""CharNgramTfidf matches scikit-learn's char TF-IDF, only faster."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from minsheng.triage.classifier.charngrams import CharNgramTfidf
from minsheng.triage.tests.classifier.conftest import make_corpus


def _key(ngram: str) -> int:
    value = 0
    for character in ngram:
        value = (value << 21) | ord(character)
    return value


def test_same_matrix_as_scikit_learn():
    # Given texts with CJK, ASCII in mixed case, emoji and an empty string
    texts, _ = make_corpus(5)
    texts += ["Bus 12路", "", "😀学校😀", "bus"]

    # When fitting both vectorizers
    reference = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2)
    expected = reference.fit_transform(texts).toarray()
    ours = CharNgramTfidf(ngram_range=(1, 3), min_df=2).fit(texts)

    # Then the vocabularies and the TF-IDF values agree
    ngrams = sorted(reference.vocabulary_, key=reference.vocabulary_.__getitem__)
    columns = np.searchsorted(ours.keys, [_key(ngram) for ngram in ngrams])
    assert ours.n_features == len(ngrams)
    np.testing.assert_allclose(ours.transform(texts)[:, columns].toarray(), expected, atol=1e-6)


def test_unknown_or_empty_texts_give_zero_rows():
    # Given a vectorizer fitted on Chinese text
    vectorizer = CharNgramTfidf(min_df=1).fit(["学校老师", "公交线路"])

    # When transforming unseen scripts and empty text
    matrix = vectorizer.transform(["", "😀", "abc", "学校"])

    # Then only the known text has features
    assert list(np.diff(matrix.indptr) > 0) == [False, False, False, True]


def test_empty_vocabulary_is_harmless():
    vectorizer = CharNgramTfidf(min_df=5).fit(["一", "二"])
    assert vectorizer.transform(["一二"]).shape == (1, 0)
