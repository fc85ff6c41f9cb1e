"""The two reference pipelines every number is compared against (issue 3, "Targets").

char-SVM: character 1-3-gram TF-IDF + linear SVM; jieba-NB: jieba words + multinomial
naive Bayes, as in the public competition solutions. They ignore unlabelled texts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import jieba
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.svm import LinearSVC

from minsheng.triage.classifier.features import clean_text


class BaselineModel:
    """A scikit-learn pipeline over normalised texts."""

    def __init__(self, pipeline: Pipeline):
        self.pipeline = pipeline

    def predict(self, texts: Sequence[str]) -> list[str]:
        """Most likely label of each text."""
        return [str(label) for label in self.pipeline.predict([clean_text(t) for t in texts])]


def _words(text: str) -> list[str]:
    return [word for word in jieba.lcut(text) if word.strip()]


def train_char_svm(texts: Sequence[str], labels: Sequence[str], **_ignored: Any) -> BaselineModel:
    """Character 1-3-gram TF-IDF (sublinear) + LinearSVC."""
    pipeline = make_pipeline(
        TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2),
        LinearSVC(C=1.0),
    )
    return _fit(pipeline, texts, labels)


def train_jieba_nb(texts: Sequence[str], labels: Sequence[str], **_ignored: Any) -> BaselineModel:
    """jieba words TF-IDF + MultinomialNB."""
    pipeline = make_pipeline(
        TfidfVectorizer(tokenizer=_words, token_pattern=None, lowercase=False),
        MultinomialNB(alpha=0.01),
    )
    return _fit(pipeline, texts, labels)


def _fit(pipeline: Pipeline, texts: Sequence[str], labels: Sequence[str]) -> BaselineModel:
    rows = [(clean_text(text), label) for text, label in zip(texts, labels, strict=True) if label]
    pipeline.fit([text for text, _ in rows], [label for _, label in rows])
    return BaselineModel(pipeline)


TRAINERS: Mapping[str, Any] = {"char-svm": train_char_svm, "jieba-nb": train_jieba_nb}
