"""A uint64 → rows multimap kept as sorted numpy arrays plus a small pending dict.

A Python dict of a million keys costs ~100 bytes an entry; sorted arrays cost 12 (an 8-byte
key and a 4-byte row) and a lookup is one binary search. Single adds go to the pending dict
and are merged into the arrays in bulk, like a tiny log-structured merge tree.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

ROW_DTYPE = np.uint32


class SortedMultiMap:
    """Maps 64-bit keys to the rows that carry them; rows are never removed one by one."""

    def __init__(self) -> None:
        self.keys: npt.NDArray[np.uint64] = np.zeros(0, dtype=np.uint64)
        self.rows: npt.NDArray[np.uint32] = np.zeros(0, dtype=ROW_DTYPE)
        self.pending: dict[int, list[int]] = {}
        self.pending_size = 0

    def add(self, *, keys: npt.NDArray[np.uint64], row: int) -> None:
        """Record `row` under each key (pending until the next merge)."""
        for key in keys.tolist():
            self.pending.setdefault(key, []).append(row)
        self.pending_size += len(keys)

    def extend(self, *, keys: npt.NDArray[np.uint64], rows: npt.NDArray[np.uint32]) -> None:
        """Merge many (key, row) pairs at once; the bulk path used when building an index."""
        self.merge()
        self._assign(np.concatenate([self.keys, keys]), np.concatenate([self.rows, rows]))

    def merge(self) -> None:
        """Fold pending entries into the sorted arrays."""
        if not self.pending:
            return
        keys = np.fromiter(
            (k for k, rows in self.pending.items() for _ in rows), np.uint64, self.pending_size
        )
        rows = np.fromiter(
            (r for rows in self.pending.values() for r in rows), ROW_DTYPE, self.pending_size
        )
        self.pending, self.pending_size = {}, 0
        self._assign(np.concatenate([self.keys, keys]), np.concatenate([self.rows, rows]))

    def keep(self, *, alive: npt.NDArray[np.bool_], renumber: npt.NDArray[np.int64]) -> None:
        """Drop entries of dead rows and renumber the others (after an index compaction)."""
        self.merge()
        live = alive[self.rows]
        self.keys = self.keys[live]
        self.rows = renumber[self.rows[live]].astype(ROW_DTYPE)

    def lookup(
        self, keys: npt.NDArray[np.uint64], *, max_bucket: int | None = None
    ) -> npt.NDArray[np.uint32]:
        """Rows under any of `keys`, with repeats (one per matching key).

        Keys carrying more than `max_bucket` merged rows are skipped: such a key stands for
        boilerplate shared by many texts and would only flood the caller with candidates.
        """
        left = np.searchsorted(self.keys, keys, side="left")
        right = np.searchsorted(self.keys, keys, side="right")
        if max_bucket is not None:
            right = np.where(right - left > max_bucket, left, right)
        parts = [
            self.rows[lo:hi]
            for lo, hi in zip(left.tolist(), right.tolist(), strict=True)
            if hi > lo
        ]
        if self.pending:
            for key in keys.tolist():
                found = self.pending.get(key)
                if found:
                    parts.append(np.asarray(found, dtype=ROW_DTYPE))
        if not parts:
            return np.zeros(0, dtype=ROW_DTYPE)
        return np.concatenate(parts)

    @property
    def nbytes(self) -> int:
        """Bytes held by the arrays plus a rough 100 bytes per pending entry."""
        return int(self.keys.nbytes + self.rows.nbytes + 100 * self.pending_size)

    def _assign(self, keys: npt.NDArray[np.uint64], rows: npt.NDArray[np.uint32]) -> None:
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.rows = rows[order].astype(ROW_DTYPE)
