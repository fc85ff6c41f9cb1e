"""Normalised text, character shingles and the exact-duplicate key.

Chinese has no spaces, so shingles are overlapping character n-grams of the normalised
text. Shingle hashes are computed with numpy over the code points, not per Python string,
because signatures for a million clues are built from them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np
import numpy.typing as npt

SHINGLE_SIZE = 3

# Everything but letters and digits: whitespace, punctuation, symbols, controls, underscore.
_NOT_WORD = re.compile(r"[\W_]+")
_MASK64 = (1 << 64) - 1
# Odd 64-bit multipliers (from splitmix64) that spread code points before the n-gram mix.
_MIX_A = np.uint64(0x9E3779B97F4A7C15)
_MIX_B = np.uint64(0xBF58476D1CE4E5B9)
_MIX_C = np.uint64(0x94D049BB133111EB)


def normalise(text: str) -> str:
    """NFKC, lower case, letters and digits only (no whitespace, punctuation or symbols).

    Reposts differ in full- versus half-width characters, stray tabs and punctuation; none
    of that should make two bodies look different.
    """
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).lower())


def exact_key(*, normalised: str) -> int:
    """64-bit hash of normalised text; equal keys mean identical bodies.

    blake2b rather than `hash()` so keys survive a restart and can be saved.
    """
    digest = hashlib.blake2b(normalised.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def shingle_hashes(*, normalised: str, size: int = SHINGLE_SIZE) -> npt.NDArray[np.uint32]:
    """Distinct 32-bit hashes of the character `size`-grams of normalised text.

    A text shorter than `size` yields one shingle (the whole text), so short titles still
    have a signature; empty text yields none.
    """
    if not normalised:
        return np.zeros(0, dtype=np.uint32)
    points = np.frombuffer(normalised.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(points) < size:
        points = np.concatenate([points, np.zeros(size - len(points), dtype=np.uint64)])
    windows = len(points) - size + 1
    mixed = np.zeros(windows, dtype=np.uint64)
    for offset in range(size):
        mixed = (mixed ^ points[offset : offset + windows]) * _MIX_A
        mixed ^= mixed >> np.uint64(29)
    mixed = (mixed ^ (mixed >> np.uint64(31))) * _MIX_B
    mixed = (mixed ^ (mixed >> np.uint64(27))) * _MIX_C
    return np.unique((mixed >> np.uint64(32)).astype(np.uint32))


def stable_key(value: str | None) -> int:
    """64-bit key of a complainant id or group name; 0 means none."""
    if value is None or value == "":
        return 0
    key = exact_key(normalised=value) & _MASK64
    return key or 1
