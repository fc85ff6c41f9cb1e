"""督查台: who may open it, the boards and their lists, one clue in full, and every decision
through the real services (statuses and events), with the services' refusals shown beside
the fields."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from minsheng.clues.choices import AssignmentStatus, Outcome, VerificationMethod
from minsheng.clues.errors import ClueValidationError
from minsheng.clues.models import Clue, Tag
from minsheng.clues.services import attachments, handling, review
from minsheng.clues.services.review import ESCALATION_LEVELS
from minsheng.clues.tests.conftest import _accept, _dispatch, _report, receive
from minsheng.clues.workflow import Action, ClueStatus
from minsheng.directory.choices import Priority
from minsheng.directory.models import SLAPolicy
from minsheng.web.forms.supervisor import ESCALATION_LEVEL_CHOICES
from minsheng.web.selectors import supervisor as selectors
from minsheng.web.views import supervisor as supervisor_views

HOME = reverse("web:supervisor_home")
FIND = reverse("web:supervisor_find")
LOGIN = reverse("web:staff_login")

S = ClueStatus

pytestmark = pytest.mark.django_db


def board_url(slug: str) -> str:
    return reverse("web:supervisor_board", args=[slug])


def clue_url(clue: Clue) -> str:
    return reverse("web:supervisor_clue", args=[clue.pk])


def action_url(name: str, clue: Clue) -> str:
    return reverse(f"web:supervisor_{name}", args=[clue.pk])


def last_event(clue: Clue):
    return clue.events.order_by("-seq").first()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (10, 120, 10)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def supervisor(client, world):
    client.force_login(world.users["supervisor"])
    return client


ACTIONS = [
    "approve",
    "send_back",
    "approve_extension",
    "deny_extension",
    "answer",
    "close",
    "urge",
    "escalate",
    "typical",
]


# ----- Access ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("supervisor", 200),
        ("admin", 200),
        ("intake", 403),
        ("handler", 403),
        ("head", 403),
        ("inspector", 403),
        ("analyst", 403),
        ("citizen", 403),
    ],
)
def test_role_access_to_every_page(client, world, clue_in, role, expected) -> None:
    clue = clue_in(S.REPORTED)
    client.force_login(world.users[role])
    for url in (HOME, board_url("overdue"), clue_url(clue)):
        assert client.get(url).status_code == expected, url
    find = client.get(FIND, {"code": clue.tracking_code})
    assert find.status_code == (302 if expected == 200 else 403)


@pytest.mark.parametrize("role", ["intake", "handler", "head"])
@pytest.mark.parametrize("name", ACTIONS)
def test_other_staff_may_not_post_decisions(client, world, clue_in, role, name) -> None:
    clue = clue_in(S.REPORTED)
    client.force_login(world.users[role])
    response = client.post(action_url(name, clue), {"send_back-reason": "x", "urge-reason": "x"})
    assert response.status_code == 403
    clue.refresh_from_db()
    assert clue.status == S.REPORTED
    assert last_event(clue).action == Action.REPORT


def test_anonymous_is_sent_to_staff_login(client, world, clue_in) -> None:
    clue = clue_in(S.REPORTED)
    for url in (HOME, board_url("overdue"), clue_url(clue), FIND):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{LOGIN}?next=")
    response = client.post(action_url("approve", clue), {})
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")
    clue.refresh_from_db()
    assert clue.status == S.REPORTED


def test_supervisor_login_lands_on_the_console(client, world) -> None:
    response = client.post(LOGIN, {"username": "supervisor", "password": "test-pass-123"})
    assert response.status_code == 302
    assert response["Location"] == HOME


def test_unknown_board_and_clue_are_not_found(supervisor) -> None:
    assert supervisor.get(board_url("no-such-board")).status_code == 404
    assert supervisor.get(reverse("web:supervisor_clue", args=[999999])).status_code == 404


@pytest.mark.parametrize("name", ACTIONS)
def test_decisions_only_accept_post(supervisor, clue_in, name) -> None:
    clue = clue_in(S.REPORTED)
    assert supervisor.get(action_url(name, clue)).status_code == 405


def test_every_decision_is_one_the_console_offers() -> None:
    # the clue page shows a decision's form while the transition table allows its action
    assert sorted(decision.name for decision in supervisor_views.DECISIONS) == sorted(ACTIONS)
    offered = {decision.action for decision in supervisor_views.DECISIONS}
    assert offered == selectors.CONSOLE_ACTIONS


# ----- The home page --------------------------------------------------------------------


def test_home_shows_each_board_with_its_count(supervisor, world, clue_in) -> None:
    clue_in(S.REPORTED)
    clue_in(S.REPORTED)
    clue_in(S.EXTENSION_REQUESTED)
    html = supervisor.get(HOME).content.decode()
    assert "<h1>督查台</h1>" in html
    for board in selectors.BOARDS:
        assert board_url(board.slug) in html
        assert str(board.label) in html
    review_board = html[html.index('id="board-awaiting-review"') :]
    assert '<span class="count">2</span>' in review_board[:200]
    extension_board = html[html.index('id="board-extension-requests"') :]
    assert '<span class="count">1</span>' in extension_board[:200]
    overdue_board = html[html.index('id="board-overdue"') :]
    assert '<span class="count">0</span>' in overdue_board[:200]
    # no placeholders for features that are not built
    assert "典型案例发布" not in html
    assert "巡查" not in html


def test_home_runs_a_fixed_small_number_of_queries(
    supervisor, world, clue_in, django_assert_max_num_queries
) -> None:
    for status in (S.REPORTED, S.EXTENSION_REQUESTED, S.APPROVED, S.ACCEPTED, S.REOPENED):
        clue_in(status)
    supervisor.get(HOME)  # the working calendar is read once per process
    # session, user, and the counts of every board in one query
    with django_assert_max_num_queries(3):
        assert supervisor.get(HOME).status_code == 200
    for status in (S.REPORTED, S.EXTENSION_REQUESTED, S.APPROVED, S.ACCEPTED, S.REOPENED):
        clue_in(status)
    with django_assert_max_num_queries(3):
        assert supervisor.get(HOME).status_code == 200


def test_find_opens_a_clue_by_its_tracking_code(supervisor, clue_in) -> None:
    clue = clue_in(S.ACCEPTED)
    response = supervisor.get(FIND, {"code": f" {clue.tracking_code[:8]}-{clue.tracking_code[8:]}"})
    assert response.status_code == 302
    assert response["Location"] == clue_url(clue)


def test_find_shows_an_unknown_code_beside_the_field(supervisor, clue_in) -> None:
    response = supervisor.get(FIND, {"code": "1234 5678"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "没有这个受理编号的线索。" in html
    assert 'value="1234 5678"' in html  # what was typed stays
    assert board_url("overdue") in html  # the boards are still there


# ----- A board's list -------------------------------------------------------------------


def dispatched_days_ago(world, monkeypatch, days: int, **overrides) -> Clue:
    """A clue dispatched (and accepted) `days` calendar days ago, through the services."""
    then = timezone.now() - dt.timedelta(days=days)
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: then)
        clue = receive(world, **overrides)
        _dispatch(world, clue)
        _accept(world, clue)
    clue.refresh_from_db()
    return clue


def test_overdue_board_lists_rows_with_words_and_colours(
    supervisor, world, clue_in, monkeypatch
) -> None:
    # given a clue dispatched six weeks ago and never reported, and a fresh one
    late = dispatched_days_ago(
        world, monkeypatch, 42, title="六周前转办的停水", priority=Priority.HIGH
    )
    fresh = clue_in(S.ACCEPTED, title="今天转办的停水")
    # when the supervisor opens the overdue board
    html = supervisor.get(board_url("overdue")).content.decode()
    # then the late clue is listed with everything a supervisor needs, the fresh one is not
    assert late.tracking_code in html
    assert fresh.tracking_code not in html
    assert clue_url(late) in html
    assert "六周前转办的停水" in html
    assert world.water_bureau.name in html
    assert "办理中" in html
    assert '<span class="priority priority-high">紧急</span>' in html
    assert late.handle_due is not None
    assert late.handle_due.isoformat() in html
    assert 'class="row-overdue"' in html
    assert '<span class="due due-overdue">已超期</span>' in html
    assert re.search(r"超期 \d+ 个工作日", html)


def test_due_soon_board_uses_the_threshold(supervisor, world, clue_in, settings) -> None:
    settings.MINSHENG = {**settings.MINSHENG, "SUPERVISION_DUE_SOON_DAYS": 2}
    SLAPolicy.objects.create(priority=Priority.URGENT, accept_days=1, handle_days=1)
    soon = clue_in(S.ACCEPTED, priority=Priority.URGENT)
    normal = clue_in(S.ACCEPTED)
    html = supervisor.get(board_url("due-soon")).content.decode()
    assert soon.tracking_code in html
    assert normal.tracking_code not in html
    assert 'class="row-due-soon"' in html
    assert "剩余 1 个工作日" in html
    assert '<span class="due due-soon">即将到期</span>' in html
    assert '<span class="priority priority-urgent">特急</span>' in html
    assert "距办结期限不超过 2 个工作日为即将到期" in html

    settings.MINSHENG = {**settings.MINSHENG, "SUPERVISION_DUE_SOON_DAYS": 0}
    assert soon.tracking_code not in supervisor.get(board_url("due-soon")).content.decode()


@pytest.mark.parametrize(
    ("slug", "status"),
    [
        ("awaiting-review", S.REPORTED),
        ("extension-requests", S.EXTENSION_REQUESTED),
        ("awaiting-answer", S.APPROVED),
        ("reopened", S.REOPENED),
    ],
)
def test_each_decision_board_lists_exactly_its_clues(supervisor, clue_in, slug, status) -> None:
    clues = {
        s: clue_in(s)
        for s in (S.REPORTED, S.EXTENSION_REQUESTED, S.APPROVED, S.REOPENED, S.ACCEPTED)
    }
    html = supervisor.get(board_url(slug)).content.decode()
    listed = {s for s, clue in clues.items() if clue.tracking_code in html}
    assert listed == {status}
    assert "共 1 条" in html


def test_board_is_paginated(supervisor, clue_in, monkeypatch) -> None:
    monkeypatch.setattr(selectors, "SUPERVISOR_PAGE_SIZE", 2)
    clues = [clue_in(S.REPORTED) for _ in range(3)]
    first = supervisor.get(board_url("awaiting-review")).content.decode()
    second = supervisor.get(board_url("awaiting-review"), {"page": 2}).content.decode()
    assert "共 3 条" in first
    assert "第 1 / 2 页" in first
    assert "?page=2" in first
    listed_first = {c.tracking_code for c in clues if c.tracking_code in first}
    listed_second = {c.tracking_code for c in clues if c.tracking_code in second}
    assert len(listed_first) == 2
    assert len(listed_second) == 1
    assert listed_first.isdisjoint(listed_second)


def test_board_runs_a_fixed_number_of_queries(
    supervisor, clue_in, django_assert_max_num_queries
) -> None:
    clue_in(S.REPORTED)
    supervisor.get(board_url("awaiting-review"))
    # session, user, the count and the page with the lead department joined
    with django_assert_max_num_queries(4):
        supervisor.get(board_url("awaiting-review"))
    for _ in range(8):
        clue_in(S.REPORTED)
    with django_assert_max_num_queries(4):
        html = supervisor.get(board_url("awaiting-review")).content.decode()
    assert "共 9 条" in html


def test_empty_board_says_so(supervisor, world) -> None:
    html = supervisor.get(board_url("reopened")).content.decode()
    assert "该看板暂无线索。" in html


# ----- One clue -------------------------------------------------------------------------


def reported_with_everything(world, clue_in) -> Clue:
    """Verified on site, with a co-handler's contribution, reported with evidence."""
    clue = clue_in(S.ACCEPTED)
    handling.clue_co_accept(clue_id=clue.pk, actor=world.actor("co_handler"))
    handling.clue_co_contribute(
        clue_id=clue.pk, actor=world.actor("co_handler"), contribution="街道已配合排查管网"
    )
    handling.verification_step_record(
        clue_id=clue.pk,
        actor=world.actor("handler"),
        method=VerificationMethod.ON_SITE,
        performed_by="王五",
        performed_at=timezone.now(),
        findings="现场确认主管道爆裂",
    )
    _report(world, clue)
    attachments.attachment_add(
        clue_id=clue.pk,
        actor=world.actor("handler"),
        file=io.BytesIO(png()),
        original_name="抢修现场.png",
        report=clue.reports.get(),
    )
    clue.refresh_from_db()
    return clue


def test_clue_page_shows_the_clue_in_full(supervisor, world, clue_in) -> None:
    clue = reported_with_everything(world, clue_in)
    html = supervisor.get(clue_url(clue)).content.decode()
    # the clue, identity unmasked
    assert "小区停水三天无人处理" in html
    assert "13812341234" in html
    assert "张三" in html
    assert "个人信息已脱敏" not in html
    # assignments, the co-handler's part and the verification steps
    assert world.water_bureau.name in html
    assert world.district_gov.name in html
    assert "街道已配合排查管网" in html
    assert "已提交协办意见" in html
    assert "现场确认主管道爆裂" in html
    assert "王五" in html
    # the report with its evidence, and the timeline
    assert "经现场核查，系主管道爆裂抢修导致停水。" in html
    assert "线上访谈、实地核查" in html
    assert "抢修现场.png" in html
    evidence = clue.attachments.get()
    assert reverse("web:staff_attachment", args=[evidence.pk]) in html
    assert "报送办理结果" in html
    # the review forms, the answer prefilled from the proposed answer
    assert action_url("approve", clue) in html
    assert action_url("send_back", clue) in html
    assert "您反映的停水问题已处理，供水已恢复。</textarea>" in html
    assert action_url("answer", clue) not in html
    assert action_url("close", clue) not in html
    assert action_url("approve_extension", clue) not in html
    assert action_url("urge", clue) in html
    assert action_url("escalate", clue) in html
    assert action_url("typical", clue) in html


def test_clue_page_runs_a_bounded_number_of_queries(
    supervisor, world, clue_in, django_assert_max_num_queries
) -> None:
    clue = reported_with_everything(world, clue_in)
    supervisor.get(clue_url(clue))
    with django_assert_max_num_queries(16):
        assert supervisor.get(clue_url(clue)).status_code == 200


@pytest.mark.parametrize(
    ("status", "shown", "hidden"),
    [
        (S.EXTENSION_REQUESTED, ["approve_extension", "deny_extension", "urge"], ["approve"]),
        (S.APPROVED, ["answer", "urge", "escalate"], ["close", "approve"]),
        (S.ANSWERED, ["close"], ["answer", "urge", "escalate"]),
        (S.CLOSED, ["typical"], ["close", "urge", "answer"]),
        (S.ACCEPTED, ["urge", "escalate"], ["approve", "send_back"]),
    ],
)
def test_clue_page_offers_what_the_table_allows(supervisor, clue_in, status, shown, hidden):
    clue = clue_in(status)
    html = supervisor.get(clue_url(clue)).content.decode()
    for name in shown:
        assert action_url(name, clue) in html, name
    for name in hidden:
        assert action_url(name, clue) not in html, name


def test_clue_in_intake_links_to_the_intake_page(supervisor, clue_in) -> None:
    clue = clue_in(S.REOPENED)
    html = supervisor.get(clue_url(clue)).content.decode()
    assert reverse("web:intake_clue", args=[clue.pk]) in html


# ----- Review ---------------------------------------------------------------------------


def test_approve_with_a_comment(supervisor, world, clue_in) -> None:
    clue = clue_in(S.REPORTED)
    response = supervisor.post(
        action_url("approve", clue), {"approve-comment": "核查充分", "approve-answer": "草稿"}
    )
    assert response.status_code == 302
    assert response["Location"] == clue_url(clue)
    clue.refresh_from_db()
    assert clue.status == S.APPROVED
    assert clue.answer == ""  # not answered: the box was not ticked
    event = last_event(clue)
    assert event.action == Action.APPROVE
    assert event.reason == "核查充分"
    assert event.actor == world.users["supervisor"]
    assert clue.assignments.get(role="lead").status == AssignmentStatus.COMPLETED
    page = supervisor.get(clue_url(clue)).content.decode()
    assert f"线索 {clue.tracking_code} 已审核通过。" in page


def test_approve_and_answer_the_citizen_at_once(supervisor, world, clue_in) -> None:
    clue = clue_in(S.REPORTED)
    response = supervisor.post(
        action_url("approve", clue),
        {
            "approve-comment": "",
            "approve-answer_now": "on",
            "approve-answer": "您反映的停水问题已处理，供水已于周三恢复。",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "已审核通过，并已答复群众" in response.content.decode()
    clue.refresh_from_db()
    assert clue.status == S.ANSWERED
    assert clue.answer == "您反映的停水问题已处理，供水已于周三恢复。"
    assert clue.answered_by == world.water_bureau
    actions = list(clue.events.order_by("-seq").values_list("action", flat=True)[:2])
    assert actions == [Action.ANSWER, Action.APPROVE]


def test_approve_and_answer_needs_the_answer(supervisor, clue_in) -> None:
    clue = clue_in(S.REPORTED)
    response = supervisor.post(
        action_url("approve", clue),
        {"approve-comment": "同意", "approve-answer_now": "on", "approve-answer": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "请填写答复意见。" in html
    assert "同意</textarea>" in html  # what was typed stays
    clue.refresh_from_db()
    assert clue.status == S.REPORTED


def test_a_failed_answer_undoes_the_approval(supervisor, clue_in, monkeypatch) -> None:
    # given the answer service refuses after the approval went through
    def refuse(**kwargs):
        raise ClueValidationError("答复内容不合规。", field="answer")

    monkeypatch.setattr(review, "clue_answer", refuse)
    clue = clue_in(S.REPORTED)
    response = supervisor.post(
        action_url("approve", clue),
        {"approve-answer_now": "on", "approve-answer": "答复"},
    )
    # then neither step stays, and the refusal is shown beside the answer
    assert response.status_code == 400
    assert "答复内容不合规。" in response.content.decode()
    clue.refresh_from_db()
    assert clue.status == S.REPORTED
    assert last_event(clue).action == Action.REPORT


def test_a_refused_approval_comment_is_shown_beside_the_comment(
    supervisor, clue_in, monkeypatch
) -> None:
    # given the service refuses the approval's reason (its name for the comment)
    def refuse(**kwargs):
        raise ClueValidationError("理由不合规。", field="reason")

    monkeypatch.setattr(review, "clue_approve", refuse)
    clue = clue_in(S.REPORTED)
    response = supervisor.post(action_url("approve", clue), {"approve-comment": "同意"})
    # then the refusal sits on the comment field, not above the form
    assert response.status_code == 400
    form = response.context["forms"]["approve"]
    assert form.errors == {"comment": ["理由不合规。"]}
    assert "理由不合规。" in response.content.decode()


def test_approving_a_clue_that_is_not_reported_shows_the_services_error(
    supervisor, clue_in
) -> None:
    clue = clue_in(S.ACCEPTED)
    response = supervisor.post(action_url("approve", clue), {"approve-comment": "同意"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "线索当前状态为“办理中”，不能执行“审核通过”。" in html
    assert action_url("approve", clue) in html  # the form is shown with its error
    clue.refresh_from_db()
    assert clue.status == S.ACCEPTED


def test_send_back_requires_a_reason(supervisor, clue_in) -> None:
    clue = clue_in(S.REPORTED)
    response = supervisor.post(action_url("send_back", clue), {"send_back-reason": ""})
    assert response.status_code == 400
    assert "这个字段是必填项。" in response.content.decode()
    clue.refresh_from_db()
    assert clue.status == S.REPORTED

    response = supervisor.post(action_url("send_back", clue), {"send_back-reason": "未附现场照片"})
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.status == S.SENT_BACK
    assert clue.send_back_count == 1
    event = last_event(clue)
    assert event.action == Action.SEND_BACK
    assert event.reason == "未附现场照片"


# ----- Extensions -----------------------------------------------------------------------


def test_extension_request_is_shown_with_the_days_asked(supervisor, clue_in) -> None:
    clue = clue_in(S.EXTENSION_REQUESTED)
    html = supervisor.get(clue_url(clue)).content.decode()
    assert "申请延期 5 个工作日" in html
    assert "需协调施工单位" in html
    assert 'name="extension_approve-days" value="5"' in html
    assert "已累计延期 0 个工作日" in html


def test_approve_fewer_days_than_asked(supervisor, clue_in) -> None:
    clue = clue_in(S.EXTENSION_REQUESTED)
    due = clue.handle_due
    response = supervisor.post(
        action_url("approve_extension", clue),
        {"extension_approve-days": "3", "extension_approve-reason": ""},
    )
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.status == S.ACCEPTED
    assert clue.extension_days == 3
    assert clue.handle_due > due
    event = last_event(clue)
    assert event.action == Action.APPROVE_EXTENSION
    assert event.payload["granted_days"] == 3


def test_approving_more_days_than_asked_is_refused_beside_the_days(supervisor, clue_in) -> None:
    clue = clue_in(S.EXTENSION_REQUESTED)
    response = supervisor.post(
        action_url("approve_extension", clue), {"extension_approve-days": "7"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "批准的延期天数应为1至5个工作日（不超过申请天数）。" in html
    field = re.search(r'<input[^>]*name="extension_approve-days"[^>]*>', html)
    assert field is not None
    assert 'value="7"' in field.group(0)  # what was typed stays
    clue.refresh_from_db()
    assert clue.status == S.EXTENSION_REQUESTED


def test_deny_extension_needs_a_reason(supervisor, clue_in) -> None:
    clue = clue_in(S.EXTENSION_REQUESTED)
    due = clue.handle_due
    assert supervisor.post(action_url("deny_extension", clue), {}).status_code == 400
    response = supervisor.post(
        action_url("deny_extension", clue), {"extension_deny-reason": "工期可以压缩"}
    )
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.status == S.ACCEPTED
    assert clue.handle_due == due
    event = last_event(clue)
    assert event.action == Action.DENY_EXTENSION
    assert event.reason == "工期可以压缩"


# ----- Answer and close -----------------------------------------------------------------


def test_answer_an_approved_clue(supervisor, clue_in) -> None:
    clue = clue_in(S.APPROVED)
    page = supervisor.get(clue_url(clue)).content.decode()
    assert "您反映的停水问题已处理，供水已恢复。</textarea>" in page
    response = supervisor.post(action_url("answer", clue), {"answer-answer": "供水已恢复。"})
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.status == S.ANSWERED
    assert clue.answer == "供水已恢复。"
    assert last_event(clue).action == Action.ANSWER


def test_answer_refused_when_not_approved(supervisor, clue_in) -> None:
    clue = clue_in(S.REPORTED)
    response = supervisor.post(action_url("answer", clue), {"answer-answer": "供水已恢复。"})
    assert response.status_code == 400
    assert "不能执行“答复群众”" in response.content.decode()


def test_close_with_an_honest_outcome(supervisor, clue_in) -> None:
    clue = clue_in(S.ANSWERED)
    response = supervisor.post(
        action_url("close", clue),
        {"close-outcome": Outcome.EXPLAINED, "close-note": "已向群众解释管网改造计划"},
    )
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.status == S.CLOSED
    assert clue.outcome == Outcome.EXPLAINED
    assert clue.outcome_note == "已向群众解释管网改造计划"
    assert last_event(clue).action == Action.CLOSE


def test_close_outside_remit_names_the_responsible_body(supervisor, clue_in) -> None:
    clue = clue_in(S.ANSWERED)
    response = supervisor.post(
        action_url("close", clue),
        {"close-outcome": Outcome.OUTSIDE_REMIT, "close-note": "属于法院管辖"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "请写明有权处理的机关。" in html
    assert "属于法院管辖</textarea>" in html
    clue.refresh_from_db()
    assert clue.status == S.ANSWERED

    response = supervisor.post(
        action_url("close", clue),
        {"close-outcome": Outcome.OUTSIDE_REMIT, "close-responsible_body": "雨花区人民法院"},
    )
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.status == S.CLOSED
    assert clue.responsible_body == "雨花区人民法院"


def test_close_offers_only_the_closing_outcomes(supervisor, clue_in) -> None:
    clue = clue_in(S.ANSWERED)
    response = supervisor.post(action_url("close", clue), {"close-outcome": Outcome.WITHDRAWN})
    assert response.status_code == 400
    clue.refresh_from_db()
    assert clue.status == S.ANSWERED


# ----- Urge, escalate, typical ----------------------------------------------------------


def test_urge_records_the_message(supervisor, world, clue_in) -> None:
    clue = clue_in(S.ACCEPTED)
    response = supervisor.post(action_url("urge", clue), {"urge-reason": "请于本周内报结"})
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.status == S.ACCEPTED
    event = last_event(clue)
    assert event.action == Action.URGE
    assert event.reason == "请于本周内报结"
    page = supervisor.get(clue_url(clue)).content.decode()
    assert f"已催办线索 {clue.tracking_code}。" in page
    assert "1 次" in page


def test_urge_refused_on_a_closed_clue(supervisor, clue_in) -> None:
    clue = clue_in(S.CLOSED)
    response = supervisor.post(action_url("urge", clue), {"urge-reason": "催办"})
    assert response.status_code == 400
    assert "线索当前状态为“已办结”，不能执行“催办”。" in response.content.decode()
    assert not clue.events.filter(action=Action.URGE).exists()


def test_urge_needs_a_message(supervisor, clue_in) -> None:
    clue = clue_in(S.ACCEPTED)
    assert supervisor.post(action_url("urge", clue), {"urge-reason": "  "}).status_code == 400
    assert not clue.events.filter(action=Action.URGE).exists()


@pytest.mark.parametrize(("level", "label"), [("supervise", "督办"), ("listed", "挂牌督办")])
def test_escalate_at_a_level(supervisor, clue_in, level, label) -> None:
    clue = clue_in(S.ACCEPTED)
    response = supervisor.post(
        action_url("escalate", clue), {"escalate-level": level, "escalate-reason": "久拖不决"}
    )
    assert response.status_code == 302
    event = last_event(clue)
    assert event.action == Action.ESCALATE
    assert event.payload["level"] == level
    assert event.reason == "久拖不决"
    page = supervisor.get(clue_url(clue)).content.decode()
    assert (
        f'<span class="badge badge-{"bad" if level == "listed" else "warn"}">{label}</span>' in page
    )


def test_escalate_rejects_an_unknown_level(supervisor, clue_in) -> None:
    clue = clue_in(S.ACCEPTED)
    response = supervisor.post(
        action_url("escalate", clue), {"escalate-level": "top", "escalate-reason": "x"}
    )
    assert response.status_code == 400
    assert not clue.events.filter(action=Action.ESCALATE).exists()


def test_escalation_levels_match_the_service() -> None:
    assert [value for value, _label in ESCALATION_LEVEL_CHOICES] == list(ESCALATION_LEVELS)


def test_mark_and_unmark_a_typical_clue(supervisor, clue_in) -> None:
    clue = clue_in(S.CLOSED)
    page = supervisor.get(clue_url(clue)).content.decode()
    assert "标记为典型案例" in page
    response = supervisor.post(
        action_url("typical", clue), {"typical-typical": "1", "typical-reason": "反映集中"}
    )
    assert response.status_code == 302
    assert clue.tags.filter(slug=Tag.TYPICAL).exists()
    event = last_event(clue)
    assert event.action == Action.SET_TAGS
    assert event.reason == "反映集中"
    page = supervisor.get(clue_url(clue)).content.decode()
    assert "取消典型案例标记" in page
    assert '<span class="badge badge-warn">典型案例</span>' in page

    response = supervisor.post(
        action_url("typical", clue), {"typical-typical": "0", "typical-reason": "已无代表性"}
    )
    assert response.status_code == 302
    assert not clue.tags.filter(slug=Tag.TYPICAL).exists()


def test_typical_needs_a_reason(supervisor, clue_in) -> None:
    clue = clue_in(S.CLOSED)
    response = supervisor.post(action_url("typical", clue), {"typical-typical": "1"})
    assert response.status_code == 400
    assert not clue.tags.exists()


def test_admin_may_decide_too(client, world, clue_in) -> None:
    client.force_login(world.users["admin"])
    clue = clue_in(S.REPORTED)
    response = client.post(action_url("send_back", clue), {"send_back-reason": "证据不足"})
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.status == S.SENT_BACK
    assert last_event(clue).actor == world.users["admin"]
