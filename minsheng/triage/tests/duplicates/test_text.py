from __future__ import annotations

from minsheng.triage.duplicates.text import exact_key, normalise, shingle_hashes, stable_key


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
