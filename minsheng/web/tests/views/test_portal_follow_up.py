"""Follow-ups on the clue page: add information, rate, reopen, withdraw — each re-checks the
session's grant and lets the services refuse a step the clue's status does not allow."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minsheng.clues.choices import Outcome, Satisfaction
from minsheng.clues.workflow import Action, ClueStatus
from minsheng.web.tests.views.test_portal_track import open_clue

pytestmark = pytest.mark.django_db


def url(name: str, clue) -> str:
    return reverse(f"web:portal_{name}", kwargs={"code": clue.tracking_code})


def test_adding_information_records_it_and_shows_it(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    page = open_clue(client, world, clue)
    response = client.post(url("add_info", clue), {"text": "补充：3栋和5栋都停水。"})
    assert response.status_code == 302
    assert response["Location"] == page
    assert clue.events.filter(action=Action.ADD_INFO).exists()
    html = client.get(page).content.decode()
    assert "补充材料已提交" in html
    assert "3栋和5栋都停水" in html


def test_information_answers_the_department_s_question_and_resumes(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.AWAITING_INFO)
    open_clue(client, world, clue)
    client.post(url("add_info", clue), {"text": "3栋2单元。"})
    clue.refresh_from_db()
    assert clue.status == ClueStatus.ACCEPTED
    assert clue.events.filter(action=Action.SUPPLY_INFO).exists()


def test_empty_information_is_refused_beside_its_field(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    open_clue(client, world, clue)
    response = client.post(url("add_info", clue), {"text": ""})
    assert response.status_code == 400
    assert 'id="id_text_error"' in response.content.decode()


def test_rating_an_answered_clue(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.ANSWERED)
    page = open_clue(client, world, clue)
    assert 'name="satisfaction"' in client.get(page).content.decode()
    response = client.post(url("rate", clue), {"satisfaction": "satisfied", "comment": "很及时"})
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.satisfaction == Satisfaction.SATISFIED
    html = client.get(page).content.decode()
    assert "您的评价：满意" in html
    assert 'name="satisfaction"' not in html  # rated once


def test_rating_is_refused_before_an_answer(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    page = open_clue(client, world, clue)
    assert 'name="satisfaction"' not in client.get(page).content.decode()
    response = client.post(url("rate", clue), {"satisfaction": "satisfied"})
    assert response.status_code == 409
    assert "不能执行" in response.content.decode()
    clue.refresh_from_db()
    assert clue.satisfaction == ""


def test_an_unsatisfied_citizen_asks_to_reopen(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.ANSWERED)
    open_clue(client, world, clue)
    client.post(url("rate", clue), {"satisfaction": "unsatisfied"})
    response = client.post(url("reopen", clue), {"reason": "仍然停水。"})
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.status == ClueStatus.REOPENED
    assert "仍然停水" in client.get(response["Location"]).content.decode()


def test_reopening_is_refused_while_handling(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    open_clue(client, world, clue)
    response = client.post(url("reopen", clue), {"reason": "不满意"})
    assert response.status_code == 409
    clue.refresh_from_db()
    assert clue.status == ClueStatus.ACCEPTED


def test_withdrawing_with_a_reason(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.DISPATCHED)
    page = open_clue(client, world, clue)
    response = client.post(url("withdraw", clue), {"reason": "问题已自行解决"})
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.status == ClueStatus.WITHDRAWN
    assert clue.outcome == Outcome.WITHDRAWN
    html = client.get(page).content.decode()
    assert "已撤回" in html
    assert "问题已自行解决" in html
    for form in ['name="text"', 'name="reason"', 'name="satisfaction"']:
        assert form not in html  # nothing left to do on a withdrawn clue


def test_withdrawing_needs_a_reason(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.RECEIVED)
    open_clue(client, world, clue)
    response = client.post(url("withdraw", clue), {"reason": " "})
    assert response.status_code == 400
    assert 'id="id_reason_error"' in response.content.decode()


@pytest.mark.parametrize("status", [ClueStatus.ANSWERED, ClueStatus.CLOSED, ClueStatus.REJECTED])
def test_withdrawing_is_refused_once_answered_or_ended(client, world, clue_in, status) -> None:
    clue = clue_in(status)
    open_clue(client, world, clue)
    response = client.post(url("withdraw", clue), {"reason": "不需要了"})
    assert response.status_code == 409
    clue.refresh_from_db()
    assert clue.status == status


@pytest.mark.parametrize("action", ["add_info", "rate", "reopen", "withdraw"])
def test_every_follow_up_needs_the_session_grant(client, clue_in, action) -> None:
    # given a clue this browser never proved access to
    clue = clue_in(ClueStatus.ANSWERED)
    events_before = clue.events.count()
    response = client.post(
        url(action, clue), {"text": "x", "satisfaction": "satisfied", "reason": "x"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:portal_track"))
    assert clue.events.count() == events_before
    clue.refresh_from_db()
    assert (clue.status, clue.satisfaction) == (ClueStatus.ANSWERED, "")


def test_follow_ups_only_accept_posts(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    open_clue(client, world, clue)
    assert client.get(url("withdraw", clue)).status_code == 405
