"""Importing the history: answered clues through the bulk importer, once."""

from __future__ import annotations

import pytest

from minsheng.clues.choices import Channel
from minsheng.clues.models import Clue
from minsheng.clues.services.events import verify_chain
from minsheng.clues.workflow import Action, ClueStatus
from minsheng.demo.data.history import HISTORY
from minsheng.demo.past import PastClue
from minsheng.demo.services.history import HISTORY_SOURCE, demo_history_load
from minsheng.demo.services.reference import demo_reference_load
from minsheng.demo.services.summary import DemoLoadError

pytestmark = pytest.mark.django_db

SAMPLE = HISTORY[:3] + HISTORY[-3:]


@pytest.fixture
def reference() -> None:
    demo_reference_load()


def history_clues() -> list[Clue]:
    return list(Clue.objects.filter(source=HISTORY_SOURCE).select_related("category", "region"))


@pytest.mark.usefixtures("reference")
def test_every_past_clue_becomes_an_answered_clue_under_its_category_and_region() -> None:
    # when the whole history is loaded
    section = demo_history_load(HISTORY)

    # then each record is one answered clue, filed where the record says
    assert (section.created, section.existing) == (len(HISTORY), 0)
    clues = {clue.external_id: clue for clue in history_clues()}
    assert set(clues) == {record.key for record in HISTORY}
    for record in HISTORY:
        clue = clues[record.key]
        assert clue.status == ClueStatus.ANSWERED, record.key
        assert clue.channel == Channel.BULK_IMPORT
        assert clue.category is not None
        assert clue.category.full_name().replace(" / ", "/") == record.category, record.key
        assert clue.region is not None
        assert clue.region.name == record.region
        assert (clue.title, clue.content, clue.answer) == (
            record.title,
            record.content,
            record.answer,
        )
        assert clue.answered_at is not None
        assert clue.reported_at < clue.answered_at


@pytest.mark.usefixtures("reference")
def test_each_clue_has_one_verified_import_event() -> None:
    demo_history_load(SAMPLE)
    for clue in history_clues():
        events = list(clue.events.order_by("seq"))
        assert [event.action for event in events] == [Action.IMPORT_ANSWERED]
        assert verify_chain(clue, events) == []


@pytest.mark.usefixtures("reference")
def test_a_second_load_creates_nothing() -> None:
    # given the history loaded once
    demo_history_load(SAMPLE)
    before = {clue.pk: clue.updated_at for clue in history_clues()}

    # when it is loaded again
    section = demo_history_load(SAMPLE)

    # then every record is found and nothing is written
    assert (section.created, section.existing) == (0, len(SAMPLE))
    assert {clue.pk: clue.updated_at for clue in history_clues()} == before


@pytest.mark.usefixtures("reference")
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("category", "供水/不存在的分类", "分类“供水/不存在的分类”不在分类体系中"),
        ("region", "火星区", "区划“火星区”不在演示区划中"),
        ("reported", "昨天", "留言时间无法识别"),
    ],
)
def test_a_record_that_does_not_fit_is_a_demo_data_error(
    field: str, value: str, message: str
) -> None:
    broken: PastClue = HISTORY[0]._replace(**{field: value})
    with pytest.raises(DemoLoadError, match=message):
        demo_history_load([broken])
