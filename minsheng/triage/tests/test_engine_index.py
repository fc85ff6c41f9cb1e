"""The engine's duplicate index: started from the snapshot, kept current from the database,
and the place check on likely duplicates."""

from __future__ import annotations

import pytest

from minsheng.clues.models import Clue
from minsheng.clues.tests.conftest import World, receive
from minsheng.triage import services
from minsheng.triage.duplicates import DuplicateIndex
from minsheng.triage.duplicates.snapshot import default_snapshot_path, save_snapshot
from minsheng.triage.duplicates.sources import rebuild_snapshot
from minsheng.triage.engine import get_engine, reset_engine

NOISE = "某小区楼下餐馆油烟扰民，每天从早到晚排放油烟，居民无法开窗，多次反映无人处理。"


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    reset_engine()
    yield tmp_path
    reset_engine()


@pytest.mark.django_db
def test_a_worker_starts_from_the_snapshot(world: World, data_dir) -> None:
    # given a snapshot holding a clue's text, whose stored text has since changed
    first = receive(world, title="餐馆油烟扰民", content=NOISE)
    rebuild_snapshot(path=default_snapshot_path())
    Clue.objects.filter(pk=first.pk).update(content="内容已更正", title="已更正")

    # when a repeat of the original text is triaged by a fresh worker
    again = receive(world, title="餐馆油烟扰民", content=NOISE)
    result = services.triage_clue(clue_id=again.pk)

    # then it is matched through the snapshot's copy
    assert result is not None
    assert first.pk in [d["clue_id"] for d in result.duplicates]


@pytest.mark.django_db
def test_a_snapshot_from_another_database_is_ignored(world: World, data_dir, caplog) -> None:
    # given a snapshot that claims far more clues than this database has
    save_snapshot(DuplicateIndex(), default_snapshot_path(), up_to_pk=10**9)
    first = receive(world, title="餐馆油烟扰民", content=NOISE)
    again = receive(world, title="餐馆油烟扰民", content=NOISE)

    result = services.triage_clue(clue_id=again.pk)

    # then the clues are indexed from the database, with a warning
    assert result is not None
    assert first.pk in [d["clue_id"] for d in result.duplicates]
    assert any("快照" in record.getMessage() for record in caplog.records)


@pytest.mark.django_db
def test_a_clue_committed_after_a_later_one_is_indexed_at_the_next_refresh(
    world: World, data_dir
) -> None:
    # given a worker that has read past a clue it never saw (a late commit)
    late = receive(world, title="餐馆油烟扰民", content=NOISE)
    services.triage_clue(clue_id=receive(world, title="无关", content="路灯不亮").pk)
    engine = get_engine()
    engine._index.remove(late.pk)
    assert late.pk not in engine._index

    # when the periodic refresh comes
    engine._checked_at = 0.0
    services.triage_clue(clue_id=receive(world, title="又一条", content="噪音扰民").pk)

    # then the late clue is in the index
    assert late.pk in engine._index


@pytest.mark.django_db
def test_a_form_letter_about_another_estate_is_similar_not_a_duplicate(
    world: World, data_dir
) -> None:
    letter = (
        "A3区{}小区楼下餐馆油烟扰民，每天从早到晚排放油烟，居民无法开窗，"
        "多次反映无人处理，请相关部门尽快查处。"
    )
    first = receive(world, title="餐馆油烟扰民", content=letter.format("丽发新城"))
    same_place = receive(world, title="餐馆油烟扰民", content=letter.format("丽发新城") + "！")
    other_place = receive(world, title="餐馆油烟扰民", content=letter.format("魅力之城"))

    repeat = services.triage_clue(clue_id=same_place.pk)
    elsewhere = services.triage_clue(clue_id=other_place.pk)

    assert repeat is not None
    assert elsewhere is not None
    kinds = {d["clue_id"]: d["kind"] for d in repeat.duplicates}
    assert kinds[first.pk] == "duplicate"
    kinds = {d["clue_id"]: d["kind"] for d in elsewhere.duplicates}
    assert kinds[first.pk] == "similar"
