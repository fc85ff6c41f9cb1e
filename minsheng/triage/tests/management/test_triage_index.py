"""manage.py triage_index: rebuild the duplicate-index snapshot from open clues, and check it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from minsheng.clues.workflow import ClueStatus
from minsheng.triage.duplicates.snapshot import default_snapshot_path, load_snapshot

pytestmark = pytest.mark.django_db

TEXT = "A3区某小区门口垃圾三天无人清理，气味很大，蚊蝇滋生，请尽快处理。"


def _run(*args: str) -> str:
    out = StringIO()
    call_command("triage_index", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def test_rebuild_indexes_open_clues_only(data_dir, clue_in):
    # Given two open clues and a closed one
    first = clue_in(ClueStatus.RECEIVED, content=TEXT)
    second = clue_in(ClueStatus.RECEIVED, content=TEXT + "已经多次反映。")
    closed = clue_in(ClueStatus.CLOSED, content=TEXT)

    # When the snapshot is rebuilt
    output = _run("--rebuild")

    # Then it is written under the data directory with the open clues and the high id
    path = default_snapshot_path()
    assert path.parent.parent == data_dir
    index, up_to_pk = load_snapshot(path)
    assert first.pk in index
    assert second.pk in index
    assert closed.pk not in index
    assert up_to_pk == second.pk
    assert "indexed 2 open clue(s)" in output
    assert "RSS" in output
    # and the open clues find each other
    assert second.pk in {m.clue_id for m in index.query_id(first.pk)}


def test_check_reports_the_snapshot(data_dir, clue_in):
    # Given a rebuilt snapshot
    clue_in(ClueStatus.RECEIVED, content=TEXT)
    _run("--rebuild")
    # When it is checked
    output = _run()
    # Then its size and high id are reported
    assert "1 clue(s)" in output


def test_check_without_or_with_a_damaged_snapshot_says_to_rebuild(data_dir, tmp_path):
    # Given no snapshot, then a damaged one
    with pytest.raises(CommandError, match="--rebuild"):
        _run()
    path = tmp_path / "broken.npz"
    path.write_bytes(b"garbage")
    # Then the command fails with the reason and the remedy
    with pytest.raises(CommandError, match="--rebuild"):
        _run("--path", str(path))
