"""A vectorised character n-gram TF-IDF, numerically the same as scikit-learn's.

`TfidfVectorizer(analyzer="char")` builds every n-gram as a Python string and looks it up
in a dict: about 1 ms per message here, twice the whole prediction budget. Encoding each
n-gram as one int64 (21 bits per code point) lets numpy count a whole batch at once, and
the vocabulary becomes a sorted integer array that `numpy.save` stores without pickle.

Four code points do not fit in 63 bits, so 4-grams number the characters instead: the
fitted `alphabet` (sorted code points of the training texts) gives each one a 15-bit index,
and characters outside it make any n-gram holding them unknown, as an unseen n-gram is.

`fit(texts, keep=...)` keeps only the n-grams a set or predicate accepts, e.g. dictionary
words: the vocabulary is filtered once, and `transform` stays a pure numpy lookup.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any, TypeAlias

import numpy as np
import scipy.sparse as sp

_BITS = 21  # every Unicode code point fits in 21 bits, so three fit in an int64
_ALPHABET_BITS = 15  # with a fitted alphabet: four indices of 15 bits fit in an int64
_SEPARATOR = 0  # NUL never survives normalisation, so it marks text boundaries
MAX_NGRAM = 4

Keep: TypeAlias = Collection[str] | Callable[[str], bool]


class CharNgramTfidf:
    """Sublinear-tf, smooth-idf, L2-normalised TF-IDF over character n-grams."""

    def __init__(
        self,
        *,
        ngram_range: tuple[int, int] = (1, 3),
        min_df: int = 2,
        keys: np.ndarray[Any, Any] | None = None,
        idf: np.ndarray[Any, Any] | None = None,
        alphabet: np.ndarray[Any, Any] | None = None,
    ):
        low, high = ngram_range
        if not 1 <= low <= high <= MAX_NGRAM:
            raise ValueError(f"character n-grams must lie between 1 and {MAX_NGRAM}")
        self.ngram_range = (low, high)
        self.min_df = min_df
        self.keys = keys if keys is not None else np.zeros(0, dtype=np.int64)
        self.idf = idf if idf is not None else np.zeros(0, dtype=np.float64)
        self.alphabet = alphabet if alphabet is not None else np.zeros(0, dtype=np.int64)

    @property
    def uses_alphabet(self) -> bool:
        """Whether keys hold alphabet indices (n-grams longer than 3) or code points."""
        return self.ngram_range[1] > 3

    @property
    def n_features(self) -> int:
        """Width of the matrices `transform` returns."""
        return len(self.keys)

    def fit(self, texts: Sequence[str], *, keep: Keep | None = None) -> CharNgramTfidf:
        """Keep n-grams found in at least `min_df` texts; idf as scikit-learn computes it.

        With `keep` (a set of strings or a predicate), only the n-grams it accepts become
        features; texts are lower-cased first, so should its strings be.
        """
        if self.uses_alphabet:
            self.alphabet = _alphabet_of(texts)
        rows, keys = self._ngrams(texts)
        order = np.lexsort((rows, keys))
        rows, keys = rows[order], keys[order]
        first = np.ones(len(keys), dtype=bool)
        first[1:] = (keys[1:] != keys[:-1]) | (rows[1:] != rows[:-1])
        vocabulary, document_frequency = np.unique(keys[first], return_counts=True)
        kept = document_frequency >= self.min_df
        if keep is not None:
            accepts = keep if callable(keep) else keep.__contains__
            kept[kept] = [accepts(ngram) for ngram in self.ngrams_of(vocabulary[kept])]
        self.keys = vocabulary[kept]
        self.idf = np.log((1 + len(texts)) / (1 + document_frequency[kept])) + 1.0
        return self

    def ngrams_of(self, keys: np.ndarray[Any, Any]) -> list[str]:
        """The strings that `keys` (e.g. `self.keys`) encode."""
        bits = _ALPHABET_BITS if self.uses_alphabet else _BITS
        high = self.ngram_range[1]
        # Least significant group first: the string comes out reversed, padded with NULs
        # that numpy's fixed-width unicode dtype drops.
        groups = np.stack(
            [(keys >> (bits * place)) & ((1 << bits) - 1) for place in range(high)], axis=1
        )
        if self.uses_alphabet:
            lookup = np.concatenate([[_SEPARATOR], self.alphabet])
            groups = lookup[groups]
        strings = np.ascontiguousarray(groups, dtype="<u4").view(f"<U{high}").ravel()
        return [reversed_ngram[::-1] for reversed_ngram in strings.tolist()]

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """One L2-normalised row per text (all zero when no n-gram is known)."""
        rows, keys = self._ngrams(texts)
        width = len(self.keys)
        if width == 0 or len(keys) == 0:
            return sp.csr_matrix((len(texts), width), dtype=np.float32)
        columns = np.minimum(np.searchsorted(self.keys, keys), width - 1)
        known = self.keys[columns] == keys
        # One sort counts every (row, column) pair and leaves them in CSR order; building
        # the matrix directly avoids scipy's per-call overhead on single messages.
        cells, counts = np.unique(rows[known] * width + columns[known], return_counts=True)
        cell_rows, cell_columns = np.divmod(cells, width)
        data = (np.log(counts) + 1.0) * self.idf[cell_columns]
        norms = np.sqrt(np.bincount(cell_rows, weights=data * data, minlength=len(texts)))
        data /= norms[cell_rows]
        indptr = np.searchsorted(cell_rows, np.arange(len(texts) + 1))
        return sp.csr_matrix(
            (data.astype(np.float32), cell_columns, indptr), shape=(len(texts), width)
        )

    def _ngrams(self, texts: Sequence[str]) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        """(row, key) for every n-gram occurrence; n-grams never span two texts."""
        codes = _codes(texts)
        boundary = codes == _SEPARATOR
        row_of = np.cumsum(boundary) - boundary
        bits = _BITS
        if self.uses_alphabet:
            # Index 0 marks boundaries and characters outside the alphabet alike: no
            # n-gram holding either is counted.
            bits = _ALPHABET_BITS
            if len(self.alphabet) == 0:
                codes = np.zeros_like(codes)
            else:
                index = np.searchsorted(self.alphabet, codes)
                index = np.minimum(index, len(self.alphabet) - 1)
                codes = np.where(self.alphabet[index] == codes, index + 1, _SEPARATOR)
        low, high = self.ngram_range
        all_rows: list[np.ndarray[Any, Any]] = []
        all_keys: list[np.ndarray[Any, Any]] = []
        for size in range(low, high + 1):
            if len(codes) < size:
                continue
            span = len(codes) - size + 1
            key = codes[:span].copy()
            valid = key != _SEPARATOR
            for offset in range(1, size):
                following = codes[offset : offset + span]
                key = (key << bits) | following
                valid &= following != _SEPARATOR
            all_rows.append(row_of[:span][valid])
            all_keys.append(key[valid])
        if not all_keys:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(all_rows), np.concatenate(all_keys)


def _codes(texts: Sequence[str]) -> np.ndarray[Any, Any]:
    """Code points of the lower-cased texts, each followed by a separator."""
    joined = "\0".join(text.lower() for text in texts) + "\0"
    return np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)


def _alphabet_of(texts: Sequence[str]) -> np.ndarray[Any, Any]:
    """Sorted code points of `texts`; the most frequent ones if there are too many."""
    characters, counts = np.unique(_codes(texts), return_counts=True)
    present = characters != _SEPARATOR
    characters, counts = characters[present], counts[present]
    room = (1 << _ALPHABET_BITS) - 1  # index 0 is the separator
    if len(characters) > room:
        characters = np.sort(characters[np.argsort(-counts, kind="stable")[:room]])
    return characters.astype(np.int64)
