"""`DuplicateIndex`: exact and near-duplicate lookup over clue texts with MinHash LSH.

Per clue the index keeps a 16-bit MinHash signature (2 bytes × `num_perm`), one 8-byte
entry per LSH band (32-bit key, 32-bit row), and 12-byte entries for the exact-text key and
the clue id, plus four 8-byte columns (id, exact key, complainant, group) and a live flag.
Nothing per clue is a Python object once merged, so a million clues fit in ~600 MB.

Why MinHash LSH rather than nearest neighbours on TF-IDF: measured on the same 100,000
synthetic clues (bench/triage_duplicates.py), a sparse TF-IDF cosine query took ~37 ms
and 3.7 kB per clue and grows linearly with the index, brute-force signature comparison
~16 ms, LSH ~0.6 ms; at 1,000,000 clues LSH stayed at p50 0.7 ms / p99 5 ms in 697 B per
clue, with recall ≥ 0.87 for pairs above Jaccard 0.4. Figures after the bulk build path
(one-permutation signatures, packed sorts) are in docs/benchmarks.md.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .minhash import SIGNATURE_DTYPE, MinHasher
from .multimap import ROW_DTYPE, SortedMultiMap
from .text import (
    SHINGLE_SIZE,
    exact_key,
    normalise_many,
    shingle_hashes_many,
    stable_key,
)

# 2: one-permutation signatures and 32-bit band keys (version 1 files cannot be read).
FORMAT_VERSION = 2
# Merge pending single adds into the sorted arrays after this many; keeps lookups O(log n).
_MERGE_EVERY = 20_000
# Verify at most this many candidates; rows that share more bands are kept first.
_MAX_CANDIDATES = 20_000
# A band bucket holding more rows than this is boilerplate, not evidence (see `lookup`).
MAX_BUCKET = 1_000
# Candidates compared per numpy pass when scoring (bounds the temporary matrix).
_SCORE_SLICE = 50_000
_ARRAYS = ("ids", "signatures", "complainants", "groups", "alive", "exact_keys")


@dataclass(frozen=True, slots=True)
class Match:
    """One indexed clue that resembles the query."""

    clue_id: int
    score: float  # estimated Jaccard of character shingles; 1.0 for exact bodies
    exact: bool  # identical normalised text
    same_complainant: bool = False


class DuplicateIndex:
    """Finds clues whose text is identical or nearly identical to a given text."""

    def __init__(
        self, *, hasher: MinHasher | None = None, shingle_size: int = SHINGLE_SIZE
    ) -> None:
        self.hasher = hasher or MinHasher()
        self.shingle_size = shingle_size
        self._size = 0
        self._cols: dict[str, npt.NDArray[np.generic]] = self._empty_columns(capacity=1024)
        self._bands = SortedMultiMap(key_dtype=np.uint32)
        self._exact = SortedMultiMap()
        self._by_id = SortedMultiMap()

    def __len__(self) -> int:
        return int(self._cols["alive"][: self._size].sum())

    def __contains__(self, clue_id: object) -> bool:
        return isinstance(clue_id, int) and self._row_of(clue_id) is not None

    # --- writes -------------------------------------------------------------------------

    def add(
        self,
        clue_id: int,
        text: str,
        *,
        group: str | None = None,
        complainant_key: str | None = None,
    ) -> None:
        """Index one clue, replacing an earlier text under the same id."""
        self.remove(clue_id)
        signatures, exact = self._sign([text])
        row = self._append(
            ids=np.array([clue_id], np.int64),
            signatures=signatures,
            exact_keys=exact,
            complainants=np.array([stable_key(complainant_key)], np.uint64),
            groups=np.array([stable_key(group)], np.uint64),
        )
        self._bands.add(keys=self.hasher.band_keys(signatures[0]), row=row)
        self._exact.add(keys=exact, row=row)
        self._by_id.add(keys=np.array([clue_id], np.int64).view(np.uint64), row=row)
        if self._bands.pending_size > _MERGE_EVERY * self.hasher.bands:
            self.merge()

    def add_many(
        self,
        items: Sequence[tuple[int, str]],
        *,
        groups: Sequence[str | None] | None = None,
        complainant_keys: Sequence[str | None] | None = None,
        chunk: int = 20_000,
    ) -> None:
        """Index many new clues (ids must not be indexed yet); the bulk build path.

        Texts are signed `chunk` at a time in a few numpy passes per chunk (see
        `shingle_hashes_many` and `MinHasher.sign_flat`), and the lookup tables are sorted
        once at the end.
        """
        if not items:
            return
        first = self._size
        self._reserve(self._size + len(items))
        for start in range(0, len(items), chunk):
            part = items[start : start + chunk]
            signatures, exact = self._sign([text for _, text in part])
            self._append(
                ids=np.fromiter((clue_id for clue_id, _ in part), np.int64, len(part)),
                signatures=signatures,
                exact_keys=exact,
                complainants=_keys(complainant_keys, start, len(part)),
                groups=_keys(groups, start, len(part)),
            )
        stop = self._size
        rows = np.arange(first, stop, dtype=ROW_DTYPE)
        band_keys = self.hasher.band_keys(self._cols["signatures"][first:stop])  # type: ignore[arg-type]
        self._bands.extend(keys=band_keys.ravel(), rows=np.repeat(rows, self.hasher.bands))
        del band_keys
        self._exact.extend(keys=self._cols["exact_keys"][first:stop], rows=rows)  # type: ignore[arg-type]
        self._by_id.extend(keys=self._cols["ids"][first:stop].view(np.uint64), rows=rows)

    def remove(self, clue_id: int) -> bool:
        """Forget a clue (closed, merged, deleted); True when it was indexed."""
        row = self._row_of(clue_id)
        if row is None:
            return False
        self._cols["alive"][row] = False
        return True

    def merge(self) -> None:
        """Fold pending single adds into the sorted arrays (done automatically now and then)."""
        for table in self._tables().values():
            table.merge()

    def compact(self) -> None:
        """Drop removed clues from every array; worth it after many removals."""
        alive = self._cols["alive"][: self._size].astype(bool)
        renumber = np.cumsum(alive) - 1
        for table in self._tables().values():
            table.keep(alive=alive, renumber=renumber)
        self._cols = {name: col[: self._size][alive] for name, col in self._cols.items()}
        self._size = int(alive.sum())

    # --- reads --------------------------------------------------------------------------

    def query(
        self,
        text: str,
        *,
        k: int = 10,
        exclude_id: int | None = None,
        complainant_key: str | None = None,
        group: str | None = None,
        min_score: float = 0.0,
    ) -> list[Match]:
        """The `k` indexed clues most similar to `text`, best first.

        Only LSH candidates are scored, so clues below Jaccard ≈ 0.3 are mostly not seen.
        `group` restricts matches to clues added with that group (e.g. "open").
        """
        return self._search(
            *self._sign([text]),
            k=k,
            exclude_ids=[exclude_id],
            complainants=np.array([stable_key(complainant_key)], np.uint64),
            group=stable_key(group),
            min_score=min_score,
        )[0]

    def query_many(
        self,
        texts: Sequence[str],
        *,
        k: int = 10,
        exclude_ids: Sequence[int | None] | None = None,
        complainant_keys: Sequence[str | None] | None = None,
    ) -> list[list[Match]]:
        """`query` for many texts at once: they are normalised, signed, looked up and scored
        in a few numpy passes for the whole batch."""
        if not texts:
            return []
        return self._search(
            *self._sign(texts),
            k=k,
            exclude_ids=exclude_ids or [None] * len(texts),
            complainants=_keys(complainant_keys, 0, len(texts)),
            group=0,
            min_score=0.0,
        )

    def query_id(
        self, clue_id: int, *, k: int = 10, group: str | None = None, min_score: float = 0.0
    ) -> list[Match]:
        """Like `query` for an indexed clue, using its stored signature and complainant."""
        row = self._row_of(clue_id)
        if row is None:
            raise KeyError(clue_id)
        cols = self._cols
        return self._search(
            cols["signatures"][row : row + 1].astype(SIGNATURE_DTYPE),
            cols["exact_keys"][row : row + 1].astype(np.uint64),
            k=k,
            exclude_ids=[clue_id],
            complainants=cols["complainants"][row : row + 1].astype(np.uint64),
            group=stable_key(group),
            min_score=min_score,
        )[0]

    def cluster(
        self, clue_id: int, *, min_score: float, group: str | None = None, limit: int = 200
    ) -> list[int]:
        """Ids linked to `clue_id` by chains of matches scoring ≥ `min_score` (itself first).

        A breadth-first walk, bounded by `limit`, so one generic clue cannot pull in the
        whole index.
        """
        seen, queue = [clue_id], [clue_id]
        while queue and len(seen) < limit:
            current = queue.pop(0)
            for match in self.query_id(current, k=limit, group=group, min_score=min_score):
                if match.clue_id not in seen and len(seen) < limit:
                    seen.append(match.clue_id)
                    queue.append(match.clue_id)
        return seen

    # --- size and persistence -----------------------------------------------------------

    @property
    def nbytes(self) -> int:
        """Bytes held by the index's arrays (capacity included) and pending entries."""
        columns = sum(col.nbytes for col in self._cols.values())
        tables = sum(t.nbytes for t in self._tables().values())
        return int(columns + tables)

    def to_arrays(self) -> tuple[dict[str, npt.NDArray[np.generic]], dict[str, int]]:
        """Everything the index holds as plain numpy arrays, and a JSON-able manifest.

        Pending single adds are merged first. The arrays are views, not copies: write them
        out before the index changes again (callers hold the lock that guards the index).
        """
        self.merge()
        arrays: dict[str, npt.NDArray[np.generic]] = {
            name: self._cols[name][: self._size] for name in _ARRAYS
        }
        for name, table in self._tables().items():
            arrays[f"table_{name}_keys"] = table.keys
            arrays[f"table_{name}_rows"] = table.rows
        manifest = {
            "format": FORMAT_VERSION,
            "num_perm": self.hasher.num_perm,
            "bands": self.hasher.bands,
            "seed": self.hasher.seed,
            "shingle_size": self.shingle_size,
            "size": self._size,
        }
        return arrays, manifest

    @classmethod
    def from_arrays(
        cls, arrays: Mapping[str, npt.NDArray[np.generic]], manifest: Mapping[str, Any]
    ) -> DuplicateIndex:
        """Rebuild an index from `to_arrays` output; ValueError when anything is off.

        Checks the format version, every array's presence, dtype and length, that table
        rows point inside the index and that table keys are sorted, so a damaged file
        fails here instead of answering queries wrongly.
        """
        if manifest.get("format") != FORMAT_VERSION:
            raise ValueError(f"unsupported duplicate index format {manifest.get('format')!r}")
        try:
            hasher = MinHasher(
                num_perm=int(manifest["num_perm"]),
                bands=int(manifest["bands"]),
                seed=int(manifest["seed"]),
            )
            shingle_size, size = int(manifest["shingle_size"]), int(manifest["size"])
        except (KeyError, TypeError) as error:
            raise ValueError(f"duplicate index manifest is incomplete: {error}") from error
        index = cls(hasher=hasher, shingle_size=shingle_size)
        expected = index._empty_columns(capacity=0)
        columns: dict[str, npt.NDArray[np.generic]] = {}
        for name in _ARRAYS:
            column = _array(arrays, name)
            want = expected[name]
            if column.dtype != want.dtype or column.shape != (size, *want.shape[1:]):
                raise ValueError(
                    f"array {name} has dtype {column.dtype} and shape {column.shape}, "
                    f"expected {want.dtype} and {(size, *want.shape[1:])}"
                )
            columns[name] = column
        index._cols, index._size = columns, size
        for name, table in index._tables().items():
            rows = _array(arrays, f"table_{name}_rows")
            table.assign_sorted(keys=_array(arrays, f"table_{name}_keys"), rows=rows)  # type: ignore[arg-type]
            if len(rows) and int(rows.max()) >= size:
                raise ValueError(f"table {name} points past the end of the index")
        if len(index._bands.keys) != size * hasher.bands:
            raise ValueError("band table does not have one entry per clue and band")
        return index

    def save(self, path: Path) -> None:
        """Write the index to directory `path` as .npy arrays and a JSON manifest (no pickle).

        For one file written atomically, see `minsheng.triage.duplicates.snapshot`.
        """
        arrays, manifest = self.to_arrays()
        path.mkdir(parents=True, exist_ok=True)
        for name, array in arrays.items():
            np.save(path / f"{name}.npy", array, allow_pickle=False)
        (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> DuplicateIndex:
        """Read an index written by `save`."""
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        arrays = {
            file.stem: np.load(file, allow_pickle=False) for file in sorted(path.glob("*.npy"))
        }
        return cls.from_arrays(arrays, manifest)

    # --- internals ----------------------------------------------------------------------

    def _sign(self, texts: Sequence[str]) -> tuple[npt.NDArray[np.uint16], npt.NDArray[np.uint64]]:
        """The MinHash signature (one row each) and exact-text key of each text, in a few
        numpy passes for all of them (see `shingle_hashes_many`, `MinHasher.sign_flat`)."""
        normalised = normalise_many(list(texts))
        hashes, bounds = shingle_hashes_many(normalised, size=self.shingle_size)
        exact = np.fromiter(
            (exact_key(normalised=text) for text in normalised), np.uint64, len(normalised)
        )
        return self.hasher.sign_flat(hashes, bounds), exact

    def _search(
        self,
        signatures: npt.NDArray[np.uint16],
        exact: npt.NDArray[np.uint64],
        *,
        k: int,
        exclude_ids: Sequence[int | None],
        complainants: npt.NDArray[np.uint64],
        group: int,
        min_score: float,
    ) -> list[list[Match]]:
        """The matches of each query (a row of `signatures`), best first.

        Every step runs on the candidates of all queries at once, each candidate tagged with
        its query (`owner`): one lookup pass per table, one scoring pass, one sort.
        """
        cols, count = self._cols, len(signatures)
        band_rows, band_owners = self._bands.lookup_many(
            self.hasher.band_keys(signatures).reshape(count, -1), max_bucket=MAX_BUCKET
        )
        exact_rows, exact_owners = self._exact.lookup_many(exact.reshape(count, 1))
        tagged = np.concatenate([band_owners, exact_owners]).astype(np.uint64) << np.uint64(32)
        tagged |= np.concatenate([band_rows, exact_rows]).astype(np.uint64)
        tagged, hits = np.unique(tagged, return_counts=True)  # by query, then by row
        owners = (tagged >> np.uint64(32)).astype(np.int64)
        rows = (tagged & np.uint64(0xFFFFFFFF)).astype(np.int64)
        keep = cols["alive"][rows].astype(bool) & _within_cap(owners, hits, count)
        excluded = np.array([-1 if i is None else i for i in exclude_ids], np.int64)
        has_excluded = np.array([i is not None for i in exclude_ids], np.bool_)
        keep &= ~(has_excluded[owners] & (cols["ids"][rows] == excluded[owners]))
        if group:
            keep &= cols["groups"][rows] == group
        rows, owners = rows[keep], owners[keep]
        scores = _agreement(signatures, owners, cols["signatures"], rows)
        is_exact = cols["exact_keys"][rows] == exact[owners]
        scores = np.where(is_exact, 1.0, scores)
        wanted = scores >= min_score
        rows, owners, scores, is_exact = (
            rows[wanted],
            owners[wanted],
            scores[wanted],
            is_exact[wanted],
        )
        order = np.lexsort((~is_exact, -scores, owners))  # by query, best score, exact first
        owners = owners[order]
        rank = np.arange(len(owners)) - np.searchsorted(owners, owners, side="left")
        top = order[rank < k]
        rows, owners = rows[top], owners[top]
        same = (cols["complainants"][rows] == complainants[owners]) & (complainants[owners] != 0)
        results: list[list[Match]] = [[] for _ in range(count)]
        for owner, clue_id, score, exact_match, same_complainant in zip(
            owners.tolist(),
            cols["ids"][rows].tolist(),
            scores[top].tolist(),
            is_exact[top].tolist(),
            same.tolist(),
            strict=True,
        ):
            results[owner].append(
                Match(
                    clue_id=clue_id,
                    score=score,
                    exact=exact_match,
                    same_complainant=same_complainant,
                )
            )
        return results

    def _tables(self) -> dict[str, SortedMultiMap]:
        return {"bands": self._bands, "exact": self._exact, "by_id": self._by_id}

    def _row_of(self, clue_id: int) -> int | None:
        rows = self._by_id.lookup(np.array([clue_id], np.int64).view(np.uint64))
        alive = [r for r in rows.tolist() if self._cols["alive"][r]]
        return alive[-1] if alive else None

    def _reserve(self, capacity: int) -> None:
        if capacity > len(self._cols["ids"]):
            self._cols = {
                name: np.resize(col, (capacity, *col.shape[1:])) for name, col in self._cols.items()
            }

    def _append(self, **values: npt.NDArray[np.generic]) -> int:
        count = len(values["ids"])
        if self._size + count > len(self._cols["ids"]):
            self._reserve(max(self._size + count, 2 * len(self._cols["ids"])))
        first = self._size
        for name, value in values.items():
            self._cols[name][first : first + count] = value
        self._cols["alive"][first : first + count] = True
        self._size += count
        return first

    def _empty_columns(self, *, capacity: int) -> dict[str, npt.NDArray[np.generic]]:
        return {
            "ids": np.zeros(capacity, np.int64),
            "signatures": np.zeros((capacity, self.hasher.num_perm), SIGNATURE_DTYPE),
            "complainants": np.zeros(capacity, np.uint64),
            "groups": np.zeros(capacity, np.uint64),
            "alive": np.zeros(capacity, np.bool_),
            "exact_keys": np.zeros(capacity, np.uint64),
        }


def _within_cap(
    owners: npt.NDArray[np.int64], hits: npt.NDArray[np.int64], count: int
) -> npt.NDArray[np.bool_]:
    """Keep at most `_MAX_CANDIDATES` candidates per query, those sharing the most bands
    first; `owners` is sorted."""
    keep = np.ones(len(owners), np.bool_)
    sizes = np.bincount(owners, minlength=count)
    for owner in np.flatnonzero(sizes > _MAX_CANDIDATES).tolist():
        start = int(np.searchsorted(owners, owner, side="left"))
        segment = slice(start, start + int(sizes[owner]))
        best = np.argpartition(-hits[segment], _MAX_CANDIDATES)[:_MAX_CANDIDATES]
        keep[segment] = False
        keep[start + best] = True
    return keep


def _agreement(
    queries: npt.NDArray[np.uint16],
    owners: npt.NDArray[np.int64],
    signatures: npt.NDArray[np.generic],
    rows: npt.NDArray[np.int64],
) -> npt.NDArray[np.float64]:
    """Estimated Jaccard of each candidate row with its own query, in slices so that a
    batch with many candidates never builds one huge comparison matrix."""
    scores = np.zeros(len(rows))
    for start in range(0, len(rows), _SCORE_SLICE):
        part = slice(start, start + _SCORE_SLICE)
        scores[part] = (signatures[rows[part]] == queries[owners[part]]).mean(axis=1)
    return scores


def _array(arrays: Mapping[str, npt.NDArray[np.generic]], name: str) -> npt.NDArray[np.generic]:
    if name not in arrays:
        raise ValueError(f"array {name} is missing")
    return arrays[name]


def _keys(values: Sequence[str | None] | None, start: int, count: int) -> npt.NDArray[np.uint64]:
    if values is None:
        return np.zeros(count, np.uint64)
    return np.array([stable_key(v) for v in values[start : start + count]], dtype=np.uint64)
