"""Text normalisation and the TF-IDF feature spaces of the category classifier.

Character n-grams need no segmentation and survive typos; dictionary words add whole-term
evidence ("公积金", "拆迁"). The title says what the message is about in a few words, so
it gets its own space rather than being drowned by a long body.

The word space has two forms (params["word_tokens"]): "dictionary", the title's character
2-4-grams that are words of jieba's dictionary (jieba is read once when fitting, never when
predicting), and "jieba", the words of jieba's segmentation (about 0.3 ms per title at
prediction time; models saved before "word_tokens" existed use it).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any, TypeAlias

import jieba
import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from minsheng.triage.classifier.charngrams import MAX_NGRAM, CharNgramTfidf
from minsheng.triage.text import normalise

jieba.setLogLevel(60)  # jieba prints its dictionary loading to stderr otherwise

# Features look at the beginning of long messages only: it keeps prediction fast and the
# topic of a complaint is stated early. Longer texts are cut (and reported by `normalise`).
MAX_FEATURE_CHARS = 400


def clean_text(text: str) -> str:
    """Normalised title and body (joined by a newline), cut to the feature budget."""
    title, _, body = (text or "").partition("\n")
    title = normalise(title, max_chars=MAX_FEATURE_CHARS).text
    body = normalise(body, max_chars=MAX_FEATURE_CHARS).text if body else ""
    return f"{title}\n{body}" if body else title


def split_title(text: str) -> tuple[str, str]:
    """Title and body of a `join_message` text (the title is the first line)."""
    title, _, body = text.partition("\n")
    return title, body


def jieba_tokens(text: str) -> list[str]:
    """Words of two or more characters; single characters are covered by char n-grams.

    HMM discovery of unknown words is off: it doubles segmentation time for little gain.
    """
    return [word for word in jieba.lcut(text, HMM=False) if len(word.strip()) > 1]


@cache
def dictionary_words() -> frozenset[str]:
    """Lower-cased words of 2-4 characters in jieba's main dictionary (frequency > 0)."""
    jieba.dt.initialize()
    return frozenset(
        word.lower()
        for word, frequency in jieba.dt.FREQ.items()
        if frequency > 0 and 2 <= len(word) <= MAX_NGRAM
    )


def word_tokens(params: dict[str, Any]) -> str:
    """How the word space finds words; "jieba" for models saved before the option."""
    tokens = str(params.get("word_tokens", "jieba"))
    if tokens not in WORD_TOKENS:
        raise ValueError(f"unknown word_tokens {tokens!r}")
    return tokens


def _identity(tokens: list[str]) -> list[str]:
    return tokens


SPACE_NAMES = ("char", "word", "title")
WORD_TOKENS = ("dictionary", "jieba")
Vectorizer: TypeAlias = CharNgramTfidf | TfidfVectorizer


def build_vectorizer(name: str, params: dict[str, Any]) -> Vectorizer:
    """An unfitted vectorizer for one feature space; `params` come from the model's JSON."""
    min_df = int(params.get("min_df", 2))
    if name in {"char", "title"}:
        low, high = params.get(f"{name}_ngrams", (1, 3))
        return CharNgramTfidf(ngram_range=(int(low), int(high)), min_df=min_df)
    if name == "word" and word_tokens(params) == "dictionary":
        low, high = params.get("word_chars", (2, 4))
        return CharNgramTfidf(ngram_range=(int(low), int(high)), min_df=min_df)
    if name == "word":
        low, high = params.get("word_ngrams", (1, 1))
        words: Vectorizer = TfidfVectorizer(
            analyzer="word",
            tokenizer=_identity,
            preprocessor=_identity,
            token_pattern=None,
            lowercase=False,
            ngram_range=(int(low), int(high)),
            sublinear_tf=True,
            min_df=min_df,
            dtype=np.float32,
        )
        return words
    raise ValueError(f"unknown feature space {name!r}")


def space_inputs(name: str, cleaned: Sequence[str], params: dict[str, Any]) -> list[Any]:
    """What each space's vectorizer reads: the text's head, its title, or the title's words.

    Words come from the title only (`word_source`); the body is covered by character
    n-grams of its first `body_chars`. Dictionary words are character n-grams of the same
    text, so that space reads the text itself; jieba's words are segmented here.
    """
    if name == "char":
        limit = int(params.get("body_chars", MAX_FEATURE_CHARS))
        return [text[:limit] for text in cleaned]
    if name == "title":
        return [split_title(text)[0] for text in cleaned]
    sources = cleaned
    if params.get("word_source", "title") == "title":
        sources = [split_title(text)[0] for text in cleaned]
    if word_tokens(params) == "dictionary":
        return list(sources)
    return [jieba_tokens(text) for text in sources]


def fit_vectorizer(name: str, cleaned: Sequence[str], params: dict[str, Any]) -> Vectorizer:
    """A vectorizer for one space fitted on already cleaned texts."""
    vectorizer = build_vectorizer(name, params)
    inputs = space_inputs(name, cleaned, params)
    if name == "word" and isinstance(vectorizer, CharNgramTfidf):
        vectorizer.fit(inputs, keep=dictionary_words())
    else:
        vectorizer.fit(inputs)
    return vectorizer


class FeatureSpaces:
    """Fitted vectorizers with per-space weights; rows of the stacked matrix are L2-ish."""

    def __init__(
        self,
        vectorizers: dict[str, Vectorizer],
        weights: dict[str, float],
        params: dict[str, Any],
    ):
        self.vectorizers = vectorizers
        self.weights = weights
        self.params = params

    @classmethod
    def fit(cls, cleaned: Sequence[str], params: dict[str, Any]) -> FeatureSpaces:
        """Fit every space named in `params["spaces"]` (a name → weight mapping)."""
        weights: dict[str, float] = dict(params["spaces"])
        vectorizers: dict[str, Vectorizer] = {}
        for name in weights:
            vectorizers[name] = fit_vectorizer(name, cleaned, params)
        return cls(vectorizers, weights, params)

    def transform(self, cleaned: Sequence[str]) -> sp.csr_matrix:
        """Stacked, weighted TF-IDF rows for already cleaned texts."""
        blocks = [
            self.vectorizers[name].transform(space_inputs(name, cleaned, self.params)) * weight
            for name, weight in self.weights.items()
        ]
        return sp.csr_matrix(sp.hstack(blocks, format="csr"))
