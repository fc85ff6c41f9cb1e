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


@pytest.mark.django_db
def test_the_classifier_reads_title_and_body_as_it_was_trained(
    world: World, settings, tmp_path
) -> None:
    # given a model trained on clues filed by people
    from minsheng.triage import training
    from minsheng.triage.classifier.data import join_message
    from minsheng.triage.registry import CATEGORY, active_model

    settings.DATA_DIR = tmp_path
    for category, text in ((world.water, "小区停水无人维修"), (world.fire, "楼道堵塞消防通道")):
        for n in range(12):
            receive(world, title=text[:4], content=f"{text}，已经{n + 2}天了。", category=category)
    training.triage_train(from_database=True)
    active = active_model(CATEGORY)
    assert active is not None

    # when a clue with a title and a body is triaged
    clue = receive(world, title="消防通道", content="楼道被杂物堵塞，消防通道不通。", category=None)
    result = services.triage_clue(clue_id=clue.pk)

    # then its probabilities are the model's on the title and body kept apart
    assert result is not None
    expected = active[1].predict_top([join_message(title=clue.title, content=clue.content)], k=3)[0]
    assert [(c["label"], round(c["probability"], 6)) for c in result.categories] == [
        (label, round(p, 6)) for label, p in expected
    ]
