from __future__ import annotations

import re
import unicodedata

import numpy as np

from minsheng.triage.duplicates.text import (
    exact_key,
    normalise,
    normalise_many,
    shingle_hashes,
    shingle_hashes_many,
    stable_key,
)


def test_normalise_folds_width_case_space_and_punctuation():
    # given a body with full-width letters, tabs, newlines and punctuation
    text = "ＡＢＣ市\t小区，垃圾！\n没人  管？"
    # when it is normalised
    folded = normalise(text)
    # then only lower-case letters and digits remain
    assert folded == "abc市小区垃圾没人管"


def test_exact_key_is_equal_for_equal_normalised_text_only():
    # given two reposts that differ only in punctuation, and a third that differs in a word
    first, second, other = normalise("路灯坏了，请修。"), normalise("路灯坏了 请修"), "路灯好了请修"
    # then the first two share a key and the third does not
    assert exact_key(normalised=first) == exact_key(normalised=second)
    assert exact_key(normalised=first) != exact_key(normalised=other)


def test_shingle_hashes_are_distinct_character_trigrams():
    # given a text with a repeated trigram
    hashes = shingle_hashes(normalised="abcabc")
    # then each distinct 3-gram (abc, bca, cab) is hashed once
    assert len(hashes) == 3
    assert hashes.dtype.name == "uint32"


def test_short_and_empty_texts():
    # a text shorter than a shingle still has one shingle; an empty text has none
    assert len(shingle_hashes(normalised="ab")) == 1
    assert len(shingle_hashes(normalised="")) == 0


def test_stable_key_zero_means_none():
    assert stable_key(None) == 0
    assert stable_key("") == 0
    assert stable_key("user-1") == stable_key("user-1") != 0


def test_bulk_normalise_equals_one_by_one_and_the_definition():
    # given texts with full-width letters, symbols with a compatibility form, punctuation
    texts = [
        "ＡＢＣ市\t小区，垃圾！",
        "面积100㎡，温度30℃",
        "",
        "  ，。",
        "路灯坏了 请修_理",
        "Ⅻ号楼",
    ]
    # when normalised in bulk
    bulk = normalise_many(texts)
    # then each equals NFKC + lower case with everything but letters and digits removed
    for text, folded in zip(texts, bulk, strict=True):
        expected = re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).lower())
        assert folded == expected == normalise(text)


def test_bulk_shingles_do_not_cross_from_one_text_into_the_next():
    # given texts of every short length and a longer one
    texts = ["", "a", "ab", "abc", "abcd", "xyzxyz", "小区垃圾没人管"]
    # when hashed in bulk
    hashes, bounds = shingle_hashes_many(texts)
    # then each text's slice holds exactly its own distinct shingles
    assert bounds[0] == 0
    assert bounds[-1] == len(hashes)
    for i, text in enumerate(texts):
        own = np.unique(hashes[bounds[i] : bounds[i + 1]])
        assert own.tolist() == shingle_hashes(normalised=text).tolist()
    # and the count per text is its number of windows (one for a short non-empty text)
    assert np.diff(bounds).tolist() == [0, 1, 1, 1, 2, 4, 5]
