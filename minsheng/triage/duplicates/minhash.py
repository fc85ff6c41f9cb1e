"""MinHash signatures and LSH band keys, vectorised with numpy.

Each of `num_perm` hash functions is a random affine map of the (already well mixed)
32-bit shingle hash, ``(a * x + b) mod 2**32`` with odd ``a``: a bijection, computed in
uint32 so numpy moves half the bytes of a 64-bit scheme. The minimum per function is
scrambled and kept as 16 bits ("b-bit MinHash"): two different minima collide with
probability 2**-16, which barely moves the Jaccard estimate and halves the memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

SIGNATURE_DTYPE = np.uint16
_BAND_MIX = np.uint64(0x9E3779B97F4A7C15)
_SPLIT_B = np.uint64(0xBF58476D1CE4E5B9)
_SPLIT_C = np.uint64(0x94D049BB133111EB)
# Shingles hashed per numpy call when signing many texts; bounds the (num_perm, chunk)
# uint32 temporary to ~32 MB at 128 permutations.
_CHUNK = 65_536


@dataclass(frozen=True)
class MinHasher:
    """Signs shingle-hash sets and cuts signatures into LSH bands.

    `bands * rows` must equal `num_perm`. With 32 bands of 4 rows a pair at Jaccard 0.5
    becomes a candidate with probability 0.87, at 0.6 with 0.99, at 0.2 with 0.05.
    """

    num_perm: int = 128
    bands: int = 32
    seed: int = 20_260_501
    _a: npt.NDArray[np.uint32] = field(init=False, repr=False)
    _b: npt.NDArray[np.uint32] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.num_perm % self.bands:
            raise ValueError("num_perm must be a multiple of bands")
        if self.rows > 4:
            raise ValueError("a band packs at most 4 16-bit rows into one 64-bit key")
        rng = np.random.default_rng(self.seed)
        a = rng.integers(1, 2**63, size=self.num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(
            1
        )
        b = rng.integers(0, 2**63, size=self.num_perm, dtype=np.uint64)
        object.__setattr__(self, "_a", a[:, None])
        object.__setattr__(self, "_b", b[:, None])

    @property
    def rows(self) -> int:
        """Rows (signature positions) per band."""
        return self.num_perm // self.bands

    def sign(self, shingles: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint16]:
        """Signature of one shingle set; an empty set signs as all-ones (matches nothing real)."""
        if len(shingles) == 0:
            return np.full(self.num_perm, np.iinfo(SIGNATURE_DTYPE).max, dtype=SIGNATURE_DTYPE)
        hashed = self._a * shingles[None, :] + self._b
        return _fold(hashed.min(axis=1))

    def sign_many(self, shingle_sets: list[npt.NDArray[np.uint32]]) -> npt.NDArray[np.uint16]:
        """Signatures of many shingle sets, one row each; one numpy pass per chunk."""
        out = np.full(
            (len(shingle_sets), self.num_perm), np.iinfo(SIGNATURE_DTYPE).max, SIGNATURE_DTYPE
        )
        start = 0
        while start < len(shingle_sets):
            stop, total = start, 0
            while stop < len(shingle_sets) and (
                total == 0 or total + len(shingle_sets[stop]) <= _CHUNK
            ):
                total += len(shingle_sets[stop])
                stop += 1
            sizes = np.array([len(s) for s in shingle_sets[start:stop]], dtype=np.int64)
            nonempty = np.flatnonzero(sizes)
            if len(nonempty):
                flat = np.concatenate([shingle_sets[start + i] for i in nonempty])
                hashed = self._a * flat[None, :] + self._b
                offsets = np.concatenate([[0], np.cumsum(sizes[nonempty])[:-1]])
                minima = np.minimum.reduceat(hashed, offsets, axis=1)
                out[start + nonempty] = _fold(minima.T)
            start = stop
        return out

    def band_keys(self, signatures: npt.NDArray[np.uint16]) -> npt.NDArray[np.uint64]:
        """One 64-bit key per (signature, band): the band's rows packed, mixed with the band index.

        Accepts one signature (returns shape ``(bands,)``) or a matrix (``(n, bands)``).
        """
        sigs = np.atleast_2d(signatures).reshape(-1, self.bands, self.rows).astype(np.uint64)
        packed = np.zeros(sigs.shape[:2], dtype=np.uint64)
        for row in range(self.rows):
            packed |= sigs[:, :, row] << np.uint64(16 * row)
        mixed = packed + np.arange(self.bands, dtype=np.uint64)[None, :] * _BAND_MIX
        mixed = (mixed ^ (mixed >> np.uint64(30))) * _SPLIT_B
        mixed = (mixed ^ (mixed >> np.uint64(27))) * _SPLIT_C
        mixed ^= mixed >> np.uint64(31)
        keys: npt.NDArray[np.uint64] = mixed[0] if signatures.ndim == 1 else mixed
        return keys


def _fold(minima: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint16]:
    """16 well-spread bits of each 32-bit minimum (its low bits alone are weak for affine maps)."""
    mixed = minima * np.uint32(0x85EBCA6B)
    mixed ^= mixed >> np.uint32(13)
    mixed *= np.uint32(0xC2B2AE35)
    folded: npt.NDArray[np.uint16] = (mixed >> np.uint32(16)).astype(SIGNATURE_DTYPE)
    return folded


def estimated_jaccard(
    signature: npt.NDArray[np.uint16], others: npt.NDArray[np.uint16]
) -> npt.NDArray[np.float64]:
    """Share of agreeing positions between one signature and each row of `others`."""
    if len(others) == 0:
        return np.zeros(0)
    agreement: npt.NDArray[np.float64] = (others == signature[None, :]).mean(axis=1)
    return agreement
