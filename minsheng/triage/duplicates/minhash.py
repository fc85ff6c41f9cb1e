"""MinHash signatures and LSH band keys, vectorised with numpy over many texts at once.

Signatures use one-permutation hashing with optimal densification (Li, Owen & Zhang 2012;
Shrivastava 2017) rather than `num_perm` separate hash functions: each shingle hash is
mixed once, its top bits pick one of `num_perm` bins and the rest is its value; a
signature position is the minimum value in its bin. Two texts agree on a position with
probability equal to their Jaccard similarity, as with classic MinHash, but signing costs
one hash per shingle instead of `num_perm` (a million clues sign in seconds, not minutes).
A bin that no shingle fell into borrows the value of the first non-empty bin along a
pseudo-random probe sequence that depends only on the bin and the seed, so two texts
borrow consistently.

Each minimum is scrambled and kept as 16 bits ("b-bit MinHash"): two different minima
collide with probability 2**-16, which barely moves the Jaccard estimate and halves memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

SIGNATURE_DTYPE = np.uint16
BAND_KEY_DTYPE = np.uint32
_EMPTY = np.uint32(0xFFFFFFFF)
_BAND_MIX = np.uint64(0x9E3779B97F4A7C15)
_SPLIT_B = np.uint64(0xBF58476D1CE4E5B9)
_SPLIT_C = np.uint64(0x94D049BB133111EB)
# Probes tried for an empty bin before falling back to the next non-empty bin to its right.
# Only texts with a handful of shingles get that far.
_PROBES = 64


@dataclass(frozen=True)
class MinHasher:
    """Signs shingle-hash sets and cuts signatures into LSH bands.

    `bands * rows` must equal `num_perm`. With 32 bands of 4 rows a pair at Jaccard 0.5
    becomes a candidate with probability 0.87, at 0.6 with 0.99, at 0.2 with 0.05.
    """

    num_perm: int = 128
    bands: int = 32
    seed: int = 20_260_501
    _salt: np.uint32 = field(init=False, repr=False)
    _probes: npt.NDArray[np.int64] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.num_perm % self.bands:
            raise ValueError("num_perm must be a multiple of bands")
        if self.rows > 4:
            raise ValueError("a band packs at most 4 16-bit rows into one 64-bit key")
        rng = np.random.default_rng(self.seed)
        object.__setattr__(self, "_salt", np.uint32(rng.integers(0, 2**32)))
        probes = rng.integers(0, self.num_perm, size=(_PROBES, self.num_perm), dtype=np.int64)
        object.__setattr__(self, "_probes", probes)

    @property
    def rows(self) -> int:
        """Rows (signature positions) per band."""
        return self.num_perm // self.bands

    def sign(self, shingles: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint16]:
        """Signature of one shingle set; an empty set signs as all-ones (matches nothing real)."""
        bounds = np.array([0, len(shingles)], dtype=np.int64)
        signature: npt.NDArray[np.uint16] = self.sign_flat(shingles, bounds)[0]
        return signature

    def sign_many(self, shingle_sets: list[npt.NDArray[np.uint32]]) -> npt.NDArray[np.uint16]:
        """Signatures of many shingle sets, one row each."""
        bounds = np.zeros(len(shingle_sets) + 1, dtype=np.int64)
        np.cumsum([len(s) for s in shingle_sets], out=bounds[1:])
        flat = np.concatenate(shingle_sets) if shingle_sets else np.zeros(0, np.uint32)
        return self.sign_flat(flat.astype(np.uint32, copy=False), bounds)

    def sign_flat(
        self, hashes: npt.NDArray[np.uint32], bounds: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.uint16]:
        """Signatures of texts whose shingle hashes lie back to back in `hashes`.

        Text ``i`` owns ``hashes[bounds[i]:bounds[i + 1]]``; repeats are harmless. This is
        the bulk path: a fixed number of numpy passes whatever the number of texts.
        """
        count = len(bounds) - 1
        k = self.num_perm
        mixed = _mix32(hashes ^ self._salt)
        bins = ((mixed.astype(np.uint64) * np.uint64(k)) >> np.uint64(32)).astype(np.int64)
        owner = np.repeat(np.arange(count, dtype=np.int64), np.diff(bounds))
        minima = np.full(count * k, _EMPTY, dtype=np.uint32)
        np.minimum.at(minima, owner * k + bins, mixed)
        table = minima.reshape(count, k)
        self._densify(table)
        out = np.full((count, k), np.iinfo(SIGNATURE_DTYPE).max, dtype=SIGNATURE_DTYPE)
        filled = table != _EMPTY
        out[filled] = _fold(table[filled])
        return out

    def _densify(self, table: npt.NDArray[np.uint32]) -> None:
        """Fill empty bins in place from non-empty ones (texts with no shingle stay empty)."""
        empty = table == _EMPTY
        has_any = ~empty.all(axis=1)
        docs, bins = np.nonzero(empty & has_any[:, None])
        if len(docs) == 0:
            return
        source = table.copy()
        for attempt in range(_PROBES):
            probe = self._probes[attempt, bins]
            values = source[docs, probe]
            found = values != _EMPTY
            table[docs[found], bins[found]] = values[found]
            docs, bins = docs[~found], bins[~found]
            if len(docs) == 0:
                return
        # Rare: a text with very few shingles. Take the next non-empty bin to the right.
        k = self.num_perm
        for doc, start in zip(docs.tolist(), bins.tolist(), strict=True):
            row = source[doc]
            for step in range(1, k):
                value = row[(start + step) % k]
                if value != _EMPTY:
                    table[doc, start] = value
                    break

    def band_keys(self, signatures: npt.NDArray[np.uint16]) -> npt.NDArray[np.uint32]:
        """One 32-bit key per (signature, band): the band's rows packed, mixed with the band.

        Accepts one signature (returns shape ``(bands,)``) or a matrix (``(n, bands)``).
        32 bits suffice: keys only select candidates, which are then scored on their
        signatures, so a rare chance collision costs one extra comparison.
        """
        sigs = np.atleast_2d(signatures).reshape(-1, self.bands, self.rows).astype(np.uint64)
        packed = np.zeros(sigs.shape[:2], dtype=np.uint64)
        for row in range(self.rows):
            packed |= sigs[:, :, row] << np.uint64(16 * row)
        mixed = packed + np.arange(self.bands, dtype=np.uint64)[None, :] * _BAND_MIX
        mixed = (mixed ^ (mixed >> np.uint64(30))) * _SPLIT_B
        mixed = (mixed ^ (mixed >> np.uint64(27))) * _SPLIT_C
        mixed ^= mixed >> np.uint64(31)
        keys = (mixed >> np.uint64(32)).astype(BAND_KEY_DTYPE)
        result: npt.NDArray[np.uint32] = keys[0] if signatures.ndim == 1 else keys
        return result


def _mix32(values: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    """murmur3's 32-bit finaliser: a bijection that spreads every input bit."""
    mixed = values ^ (values >> np.uint32(16))
    mixed *= np.uint32(0x85EBCA6B)
    mixed ^= mixed >> np.uint32(13)
    mixed *= np.uint32(0xC2B2AE35)
    mixed ^= mixed >> np.uint32(16)
    return mixed


def _fold(minima: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint16]:
    """16 well-spread bits of each 32-bit minimum.

    Minima of one bin share their top bits (the bin), so the value is remixed first.
    """
    folded: npt.NDArray[np.uint16] = (_mix32(minima) >> np.uint32(16)).astype(SIGNATURE_DTYPE)
    return folded


def estimated_jaccard(
    signature: npt.NDArray[np.uint16], others: npt.NDArray[np.uint16]
) -> npt.NDArray[np.float64]:
    """Share of agreeing positions between one signature and each row of `others`."""
    if len(others) == 0:
        return np.zeros(0)
    agreement: npt.NDArray[np.float64] = (others == signature[None, :]).mean(axis=1)
    return agreement
