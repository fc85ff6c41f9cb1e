"""Normalised text, character shingles and the exact-duplicate key.

Chinese has no spaces, so shingles are overlapping character n-grams of the normalised
text. Shingle hashes are computed with numpy over the code points, not per Python string,
because signatures for a million clues are built from them.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Sequence

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
    return normalise_many([text])[0]


def normalise_many(texts: Sequence[str]) -> list[str]:
    """`normalise` for many texts, with the character filter done in one numpy pass.

    Calling `unicodedata.normalize` on raw Chinese text costs ~70 µs (full-width
    punctuation defeats its quick check); filtering first leaves text that is almost always
    NFKC already, which the quick check confirms in ~1 µs. The filter keeps letters and
    digits, combining marks (so NFKC can still compose them) and symbols whose NFKC form
    holds a letter or digit (㎡ → m2); the per-text steps then redo the exact definition
    on whatever is not plain already.
    """
    if not texts:
        return []
    keep = _keep_table()
    joined = "".join(texts)
    points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    kept = keep[points]
    lengths = np.fromiter((len(t) for t in texts), np.int64, len(texts))
    owner = np.repeat(np.arange(len(texts)), lengths)
    kept_lengths = np.bincount(owner[kept], minlength=len(texts)).tolist()
    filtered = points[kept].tobytes().decode("utf-32-le")
    out: list[str] = []
    position = 0
    for length in kept_lengths:
        piece = filtered[position : position + length]
        position += length
        if not piece.isascii():
            if not unicodedata.is_normalized("NFKC", piece):
                piece = _NOT_WORD.sub("", unicodedata.normalize("NFKC", piece))
            piece = piece.lower()
            if not piece.isalnum():
                piece = _NOT_WORD.sub("", piece)
        else:
            piece = piece.lower()
        out.append(piece)
    return out


@functools.cache
def _keep_table() -> npt.NDArray[np.bool_]:
    """Code points the bulk filter keeps (see `normalise_many`); built once, ~0.5 s."""
    table = np.zeros(0x110000, dtype=np.bool_)
    for point in range(0x110000):
        char = chr(point)
        compatible = unicodedata.decomposition(char) and any(
            c.isalnum() for c in unicodedata.normalize("NFKC", char)
        )
        if char.isalnum() or unicodedata.combining(char) or compatible:
            table[point] = True
    table[ord("_")] = False
    return table


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
    hashes, _ = shingle_hashes_many([normalised], size=size)
    return np.unique(hashes)


def shingle_hashes_many(
    normalised: Sequence[str], *, size: int = SHINGLE_SIZE
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    """Shingle hashes of many normalised texts in one numpy pass over their code points.

    Returns the hashes of all texts back to back (repeats within a text kept: a minimum
    does not care) and `bounds`, where text ``i`` owns ``hashes[bounds[i]:bounds[i + 1]]``.
    The texts are joined, the n-gram mix runs over the joined code points, and windows that
    cross from one text into the next are dropped. A text shorter than `size` is padded
    with NUL, which normalised text never contains, so it yields exactly one shingle.
    """
    padded = [t + "\0" * (size - len(t)) if 0 < len(t) < size else t for t in normalised]
    lengths = np.fromiter((len(t) for t in padded), np.int64, len(padded))
    counts = np.maximum(lengths - size + 1, 0)
    bounds = np.zeros(len(padded) + 1, np.int64)
    np.cumsum(counts, out=bounds[1:])
    total = int(lengths.sum())
    if total < size:
        return np.zeros(0, np.uint32), bounds
    points = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    windows = total - size + 1
    mixed = np.zeros(windows, dtype=np.uint64)
    for offset in range(size):
        mixed ^= points[offset : offset + windows]
        mixed *= _MIX_A
        mixed ^= mixed >> np.uint64(29)
    mixed ^= mixed >> np.uint64(31)
    mixed *= _MIX_B
    mixed ^= mixed >> np.uint64(27)
    mixed *= _MIX_C
    hashes = (mixed >> np.uint64(32)).astype(np.uint32)
    # Drop the windows that start in the last `size - 1` characters of a text: they run
    # into the next one (every non-empty text is at least `size` long after padding).
    ends = np.cumsum(lengths)[lengths > 0]
    crossing = (ends[:, None] - np.arange(1, size)[None, :]).ravel()
    mask = np.ones(windows, dtype=np.bool_)
    mask[crossing[crossing < windows]] = False
    return hashes[mask], bounds


def stable_key(value: str | None) -> int:
    """64-bit key of a complainant id or group name; 0 means none."""
    if value is None or value == "":
        return 0
    key = exact_key(normalised=value) & _MASK64
    return key or 1
