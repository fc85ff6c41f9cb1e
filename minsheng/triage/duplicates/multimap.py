"""A key → rows multimap kept as sorted numpy arrays plus a small pending dict.

A Python dict of a million keys costs ~100 bytes an entry; sorted arrays cost 8 or 12 (a
4- or 8-byte key and a 4-byte row) and a lookup is one binary search. Single adds go to the
pending dict and are merged into the arrays in bulk, like a tiny log-structured merge tree.

Building is one sort: 32-bit keys are packed with their row into one 64-bit word and
sorted as plain integers (numpy sorts 32 million of those in ~2 s, where an argsort takes
~18 s); 64-bit keys use an argsort, which is fine for the one-entry-per-clue tables. New
entries are sorted on their own and inserted, so a merge costs one pass over the table.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

ROW_DTYPE = np.uint32
Keys = npt.NDArray[np.uint32] | npt.NDArray[np.uint64]


class SortedMultiMap:
    """Maps integer keys to the rows that carry them; rows are never removed one by one."""

    def __init__(self, *, key_dtype: type[np.unsignedinteger] = np.uint64) -> None:
        self.key_dtype = np.dtype(key_dtype)
        if self.key_dtype not in (np.dtype(np.uint32), np.dtype(np.uint64)):
            raise ValueError("keys are uint32 or uint64")
        self.keys: Keys = np.zeros(0, dtype=self.key_dtype)
        self.rows: npt.NDArray[np.uint32] = np.zeros(0, dtype=ROW_DTYPE)
        self.pending: dict[int, list[int]] = {}
        self.pending_size = 0

    def add(self, *, keys: Keys, row: int) -> None:
        """Record `row` under each key (pending until the next merge)."""
        for key in keys.tolist():
            self.pending.setdefault(key, []).append(row)
        self.pending_size += len(keys)

    def extend(self, *, keys: Keys, rows: npt.NDArray[np.uint32]) -> None:
        """Merge many (key, row) pairs at once; the bulk path used when building an index."""
        self.merge()
        self._insert(keys.astype(self.key_dtype, copy=False), rows.astype(ROW_DTYPE, copy=False))

    def merge(self) -> None:
        """Fold pending entries into the sorted arrays."""
        if not self.pending:
            return
        keys = np.fromiter(
            (k for k, rows in self.pending.items() for _ in rows), self.key_dtype, self.pending_size
        )
        rows = np.fromiter(
            (r for rows in self.pending.values() for r in rows), ROW_DTYPE, self.pending_size
        )
        self.pending, self.pending_size = {}, 0
        self._insert(keys, rows)

    def keep(self, *, alive: npt.NDArray[np.bool_], renumber: npt.NDArray[np.int64]) -> None:
        """Drop entries of dead rows and renumber the others (after an index compaction)."""
        self.merge()
        live = alive[self.rows]
        self.keys = self.keys[live]
        self.rows = renumber[self.rows[live]].astype(ROW_DTYPE)

    def lookup(self, keys: Keys, *, max_bucket: int | None = None) -> npt.NDArray[np.uint32]:
        """Rows under any of `keys`, with repeats (one per matching key).

        Keys carrying more than `max_bucket` merged rows are skipped: such a key stands for
        boilerplate shared by many texts and would only flood the caller with candidates.
        """
        rows, _owners = self.lookup_many(keys.reshape(1, -1), max_bucket=max_bucket)
        return rows

    def lookup_many(
        self, keys: Keys, *, max_bucket: int | None = None
    ) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
        """`lookup` for each row of a 2-D `keys` at once: the rows found, and for each the
        index of the key row it was found for, in that order (one binary search pass and
        one gather for the whole batch, instead of a slice per key)."""
        width = keys.shape[1]
        flat = keys.reshape(-1).astype(self.key_dtype, copy=False)
        left = np.searchsorted(self.keys, flat, side="left").astype(np.int64)
        counts = np.searchsorted(self.keys, flat, side="right").astype(np.int64) - left
        if max_bucket is not None:
            counts[counts > max_bucket] = 0
        ends = np.cumsum(counts)
        # Position j of the output reads self.rows[left[key] + (j - start of key's run)].
        positions = np.arange(int(ends[-1]) if len(ends) else 0, dtype=np.int64)
        positions += np.repeat(left - (ends - counts), counts)
        rows = self.rows[positions]
        owners = np.repeat(np.arange(len(flat), dtype=np.int64) // width, counts)
        if self.pending:
            extra_rows, extra_owners = [], []
            for position, key in enumerate(flat.tolist()):
                found = self.pending.get(key)
                if found:
                    extra_rows.extend(found)
                    extra_owners.extend([position // width] * len(found))
            if extra_rows:
                rows = np.concatenate([rows, np.asarray(extra_rows, dtype=ROW_DTYPE)])
                owners = np.concatenate([owners, np.asarray(extra_owners, dtype=np.int64)])
                order = np.argsort(owners, kind="stable")
                rows, owners = rows[order], owners[order]
        return rows.astype(ROW_DTYPE, copy=False), owners

    @property
    def nbytes(self) -> int:
        """Bytes held by the arrays plus a rough 100 bytes per pending entry."""
        return int(self.keys.nbytes + self.rows.nbytes + 100 * self.pending_size)

    def assign_sorted(self, *, keys: Keys, rows: npt.NDArray[np.uint32]) -> None:
        """Adopt arrays already sorted by key (from a snapshot); checks order and dtypes."""
        if keys.dtype != self.key_dtype or rows.dtype != ROW_DTYPE or len(keys) != len(rows):
            raise ValueError("table arrays have the wrong dtype or length")
        if len(keys) > 1 and bool((keys[1:] < keys[:-1]).any()):
            raise ValueError("table keys are not sorted")
        self.keys, self.rows = keys, rows
        self.pending, self.pending_size = {}, 0

    def _insert(self, keys: Keys, rows: npt.NDArray[np.uint32]) -> None:
        """Sort the new entries and insert them after existing entries with equal keys."""
        if len(keys) == 0:
            return
        if self.key_dtype == np.dtype(np.uint32):
            packed = (keys.astype(np.uint64) << np.uint64(32)) | rows.astype(np.uint64)
            packed.sort()
            new_keys: Keys = (packed >> np.uint64(32)).astype(np.uint32)
            new_rows = (packed & np.uint64(0xFFFFFFFF)).astype(ROW_DTYPE)
            del packed
        else:
            order = np.argsort(keys, kind="stable")
            new_keys, new_rows = keys[order], rows[order]
        if len(self.keys) == 0:
            self.keys, self.rows = new_keys, new_rows
            return
        at = np.searchsorted(self.keys, new_keys, side="right")
        self.keys = np.insert(self.keys, at, new_keys).astype(self.key_dtype, copy=False)
        self.rows = np.insert(self.rows, at, new_rows).astype(ROW_DTYPE, copy=False)
