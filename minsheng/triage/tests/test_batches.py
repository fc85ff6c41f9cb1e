"""Triage in batches: imports, the sweeper, and one clue online share one path."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from minsheng.clues.importing import import_clue_file
from minsheng.clues.tests.conftest import World, receive
from minsheng.clues.workflow import ClueStatus
from minsheng.triage import engine as engine_module
from minsheng.triage import services
from minsheng.triage.engine import get_engine
from minsheng.triage.models import TriageResult, TriageStatus


@pytest.mark.django_db
def test_a_batch_triages_every_clue_and_writes_each_result(world: World) -> None:
    # given three received clues, one of which no longer exists
    clues = [
        receive(world, title=f"第{n}个问题：路灯不亮", content=f"某路第{n}段路灯不亮")
        for n in range(3)
    ]

    # when triaged as one batch
    report = services.triage_clues(clue_ids=[clue.pk for clue in clues] + [999_999])

    # then each has a result and has moved to triaged
    assert (report.triaged, report.failed, report.missing) == (3, 0, 1)
    assert TriageResult.objects.filter(clue__in=clues).count() == 3
    assert {result.clue_id for result in report.results} == {clue.pk for clue in clues}
    for clue in clues:
        clue.refresh_from_db()
        assert clue.status == ClueStatus.TRIAGED
    assert report.per_second > 0


@pytest.mark.django_db
def test_a_batch_run_again_updates_results_in_place(world: World) -> None:
    clue = receive(world)
    services.triage_clues(clue_ids=[clue.pk])
    services.triage_clues(clue_ids=[clue.pk])
    result = TriageResult.objects.get(clue=clue)
    assert result.attempts == 2
    assert result.masked_content


@pytest.mark.django_db
def test_a_repeat_within_one_batch_is_found(world: World) -> None:
    first = receive(
        world, title="某小区垃圾清运不及时", content="某小区垃圾站垃圾堆积一周无人清运，臭气熏天。"
    )
    again = receive(
        world, title="某小区垃圾清运不及时", content="某小区垃圾站垃圾堆积一周无人清运，臭气熏天。"
    )
    report = services.triage_clues(clue_ids=[first.pk, again.pk])
    later = next(result for result in report.results if result.clue_id == again.pk)
    assert [d["clue_id"] for d in later.duplicates] == [first.pk]


@pytest.mark.django_db
def test_a_clue_received_after_the_engine_loaded_is_found_at_once(world: World) -> None:
    # given an engine that has loaded its components (the 30-second refresh has not come)
    services.triage_clues(clue_ids=[receive(world, title="无关", content="无关内容").pk])
    engine = get_engine()
    assert engine._checked_at > 0

    # when a clue arrives (through another worker) and its repeat is then triaged here
    first = receive(world, title="公交站牌被撞倒", content="某路公交站牌被车辆撞倒，至今未修复。")
    again = receive(world, title="公交站牌被撞倒", content="某路公交站牌被车辆撞倒，至今未修复。")
    result = services.triage_clue(clue_id=again.pk)

    # then the first is already in the index
    assert result is not None
    assert first.pk in [d["clue_id"] for d in result.duplicates]


@pytest.mark.django_db
def test_one_poisoned_clue_does_not_hold_back_its_batch(world: World, monkeypatch) -> None:
    # given a pipeline that fails on one particular clue
    good, bad = receive(world), receive(world, title="会让分拣出错的线索")
    original = engine_module.TriageEngine.analyse

    def flaky(self, clues):
        if any(clue.clue_id == bad.pk for clue in clues):
            raise RuntimeError("bad input")
        return original(self, clues)

    monkeypatch.setattr(engine_module.TriageEngine, "analyse", flaky)

    # when the batch runs
    report = services.triage_clues(clue_ids=[good.pk, bad.pk])

    # then the good clue is triaged and the bad one recorded for a retry
    assert (report.triaged, report.failed) == (1, 1)
    assert TriageResult.objects.get(clue=good).status in (
        TriageStatus.DONE,
        TriageStatus.NEEDS_HUMAN,
    )
    failed = TriageResult.objects.get(clue=bad)
    assert failed.status == TriageStatus.FAILED
    assert "bad input" in failed.last_error
    bad.refresh_from_db()
    assert bad.status == ClueStatus.RECEIVED


@pytest.mark.django_db
def test_an_import_queues_its_received_clues_as_batch_tasks(
    world: World, tmp_path, dummy_queue, django_capture_on_commit_callbacks
) -> None:
    # given a hotline export with two new clues and one answered
    path = tmp_path / "hotline.csv"
    path.write_text(
        "留言编号,留言主题,留言详情,答复意见\n"
        "1,路灯不亮,某路路灯不亮一周,\n"
        "2,噪音扰民,工地夜间施工噪音大,\n"
        "3,停水,小区停水,已恢复供水\n",
        encoding="utf-8",
    )

    # when imported
    with django_capture_on_commit_callbacks(execute=True):
        summary = import_clue_file(path=path, source="hotline")

    # then the received ones are queued as one batch task
    assert summary.created == 3
    tasks = [result for result in dummy_queue.results if result.task.name == "triage_batch_task"]
    assert len(tasks) == 1
    queued = tasks[0].args[0]
    assert len(queued) == 2
    assert set(queued) <= set(services.clues_awaiting_triage())


@pytest.mark.django_db
def test_a_dry_run_import_queues_nothing(
    world: World, tmp_path, dummy_queue, django_capture_on_commit_callbacks
) -> None:
    path = tmp_path / "hotline.csv"
    path.write_text("留言编号,留言主题,留言详情\n1,路灯不亮,某路路灯不亮一周\n", encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        import_clue_file(path=path, source="hotline", dry_run=True)
    assert list(dummy_queue.results) == []


@pytest.mark.django_db
def test_the_sweeper_queues_batches_or_runs_them_here(world: World, dummy_queue) -> None:
    clues = [receive(world, title=f"问题{n}") for n in range(3)]
    call_command("triage_pending", verbosity=0)
    queued = [
        result.args[0] for result in dummy_queue.results if result.task.name == "triage_batch_task"
    ]
    assert sorted(pk for batch in queued for pk in batch) == sorted(clue.pk for clue in clues)

    call_command("triage_pending", "--run", verbosity=0)
    assert services.clues_awaiting_triage() == []
    assert TriageResult.objects.filter(clue__in=clues).count() == 3
