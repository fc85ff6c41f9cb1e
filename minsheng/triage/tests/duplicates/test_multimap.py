from __future__ import annotations

import numpy as np
import pytest

from minsheng.triage.duplicates.multimap import SortedMultiMap


def _keys(*values: int) -> np.ndarray:
    return np.array(values, dtype=np.uint64)


def test_pending_and_merged_entries_are_both_found():
    # given one bulk entry and one pending single add under the same key
    table = SortedMultiMap()
    table.extend(keys=_keys(7, 9), rows=np.array([0, 1], dtype=np.uint32))
    table.add(keys=_keys(7), row=2)
    # then a lookup sees both before and after merging
    assert sorted(table.lookup(_keys(7)).tolist()) == [0, 2]
    table.merge()
    assert not table.pending
    assert sorted(table.lookup(_keys(7)).tolist()) == [0, 2]


def test_oversized_buckets_are_skipped():
    # given a key carried by three rows and another by one
    table = SortedMultiMap()
    table.extend(keys=_keys(1, 1, 1, 2), rows=np.arange(4, dtype=np.uint32))
    # when buckets above two rows are skipped
    rows = table.lookup(_keys(1, 2), max_bucket=2)
    # then only the small bucket answers
    assert rows.tolist() == [3]


def test_keep_drops_dead_rows_and_renumbers():
    table = SortedMultiMap()
    table.extend(keys=_keys(1, 2, 3), rows=np.arange(3, dtype=np.uint32))
    alive = np.array([True, False, True])
    table.keep(alive=alive, renumber=np.cumsum(alive) - 1)
    assert table.lookup(_keys(2)).tolist() == []
    assert table.lookup(_keys(3)).tolist() == [1]


def test_32_bit_table_sorts_packed_and_merges_new_entries_in_order():
    # given a 32-bit table built in two bulk steps and a pending add
    table = SortedMultiMap(key_dtype=np.uint32)
    keys = np.array([5, 1, 5, 3], dtype=np.uint32)
    table.extend(keys=keys, rows=np.arange(4, dtype=np.uint32))
    table.extend(keys=np.array([2, 5], dtype=np.uint32), rows=np.array([4, 5], dtype=np.uint32))
    table.add(keys=np.array([1], dtype=np.uint32), row=6)
    table.merge()
    # then keys stay sorted and every row is found under its key
    assert table.keys.tolist() == sorted(table.keys.tolist())
    assert sorted(table.lookup(np.array([5], dtype=np.uint32)).tolist()) == [0, 2, 5]
    assert sorted(table.lookup(np.array([1], dtype=np.uint32)).tolist()) == [1, 6]


def test_later_rows_of_a_64_bit_key_come_after_earlier_ones():
    # the id table relies on this: the last live row of an id is its current text
    table = SortedMultiMap()
    table.extend(keys=_keys(7), rows=np.array([0], dtype=np.uint32))
    table.extend(keys=_keys(7), rows=np.array([3], dtype=np.uint32))
    assert table.lookup(_keys(7)).tolist() == [0, 3]


def test_assign_sorted_rejects_unsorted_or_mistyped_arrays():
    table = SortedMultiMap()
    with pytest.raises(ValueError, match="sorted"):
        table.assign_sorted(keys=_keys(3, 1), rows=np.array([0, 1], dtype=np.uint32))
    with pytest.raises(ValueError, match="dtype"):
        table.assign_sorted(keys=np.array([1], np.uint32), rows=np.array([0], np.uint32))


def _reference_lookup(table: SortedMultiMap, keys, max_bucket=None) -> list[int]:
    """Each key's rows by a plain scan of the arrays and the pending dict."""
    found: list[int] = []
    for key in keys.tolist():
        merged = [
            int(r)
            for k, r in zip(table.keys.tolist(), table.rows.tolist(), strict=True)
            if k == key
        ]
        if max_bucket is None or len(merged) <= max_bucket:
            found += merged
        found += table.pending.get(key, [])
    return found


def test_lookup_many_gives_each_key_row_its_rows_as_a_scan_does():
    # given merged entries (one bucket oversized) and pending adds
    rng = np.random.default_rng(4)
    table = SortedMultiMap()
    table.extend(
        keys=rng.integers(0, 30, 400).astype(np.uint64), rows=np.arange(400, dtype=np.uint32)
    )
    table.extend(keys=np.full(50, 99, np.uint64), rows=np.arange(400, 450, dtype=np.uint32))
    table.add(keys=_keys(3, 99, 500), row=450)
    queries = np.array([[3, 7, 99], [500, 31, 12], [40, 41, 42]], dtype=np.uint64)
    # when three key rows are looked up at once
    rows, owners = table.lookup_many(queries, max_bucket=20)
    # then each key row gets exactly the rows a scan finds, tagged with its index
    assert owners.tolist() == sorted(owners.tolist())
    for index, keys in enumerate(queries):
        mine = sorted(rows[owners == index].tolist())
        assert mine == sorted(_reference_lookup(table, keys, max_bucket=20))
    assert not (owners == 2).any()
    assert sorted(table.lookup(queries[0]).tolist()) == sorted(_reference_lookup(table, queries[0]))
