"""The whole pipeline on one clue: masking, places, urgency, duplicates, routing, bad input."""

from __future__ import annotations

import pytest

from minsheng.clues.tests.conftest import World, receive
from minsheng.directory.choices import Priority
from minsheng.triage import services
from minsheng.triage.models import TriageStatus


@pytest.mark.django_db
def test_a_dangerous_clue_is_masked_located_raised_and_routed(world: World) -> None:
    # given a clue without category or region that names a place, a phone and a danger
    clue = receive(
        world,
        category=None,
        region=None,
        title="雨花区某小区楼道有很重的煤气味",
        content="我叫王小明，电话13907311234，雨花区东塘街道某小区3栋楼道燃气泄漏，"
        "闻到很重的煤气味，老人小孩都在家，请马上派人处理！",
    )

    # when triaged (no model yet)
    result = services.triage_clue(clue_id=clue.pk)

    # then personal data is masked for departments
    assert result is not None
    assert "13907311234" not in result.masked_content
    assert "139****1234" in result.masked_content
    assert "王小明" not in result.masked_content
    assert {"mobile", "name"} <= set(result.pii_kinds)
    # the region is found from the text
    assert result.region == world.district
    # urgency says why and raises the clue's priority
    assert result.urgency["level"] in (Priority.HIGH, Priority.URGENT)
    assert result.urgency["reasons"]
    clue.refresh_from_db()
    assert clue.priority in (Priority.HIGH, Priority.URGENT)
    assert result.status == TriageStatus.NEEDS_HUMAN  # no model: a human confirms the category


@pytest.mark.django_db
def test_a_near_repeat_by_the_same_person_is_a_likely_duplicate(world: World) -> None:
    first = receive(
        world,
        title="小区停水三天无人处理",
        content="雨花区某小区自周一起停水，物业称是市政管网维修，至今没有恢复供水。",
    )
    again = receive(
        world,
        title="小区停水三天了还是无人处理",
        content="雨花区某小区自周一起停水，物业说是市政管网维修，到现在还没有恢复供水！",
    )
    result = services.triage_clue(clue_id=again.pk)
    assert result is not None
    duplicates = [d for d in result.duplicates if d["kind"] == "duplicate"]
    assert [d["clue_id"] for d in duplicates] == [first.pk]
    assert duplicates[0]["same_complainant"] is True


@pytest.mark.parametrize(
    "content",
    [
        "😀😀😀🙏🙏",
        "<script>alert('x')</script><b>停水</b>",
        "The water supply has been cut for three days.",
        "停水" * 6000,
        "   \t\n ",
    ],
    ids=["emoji", "html", "english", "very-long", "blank-after-title"],
)
@pytest.mark.django_db
def test_odd_input_still_completes(world: World, content: str) -> None:
    clue = receive(world, title="？", content=content.strip() or "。")
    result = services.triage_clue(clue_id=clue.pk)
    assert result is not None
    assert result.status in (TriageStatus.DONE, TriageStatus.NEEDS_HUMAN)
    assert result.last_error == ""
    if len(content) > 5000:
        assert any("内容过长" in note for note in result.notes)
