from __future__ import annotations

import numpy as np
import pytest

from minsheng.triage.duplicates.minhash import MinHasher, estimated_jaccard


def _sets(overlap: int, each: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    pool = rng.choice(2**32 - 1, size=2 * each, replace=False).astype(np.uint32)
    a = pool[:each]
    b = np.concatenate([pool[:overlap], pool[each : 2 * each - overlap]])
    return a, b


@pytest.mark.parametrize("overlap", [50, 100, 150])
def test_estimate_is_close_to_true_jaccard(overlap):
    # given two shingle sets of 200 with a known overlap
    a, b = _sets(overlap, 200, seed=overlap)
    true = overlap / (400 - overlap)
    hasher = MinHasher()
    # when both are signed
    estimate = estimated_jaccard(hasher.sign(a), hasher.sign(b)[None, :])[0]
    # then the estimate is within four standard errors of sqrt(J(1-J)/128)
    assert abs(estimate - true) < 4 * (true * (1 - true) / 128) ** 0.5


def test_sign_many_equals_sign_one_by_one():
    # given several sets, one empty
    rng = np.random.default_rng(1)
    sets = [rng.integers(0, 2**32, size=n, dtype=np.uint32) for n in (5, 0, 300, 1)]
    hasher = MinHasher()
    # when signed in bulk and singly
    many = hasher.sign_many(sets)
    # then the rows agree
    for row, shingles in zip(many, sets, strict=True):
        assert (row == hasher.sign(shingles)).all()


def test_band_keys_shape_and_band_index_matters():
    # given a signature whose bands are all identical
    hasher = MinHasher(num_perm=8, bands=2)
    signature = np.array([1, 2, 3, 4, 1, 2, 3, 4], dtype=np.uint16)
    keys = hasher.band_keys(signature)
    # then there is one key per band, and equal band contents in different bands differ
    assert keys.shape == (2,)
    assert keys[0] != keys[1]
    assert hasher.band_keys(signature[None, :]).shape == (1, 2)


def test_rejects_bands_that_do_not_divide_or_pack():
    with pytest.raises(ValueError, match="multiple"):
        MinHasher(num_perm=10, bands=3)
    with pytest.raises(ValueError, match="at most 4"):
        MinHasher(num_perm=16, bands=2)


def test_sign_flat_equals_sign_and_fills_every_bin():
    # given sets of very different sizes, including one shingle and none
    rng = np.random.default_rng(3)
    sets = [rng.integers(0, 2**32, size=n, dtype=np.uint32) for n in (1, 3, 40, 400, 0)]
    hasher = MinHasher()
    bounds = np.concatenate([[0], np.cumsum([len(s) for s in sets])]).astype(np.int64)
    # when signed from one flat array
    flat = hasher.sign_flat(np.concatenate(sets), bounds)
    # then rows equal one-by-one signing; a one-shingle set fills every bin with its value
    for row, shingles in zip(flat, sets, strict=True):
        assert (row == hasher.sign(shingles)).all()
    assert len(set(flat[0].tolist())) == 1
    assert (flat[4] == np.iinfo(np.uint16).max).all()


def test_identical_sets_agree_everywhere_and_disjoint_sets_almost_nowhere():
    a, b = _sets(0, 200, seed=9)
    hasher = MinHasher()
    assert estimated_jaccard(hasher.sign(a), hasher.sign(a.copy())[None, :])[0] == 1.0
    assert estimated_jaccard(hasher.sign(a), hasher.sign(b)[None, :])[0] < 0.05


def test_band_keys_are_32_bit():
    hasher = MinHasher()
    keys = hasher.band_keys(hasher.sign(np.arange(50, dtype=np.uint32)))
    assert keys.dtype == np.uint32
