"""How a triage batch stores its results and events (every field as computed, in a fixed
number of statements, the clue chains intact) and pauses the cycle collector meanwhile."""

from __future__ import annotations

import gc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minsheng.clues.models import Clue, ClueEvent
from minsheng.clues.services.events import verify_chain
from minsheng.clues.tests.conftest import World, receive
from minsheng.clues.workflow import Action, ClueStatus
from minsheng.triage import engine as engine_module
from minsheng.triage import services
from minsheng.triage.engine import get_engine
from minsheng.triage.models import TriageResult


def _stored(result: TriageResult) -> list[object]:
    row = TriageResult.objects.get(pk=result.pk)
    return [getattr(row, name) for name in ["clue_id", "region_id", *services.RESULT_FIELDS]]


def _in_memory(result: TriageResult) -> list[object]:
    return [getattr(result, name) for name in ["clue_id", "region_id", *services.RESULT_FIELDS]]


def _statement(sql: str) -> str:
    """What a logged statement writes to ("N times: …" for an executemany)."""
    return sql.split(" times: ", 1)[-1].split("(")[0].split(" SET ")[0]


def _clues(world: World, count: int, *, start: int = 0) -> list[Clue]:
    return [
        receive(world, title=f"第{n}个问题：某路路灯不亮", content=f"某路第{n}段路灯不亮已一周")
        for n in range(start, start + count)
    ]


@pytest.mark.django_db
def test_new_results_are_stored_as_computed(world: World) -> None:
    # given received clues, two of them repeats of the first
    clues = [*_clues(world, 2), receive(world, title="第0个问题：某路路灯不亮")]

    # when triaged as one batch
    report = services.triage_clues(clue_ids=[clue.pk for clue in clues])

    # then each result has its own row, holding exactly what the batch computed
    assert len({result.pk for result in report.results}) == len(clues)
    for result in report.results:
        assert result.pk is not None
        assert _stored(result) == _in_memory(result)


@pytest.mark.django_db
def test_a_second_run_updates_every_field_in_place(world: World) -> None:
    # given a triaged clue whose text is then corrected (say, by an import run again)
    clue = receive(world, title="路灯不亮", content="某路路灯不亮")
    first = services.triage_clues(clue_ids=[clue.pk]).results[0]
    Clue.objects.filter(pk=clue.pk).update(content="某路路灯不亮，联系电话 13812345678")
    get_engine()._checked_at = 0.0  # let the engine reload what it caches

    # when it is triaged again
    again = services.triage_clues(clue_ids=[clue.pk]).results[0]

    # then the same row holds the new result, stamped anew
    assert again.pk == first.pk
    assert TriageResult.objects.filter(clue=clue).count() == 1
    assert _stored(again) == _in_memory(again)
    stored = TriageResult.objects.get(pk=again.pk)
    assert stored.attempts == 2
    assert "mobile" in stored.pii_kinds
    assert "13812345678" not in stored.masked_content
    assert stored.updated_at > first.updated_at


@pytest.mark.django_db
def test_every_triaged_clue_keeps_a_verifiable_chain(world: World) -> None:
    clues = _clues(world, 5)
    services.triage_clues(clue_ids=[clue.pk for clue in clues])
    for clue in clues:
        clue.refresh_from_db()
        events = list(ClueEvent.objects.filter(clue=clue).order_by("seq"))
        assert [event.action for event in events] == [Action.RECEIVE, Action.TRIAGE]
        assert clue.status == ClueStatus.TRIAGED
        assert verify_chain(clue, events) == []
        assert "suggestions" in events[-1].payload


@pytest.mark.django_db
def test_a_batch_writes_in_the_same_statements_whatever_its_size(world: World) -> None:
    # given two batches, one ten times the other
    small, large = _clues(world, 2), _clues(world, 20, start=2)

    # when each is triaged
    writes = []
    for batch in (small, large):
        with CaptureQueriesContext(connection) as queries:
            services.triage_clues(clue_ids=[clue.pk for clue in batch])
        statements = [_statement(query["sql"]) for query in queries.captured_queries]
        writes.append([sql for sql in statements if sql.startswith(("INSERT", "UPDATE"))])

    # then each writes its results, its events and its clues in one statement apiece
    assert writes[0] == writes[1]
    assert writes[1] == [
        'INSERT INTO "triage_triageresult" ',
        'INSERT INTO "clues_clueevent" ',
        'UPDATE "clues_clue"',
    ]


@pytest.mark.django_db
def test_the_cycle_collector_is_paused_for_a_batch_and_resumed_after(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a pipeline that notes whether the collector runs, then fails
    seen: list[bool] = []

    def analyse(self: object, clues: object) -> list[object]:
        seen.append(gc.isenabled())
        raise RuntimeError("model unavailable")

    monkeypatch.setattr(engine_module.TriageEngine, "analyse", analyse)
    clue = receive(world)
    assert gc.isenabled()

    # when a batch runs (and fails, clue by clue)
    report = services.triage_clues(clue_ids=[clue.pk])

    # then the collector was off throughout, and is on again afterwards
    assert report.failed == 1
    assert seen == [False, False]
    assert gc.isenabled()


def test_a_collector_paused_by_the_caller_stays_paused() -> None:
    gc.disable()
    try:
        with services.cycle_collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_resumes_when_the_batch_raises() -> None:
    with pytest.raises(ValueError, match="boom"), services.cycle_collector_paused():
        raise ValueError("boom")
    assert gc.isenabled()
