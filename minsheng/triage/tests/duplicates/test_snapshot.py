"""Snapshots: one .npz written atomically, loaded without pickle, damage detected."""

from __future__ import annotations

import logging
import zipfile

import numpy as np
import pytest

from minsheng.triage.duplicates import DuplicateIndex
from minsheng.triage.duplicates.snapshot import (
    SnapshotError,
    load_snapshot,
    load_snapshot_or_empty,
    save_snapshot,
)

BASE = "A市A3区某小区门口的垃圾已经三天没人清理了，气味很大，蚊蝇滋生，请有关部门尽快处理。"
REPOST = "A市A3区某小区门口的垃圾已经三天没有人清理了，气味很大，蚊蝇滋生，请相关部门尽快处理！"


def _filler(seed: int) -> str:
    rng = np.random.default_rng(seed)
    return "".join(chr(0x4E00 + int(c)) for c in rng.integers(0, 3000, size=80))


@pytest.fixture
def index() -> DuplicateIndex:
    idx = DuplicateIndex()
    idx.add_many([(100 + i, _filler(i)) for i in range(300)], complainant_keys=["u"] * 300)
    idx.add(1, BASE, complainant_key="u1")
    idx.add(2, _filler(999))
    idx.remove(2)
    return idx


@pytest.fixture
def saved(index, tmp_path):
    path = tmp_path / "snap" / "open-clues.npz"
    save_snapshot(index, path, up_to_pk=401)
    return path


def test_round_trip_keeps_answers_removals_and_high_id(index, saved):
    # when the snapshot is loaded
    loaded, up_to_pk = load_snapshot(saved)
    # then it answers like the original, remembers the removal and the high id
    assert up_to_pk == 401
    assert loaded.query(REPOST, complainant_key="u1") == index.query(REPOST, complainant_key="u1")
    assert loaded.query_id(105) == index.query_id(105)
    assert 2 not in loaded
    assert 1 in loaded
    assert len(loaded) == len(index)
    # and it keeps working as a live index
    loaded.add(500, REPOST)
    loaded.add_many([(501, BASE)])
    assert {m.clue_id for m in loaded.query(BASE)} >= {1, 500, 501}


def test_save_replaces_atomically_and_leaves_no_temporary_file(index, saved):
    # given an existing snapshot, when a new one is written over it
    index.add(3, REPOST)
    save_snapshot(index, saved, up_to_pk=402)
    # then only the new file is there and it is the new state
    assert [p.name for p in saved.parent.iterdir()] == [saved.name]
    loaded, up_to_pk = load_snapshot(saved)
    assert (up_to_pk, 3 in loaded) == (402, True)


def test_failed_save_keeps_the_old_snapshot(index, saved, monkeypatch):
    # given a write that fails half-way
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", broken)
    with pytest.raises(OSError, match="disk full"):
        save_snapshot(index, saved, up_to_pk=999)
    monkeypatch.undo()
    # then the previous snapshot is intact and no temporary file is left
    assert load_snapshot(saved)[1] == 401
    assert [p.name for p in saved.parent.iterdir()] == [saved.name]


def test_snapshot_holds_no_pickle(saved):
    # every member is a plain .npy array that loads with pickling disabled
    with zipfile.ZipFile(saved) as archive:
        names = archive.namelist()
    assert all(name.endswith(".npy") for name in names)
    with np.load(saved, allow_pickle=False) as data:
        assert all(data[name].dtype != object for name in data.files)


def _truncate(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flip_a_byte(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0xFF
    path.write_bytes(bytes(data))


def _garbage(path):
    path.write_bytes(b"not a snapshot at all" * 10)


def _single_array(path):
    with path.open("wb") as handle:
        np.save(handle, np.arange(3))


def _other_format(path):
    with np.load(path, allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files}
    arrays["manifest"] = np.frombuffer(b'{"snapshot": 99}', dtype=np.uint8)
    with path.open("wb") as handle:
        np.savez(handle, **arrays)


def _missing_array(path):
    with np.load(path, allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files if name != "signatures"}
    with path.open("wb") as handle:
        np.savez(handle, **arrays)


@pytest.mark.parametrize(
    "damage", [_truncate, _flip_a_byte, _garbage, _single_array, _other_format, _missing_array]
)
def test_damaged_snapshot_raises_a_clear_error(saved, damage):
    # given a damaged file
    damage(saved)
    # then loading names the file and does not return a half-read index
    with pytest.raises(SnapshotError, match=r"open-clues\.npz"):
        load_snapshot(saved)


def test_missing_snapshot_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_snapshot(tmp_path / "absent.npz")


def test_or_empty_falls_back_to_a_rebuild_from_zero(saved, caplog):
    # given a damaged snapshot
    _truncate(saved)
    # when a worker loads it
    with caplog.at_level(logging.ERROR):
        index, up_to_pk = load_snapshot_or_empty(saved)
    # then it starts empty from id 0 (index everything from the database) and says why
    assert (len(index), up_to_pk) == (0, 0)
    assert "快照" in caplog.text
    # and a missing file quietly does the same
    assert load_snapshot_or_empty(saved.parent / "none.npz")[1] == 0
