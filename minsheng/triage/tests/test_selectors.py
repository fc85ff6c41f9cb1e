"""Which waiting clues an operator should label first."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from minsheng.clues.tests.conftest import World, receive
from minsheng.triage import training
from minsheng.triage.selectors import clues_worth_labelling

WATER = ["小区停水两天了无人维修", "楼里突然停水没有通知", "片区停水时间太长请恢复供水"]
FIRE = ["楼道堆满杂物堵塞消防通道", "消防栓损坏无水存在火灾隐患", "电动车在楼道充电有起火危险"]


@pytest.fixture
def trained(world: World, settings, tmp_path) -> None:
    settings.DATA_DIR = tmp_path
    for category, texts in ((world.water, WATER), (world.fire, FIRE)):
        for n in range(5):
            for text in texts:
                receive(world, title=text[:10], content=f"{text}（{n}）", category=category)
    training.triage_train(from_database=True)


@pytest.mark.django_db
def test_the_least_certain_waiting_clues_come_first_and_copies_once(world: World, trained) -> None:
    # given waiting clues without category: two clear ones, and an ambiguous one posted twice
    clear_water = receive(world, title="停水", content="小区停水两天了无人维修", category=None)
    clear_fire = receive(world, title="消防", content="楼道堆满杂物堵塞消防通道", category=None)
    mixed = "楼里突然停水，消防栓也没有水，存在火灾隐患"
    first = receive(world, title="停水又有火灾隐患", content=mixed, category=None)
    copy = receive(world, title="停水又有火灾隐患", content=mixed, category=None)

    suggestions = clues_worth_labelling(limit=3)

    ids = [item.clue_id for item in suggestions]
    assert ids[0] in (first.pk, copy.pk)
    assert not {first.pk, copy.pk} <= set(ids)  # one of the two copies is enough
    assert set(ids) - {first.pk, copy.pk} <= {clear_water.pk, clear_fire.pk}
    assert len(suggestions[0].guesses) == 2
    assert {label for label, _ in suggestions[0].guesses} == {"供水", "消防安全"}


@pytest.mark.django_db
def test_clues_already_categorised_are_not_suggested(world: World, trained) -> None:
    receive(world, title="停水", content="楼里突然停水", category=world.water)
    assert clues_worth_labelling(limit=5) == []


@pytest.mark.django_db
def test_without_a_model_there_is_nothing_to_suggest(world: World) -> None:
    receive(world, category=None)
    assert clues_worth_labelling() == []


@pytest.mark.django_db
def test_the_command_lists_tracking_codes_and_guesses(world: World, trained, capsys) -> None:
    clue = receive(world, title="停水", content="楼里突然停水，消防栓也没水", category=None)
    call_command("triage_next_labels", "--limit", "5")
    out = capsys.readouterr().out
    assert clue.tracking_code in out
    assert "%" in out
