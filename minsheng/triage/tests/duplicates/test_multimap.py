from __future__ import annotations

import numpy as np

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
