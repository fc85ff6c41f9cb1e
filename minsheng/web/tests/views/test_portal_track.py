"""查询: code and secret open the clue's page, in plain words and without internal steps."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minsheng.clues.services import intake, review
from minsheng.clues.services.codes import format_tracking_code
from minsheng.clues.tests.conftest import _answer, _approve, _report_step
from minsheng.clues.workflow import ClueStatus

TRACK = reverse("web:portal_track")

pytestmark = pytest.mark.django_db


def secret_for(world, clue) -> str:
    return intake.clue_reset_query_secret(clue_id=clue.pk, actor=world.actor("intake"))


def open_clue(client, world, clue) -> str:
    """Prove access as the citizen; return the clue page's URL."""
    response = client.post(
        TRACK, {"tracking_code": clue.tracking_code, "query_secret": secret_for(world, clue)}
    )
    assert response.status_code == 302
    return response["Location"]


def test_code_and_secret_open_the_clue_page(client, world, clue_in) -> None:
    # given a clue and its secret, typed with the spaces of the receipt and in lower case
    clue = clue_in(ClueStatus.ACCEPTED)
    secret = secret_for(world, clue)
    response = client.post(
        TRACK,
        {"tracking_code": format_tracking_code(clue.tracking_code), "query_secret": secret.lower()},
    )
    # then the page opens
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "责任单位正在办理" in html
    assert "办理期限" in html
    assert clue.title in html


def test_wrong_code_and_wrong_secret_say_the_same(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.RECEIVED)
    secret = secret_for(world, clue)
    wrong_secret = client.post(TRACK, {"tracking_code": clue.tracking_code, "query_secret": "X"})
    wrong_code = client.post(TRACK, {"tracking_code": "2601011234567890", "query_secret": secret})
    assert wrong_secret.status_code == wrong_code.status_code == 400
    message = "受理编号或查询码不正确"
    assert message in wrong_secret.content.decode()
    assert message in wrong_code.content.decode()
    assert _alert(wrong_secret.content.decode()) == _alert(wrong_code.content.decode())


def _alert(html: str) -> str:
    start = html.index('role="alert"')
    return html[start : html.index("</div>", start)]


def test_failed_lookups_are_limited_per_address(client, world, clue_in, settings) -> None:
    settings.MINSHENG = {**settings.MINSHENG, "PORTAL_TRACK_PER_IP_PER_HOUR": 2}
    clue = clue_in(ClueStatus.RECEIVED)
    for _ in range(2):
        client.post(TRACK, {"tracking_code": clue.tracking_code, "query_secret": "WRONG"})
    # then even the right secret is refused for a while
    response = client.post(
        TRACK, {"tracking_code": clue.tracking_code, "query_secret": secret_for(world, clue)}
    )
    assert response.status_code == 429
    assert "查询失败次数过多" in response.content.decode()


def test_the_clue_page_needs_a_grant_in_the_session(client, clue_in) -> None:
    clue = clue_in(ClueStatus.RECEIVED)
    url = reverse("web:portal_clue", kwargs={"code": clue.tracking_code})
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(TRACK)


def test_a_grant_expires(client, world, clue_in, settings) -> None:
    clue = clue_in(ClueStatus.RECEIVED)
    settings.MINSHENG = {**settings.MINSHENG, "PORTAL_ACCESS_SECONDS": -1}
    url = open_clue(client, world, clue)
    assert client.get(url).status_code == 302


def test_a_grant_opens_only_its_own_clue(client, world, clue_in) -> None:
    mine, other = clue_in(ClueStatus.RECEIVED), clue_in(ClueStatus.RECEIVED)
    open_clue(client, world, mine)
    response = client.get(reverse("web:portal_clue", kwargs={"code": other.tracking_code}))
    assert response.status_code == 302


def test_the_timeline_hides_internal_steps_notes_and_staff_names(client, world, clue_in) -> None:
    # given an answered clue with a verification report and a supervisor's reminder
    clue = clue_in(ClueStatus.ACCEPTED)
    review.clue_urge(clue_id=clue.pk, actor=world.actor("supervisor"), message="内部催办：尽快")
    for step in (_report_step, _approve, _answer):
        step(world, clue)
    url = open_clue(client, world, clue)

    html = client.get(url).content.decode()

    # then the citizen reads the steps in plain words, the answer and who answered
    for words in ["受理：已收到您的反映", "转办", "长沙市水务局", "办理：责任单位已签收", "答复"]:
        assert words in html
    assert "供水已恢复。" in html
    assert "答复单位：长沙市水务局" in html
    # and nothing internal: findings, proposed answer, reminder, staff names, roles
    for hidden in [
        "经现场核查",
        "拟答复",
        "内部催办",
        "handler",
        "supervisor",
        "intake",
        "审核通过",
        "报送",
        "雨花区人民政府",  # the co-handler is department-internal
    ]:
        assert hidden not in html, hidden


def test_the_department_s_question_is_shown_when_it_waits_for_the_citizen(
    client, world, clue_in
) -> None:
    clue = clue_in(ClueStatus.AWAITING_INFO)
    html = client.get(open_clue(client, world, clue)).content.decode()
    assert "请提供具体楼栋号" in html
    assert "计时已暂停" in html
    assert "办理期限" not in html
