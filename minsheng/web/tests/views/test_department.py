"""承办工作台: who may open it, the queue by deadline, the clue page and every action the
department takes there, through the real services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from minsheng.clues.choices import AssignmentRole, AssignmentStatus, VerificationMethod
from minsheng.clues.models import Assignment, Attachment, Clue, VerificationStep
from minsheng.clues.services import handling, intake
from minsheng.clues.services.deadlines import remaining_working_days
from minsheng.clues.workflow import Action, ClueStatus
from minsheng.web.selectors import department as selectors
from minsheng.web.views import department as department_views
from minsheng.workcal.services import add_working_days

QUEUE = reverse("web:department_queue")
LOGIN = reverse("web:staff_login")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"1 0 obj\n" * 8

pytestmark = pytest.mark.django_db


def url(name: str, clue: Clue) -> str:
    return reverse(f"web:department_{name}", args=[clue.pk])


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def pdf(name: str = "record.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def lead_assignment(clue: Clue) -> Assignment:
    return clue.assignments.get(role=AssignmentRole.LEAD)


def last_action(clue: Clue) -> str:
    event = clue.events.order_by("-seq").first()
    assert event is not None
    return event.action


@pytest.fixture
def as_user(client, world):
    def sign_in(key: str):
        client.force_login(world.users[key])
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _calendar_trusted(settings):
    """Query counts must not depend on when the working calendar last checked its table."""
    settings.MINSHENG = {**settings.MINSHENG, "CALENDAR_RECHECK_SECONDS": 3600}


# ----- Access ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("handler", 200),
        ("head", 200),
        ("intake", 403),
        ("supervisor", 403),
        ("admin", 403),
        ("inspector", 403),
        ("analyst", 403),
        ("citizen", 403),
    ],
)
def test_role_access_to_queue_and_clue(as_user, clue_in, role, expected) -> None:
    clue = clue_in(ClueStatus.DISPATCHED)
    client = as_user(role)
    assert client.get(QUEUE).status_code == expected
    assert client.get(url("clue", clue)).status_code == expected


@pytest.mark.parametrize("role", ["intake", "supervisor", "admin"])
def test_intake_and_supervision_cannot_take_department_actions(as_user, clue_in, role) -> None:
    clue = clue_in(ClueStatus.DISPATCHED)
    client = as_user(role)
    assert client.post(url("accept", clue)).status_code == 403
    assert client.post(url("reveal", clue), {"reveal-reason": "联系核实"}).status_code == 403
    clue.refresh_from_db()
    assert clue.status == ClueStatus.DISPATCHED
    assert not clue.events.filter(action=Action.REVEAL_IDENTITY).exists()


ACTION_NAMES = [action.name for action in department_views.ACTIONS] + ["reveal"]


@pytest.mark.parametrize("name", ACTION_NAMES)
def test_every_action_is_closed_to_other_benches_and_other_departments(
    as_user, clue_in, name
) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    for role in ("intake", "supervisor", "admin", "analyst"):
        assert as_user(role).post(url(name, clue)).status_code == 403
    assert as_user("other_handler").post(url(name, clue)).status_code == 404
    assert as_user("handler").get(url(name, clue)).status_code == 405
    clue.refresh_from_db()
    assert clue.status == ClueStatus.ACCEPTED
    assert last_action(clue) == Action.ACCEPT


def test_anonymous_is_sent_to_staff_login(client, clue_in) -> None:
    clue = clue_in(ClueStatus.DISPATCHED)
    for address in (QUEUE, url("clue", clue)):
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{LOGIN}?next=")
    assert client.post(url("accept", clue)).status_code == 302


def test_staff_login_lands_a_department_on_its_queue(client, world) -> None:
    response = client.post(LOGIN, {"username": "handler", "password": "test-pass-123"})
    assert response.status_code == 302
    assert response["Location"] == QUEUE


def test_a_clue_without_the_departments_assignment_is_not_found(as_user, clue_in) -> None:
    # given a water clue, which the fire brigade has never been assigned
    clue = clue_in(ClueStatus.DISPATCHED)
    client = as_user("other_handler")
    # then its page and its actions are "not found", as if it did not exist
    assert client.get(url("clue", clue)).status_code == 404
    assert client.post(url("accept", clue)).status_code == 404
    assert client.post(url("reveal", clue), {"reveal-reason": "联系核实"}).status_code == 404
    clue.refresh_from_db()
    assert clue.status == ClueStatus.DISPATCHED


def test_a_co_handler_accepting_as_lead_is_refused_on_the_page(as_user, clue_in) -> None:
    # given a dispatched clue on which the district government is co-handler
    clue = clue_in(ClueStatus.DISPATCHED)
    client = as_user("co_handler")
    # when it posts the lead's accept
    response = client.post(url("accept", clue))
    # then the service's refusal is shown and nothing moved
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="refusals"' in html
    assert "本单位没有该线索的相应承办任务" in html
    clue.refresh_from_db()
    assert clue.status == ClueStatus.DISPATCHED
    assert lead_assignment(clue).status == AssignmentStatus.PENDING


def test_a_department_of_an_earlier_round_may_look_but_not_act(world, as_user, clue_in) -> None:
    # given a clue the water bureau returned, now dispatched to the fire brigade
    clue = clue_in(ClueStatus.RETURNED)
    intake.clue_dispatch(
        clue_id=clue.pk, actor=world.actor("intake"), lead_department=world.fire_brigade
    )
    client = as_user("handler")
    # then the water bureau still sees the clue, with no actions on offer
    page = client.get(url("clue", clue))
    assert page.status_code == 200
    html = page.content.decode()
    assert "本单位在当前这一轮转办中没有承办任务" in html
    assert url("accept", clue) not in html
    assert url("reveal", clue) not in html
    # and an accept it posts anyway is refused on the page
    response = client.post(url("accept", clue))
    assert response.status_code == 400
    assert "本单位没有该线索的相应承办任务" in response.content.decode()
    clue.refresh_from_db()
    assert clue.status == ClueStatus.DISPATCHED
    assert clue.assignments.get(department=world.fire_brigade).status == AssignmentStatus.PENDING


# ----- The queue ------------------------------------------------------------------------


def _set_handle_due(clue: Clue, due: dt.date) -> None:
    """Test setup: place the lead's handling deadline (deadlines are not a status)."""
    Assignment.objects.filter(clue=clue, role=AssignmentRole.LEAD).update(handle_due=due)


def test_queue_lists_assignments_by_deadline_with_working_days_left(
    world, as_user, clue_in
) -> None:
    # given three accepted clues: one overdue, one due in 2 working days, one in 10
    today = timezone.localdate()
    relaxed = clue_in(ClueStatus.ACCEPTED, title="十天后到期")
    soon = clue_in(ClueStatus.ACCEPTED, title="两天后到期")
    late = clue_in(ClueStatus.ACCEPTED, title="已经超期")
    _set_handle_due(relaxed, add_working_days(today, 10))
    _set_handle_due(soon, add_working_days(today, 2))
    late_due = today - dt.timedelta(days=20)
    _set_handle_due(late, late_due)
    fire = clue_in(ClueStatus.DISPATCHED, category=world.fire, title="消防通道堵塞")
    # when the water bureau opens its queue
    html = as_user("handler").get(QUEUE).content.decode()
    # then its clues come nearest deadline first, each with its words and colour
    codes = [late.tracking_code, soon.tracking_code, relaxed.tracking_code]
    assert [html.index(code) for code in codes] == sorted(html.index(code) for code in codes)
    assert fire.tracking_code not in html
    assert 'class="row-overdue"' in html
    assert 'class="row-due-soon"' in html
    assert '<span class="due due-overdue">已超期</span>' in html
    assert '<span class="due due-soon">即将到期</span>' in html
    assert '<span class="due due-normal">正常</span>' in html
    assert "剩余 2 个工作日" in html
    assert "剩余 10 个工作日" in html
    assert f"超期 {-remaining_working_days(late_due, today=today)} 个工作日" in html


def test_queue_titles_are_masked(as_user, clue_in) -> None:
    clue = clue_in(ClueStatus.DISPATCHED, title="张三13812341234反映停水")
    html = as_user("handler").get(QUEUE).content.decode()
    assert clue.tracking_code in html
    assert "13812341234" not in html


def test_queue_filters_by_status_and_role(world, as_user, clue_in) -> None:
    pending = clue_in(ClueStatus.DISPATCHED, title="待签收")
    accepted = clue_in(ClueStatus.ACCEPTED, title="办理中")
    reported = clue_in(ClueStatus.REPORTED, title="已报结")
    closed = clue_in(ClueStatus.CLOSED, title="已办结")
    client = as_user("handler")

    everything = (pending, accepted, reported, closed)

    def listed(**params: str) -> set[str]:
        html = client.get(QUEUE, params).content.decode()
        return {c.tracking_code for c in everything if c.tracking_code in html}

    assert listed() == {pending.tracking_code, accepted.tracking_code, reported.tracking_code}
    assert listed(status="pending") == {pending.tracking_code}
    assert listed(status="in_hand") == {accepted.tracking_code}
    assert listed(status="reported") == {reported.tracking_code}
    assert listed(status="finished") == {closed.tracking_code}
    assert listed(status="all") == {c.tracking_code for c in everything}
    assert listed(role="co") == set()  # the water bureau leads all of them
    # the district government co-handles the same clues
    co_html = as_user("co_handler").get(QUEUE, {"role": "co"}).content.decode()
    assert pending.tracking_code in co_html
    assert "协办" in co_html
    # and the filter form shows the choices made, "all" included
    html = client.get(QUEUE, {"status": "all", "role": "lead"}).content.decode()
    assert '<select id="filter-status" name="status">' in html
    assert '<option value="all" selected>全部（含已结束）</option>' in html
    assert '<option value="lead" selected>主办</option>' in html
    assert '<option value="">未结束的全部</option>' in html


def test_queue_boards_count_each_status_group(as_user, clue_in) -> None:
    clue_in(ClueStatus.DISPATCHED)
    clue_in(ClueStatus.DISPATCHED)
    clue_in(ClueStatus.ACCEPTED)
    html = as_user("handler").get(QUEUE).content.decode()
    assert '<span class="count">2</span>待签收' in html
    assert '<span class="count">1</span>办理中' in html


def test_queue_is_paginated(monkeypatch, as_user, clue_in) -> None:
    monkeypatch.setattr(selectors, "DEPARTMENT_PAGE_SIZE", 2)
    clues = [clue_in(ClueStatus.DISPATCHED) for _ in range(3)]
    client = as_user("handler")
    first = client.get(QUEUE, {"role": "lead"}).content.decode()
    second = client.get(QUEUE, {"role": "lead", "page": 2}).content.decode()
    assert "第 1 / 2 页" in first
    assert "role=lead&amp;page=2" in first
    on_first = {c.tracking_code for c in clues if c.tracking_code in first}
    on_second = {c.tracking_code for c in clues if c.tracking_code in second}
    assert len(on_first) == 2
    assert len(on_second) == 1
    assert on_first.isdisjoint(on_second)


def _queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(QUEUE).status_code == 200
    return len(queries)


def test_queue_runs_a_fixed_number_of_queries(
    as_user, clue_in, django_assert_max_num_queries
) -> None:
    client = as_user("handler")
    clue_in(ClueStatus.DISPATCHED)
    _queue_queries(client)  # the working calendar computes its years once
    one = _queue_queries(client)
    for status in [ClueStatus.DISPATCHED, ClueStatus.ACCEPTED, ClueStatus.AWAITING_INFO] * 4:
        clue_in(status)
    with django_assert_max_num_queries(one):
        response = client.get(QUEUE)
    assert response.content.decode().count('class="code"') == 13
    assert one <= 8


# ----- The clue page --------------------------------------------------------------------


def test_lead_sees_masked_clue_round_and_its_first_actions(world, as_user, clue_in) -> None:
    clue = clue_in(ClueStatus.DISPATCHED)
    html = as_user("handler").get(url("clue", clue)).content.decode()
    # masked identity, never the full values
    assert "13812341234" not in html
    assert "138****1234" in html
    # the round: lead and co-handler with their status
    assert world.water_bureau.name in html
    assert world.district_gov.name in html
    assert "待签收" in html
    # the lead's first decisions, and nothing that needs the clue accepted
    assert url("accept", clue) in html
    assert url("return_clue", clue) in html
    assert url("report", clue) not in html
    assert url("co_accept", clue) not in html
    assert url("reveal", clue) in html
    assert "签收期限" in html
    # a return may suggest another department, not its own
    suggestions = html[html.index('id="id_return-suggested_department"') :]
    suggestions = suggestions[: suggestions.index("</select>")]
    assert world.fire_brigade.name in suggestions
    assert world.water_bureau.name not in suggestions


def test_co_handler_sees_its_own_actions_only(as_user, clue_in) -> None:
    clue = clue_in(ClueStatus.DISPATCHED)
    html = as_user("co_handler").get(url("clue", clue)).content.decode()
    assert url("co_accept", clue) in html
    assert url("co_return", clue) in html
    assert url("accept", clue) not in html
    assert url("return_clue", clue) not in html


def test_accept_moves_the_clue_and_redirects_with_a_message(world, as_user, clue_in) -> None:
    clue = clue_in(ClueStatus.DISPATCHED)
    client = as_user("head")
    response = client.post(url("accept", clue))
    assert response.status_code == 302
    assert response["Location"] == url("clue", clue)
    clue.refresh_from_db()
    assert clue.status == ClueStatus.ACCEPTED
    assert last_action(clue) == Action.ACCEPT
    page = client.get(response["Location"]).content.decode()
    assert f"线索 {clue.tracking_code} 已签收。" in page
    assert url("report", clue) in page
    assert url("step", clue) in page


def test_return_needs_a_reason_and_keeps_what_was_typed(world, as_user, clue_in) -> None:
    clue = clue_in(ClueStatus.DISPATCHED)
    client = as_user("handler")
    response = client.post(
        url("return_clue", clue),
        {"return-reason": "", "return-suggested_department": world.fire_brigade.pk},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="return"' in html
    assert "这个字段是必填项" in html
    assert f'<option value="{world.fire_brigade.pk}" selected>' in html
    clue.refresh_from_db()
    assert clue.status == ClueStatus.DISPATCHED


def test_return_with_a_suggested_department(world, as_user, clue_in) -> None:
    clue = clue_in(ClueStatus.DISPATCHED)
    response = as_user("handler").post(
        url("return_clue", clue),
        {"return-reason": "属消防职责", "return-suggested_department": world.fire_brigade.pk},
    )
    assert response.status_code == 302
    assert response["Location"] == QUEUE
    clue.refresh_from_db()
    assert clue.status == ClueStatus.RETURNED
    event = clue.events.get(action=Action.RETURN)
    assert event.reason == "属消防职责"
    assert event.payload["suggested_department"] == world.fire_brigade.name


def test_request_extension(as_user, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    client = as_user("handler")
    too_long = client.post(
        url("extension", clue), {"extension-days": "61", "extension-reason": "需协调"}
    )
    assert too_long.status_code == 400
    assert 'value="需协调"' not in too_long.content.decode()  # a textarea, not an input
    assert "需协调</textarea>" in too_long.content.decode()
    response = client.post(
        url("extension", clue), {"extension-days": "5", "extension-reason": "需协调施工单位"}
    )
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.status == ClueStatus.EXTENSION_REQUESTED
    assert clue.events.get(action=Action.REQUEST_EXTENSION).payload["days"] == 5


def test_request_info_pauses_and_resume_restarts(as_user, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    client = as_user("handler")
    response = client.post(url("request_info", clue), {"request_info-reason": "请提供楼栋号"})
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.status == ClueStatus.AWAITING_INFO
    page = client.get(url("clue", clue)).content.decode()
    # the deadline itself says the clock stands still (not only the flash message)
    assert '">计时暂停</span>' in page
    assert "群众补充材料后顺延" in page
    assert url("resume", clue) in page
    assert url("request_info", clue) not in page
    assert client.post(url("resume", clue), {"resume-reason": ""}).status_code == 400
    response = client.post(url("resume", clue), {"resume-reason": "已电话联系群众"})
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.status == ClueStatus.ACCEPTED


def _step_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "step-method": VerificationMethod.ON_SITE,
        "step-performed_by": "李四、王五",
        "step-performed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "step-findings": "现场查看，主管道爆裂正在抢修。",
    }
    data.update(overrides)
    return data


def test_record_a_step_with_evidence(world, as_user, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    client = as_user("handler")
    response = client.post(
        url("step", clue), _step_data(**{"step-evidence": [png("现场.png"), pdf("台账.pdf")]})
    )
    assert response.status_code == 302
    step = VerificationStep.objects.get(assignment__clue=clue)
    assert step.method == VerificationMethod.ON_SITE
    assert step.recorded_by == world.users["handler"]
    assert sorted(a.original_name for a in step.evidence.all()) == ["台账.pdf", "现场.png"]
    page = client.get(url("clue", clue)).content.decode()
    assert "现场查看，主管道爆裂正在抢修。" in page
    assert "现场.png" in page
    evidence = step.evidence.get(original_name="现场.png")
    assert reverse("web:staff_attachment", args=[evidence.pk]) in page


def test_a_bad_file_saves_nothing_and_keeps_what_was_typed(as_user, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    script = SimpleUploadedFile("scan.jpg", b"<script>alert(1)</script>", "image/jpeg")
    response = as_user("handler").post(
        url("step", clue), _step_data(**{"step-evidence": [png(), script]})
    )
    assert response.status_code == 400
    html = response.content.decode()
    # the error names the file, beside the file field
    evidence_field = html[html.index('for="id_step-evidence"') :]
    evidence_field = evidence_field[: evidence_field.index("</div>")]
    assert "scan.jpg" in evidence_field
    assert "按文件内容判断" in evidence_field
    # what was typed is still there, and the files must be chosen again
    assert "现场查看，主管道爆裂正在抢修。</textarea>" in html
    assert 'value="李四、王五"' in html
    assert "请重新选择" in html
    # nothing half-saved
    assert not VerificationStep.objects.filter(assignment__clue=clue).exists()
    assert not Attachment.objects.filter(clue=clue).exists()


def test_a_step_in_the_future_is_refused_beside_its_field(as_user, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    tomorrow = timezone.localtime() + dt.timedelta(days=1)
    response = as_user("handler").post(
        url("step", clue), _step_data(**{"step-performed_at": tomorrow.strftime("%Y-%m-%dT%H:%M")})
    )
    assert response.status_code == 400
    html = response.content.decode()
    field = html[html.index('for="id_step-performed_at"') :]
    assert "核查时间不能晚于当前时间" in field[: field.index("</div>")]


def test_report_preselects_the_recorded_methods_and_attaches_evidence(
    world, as_user, clue_in
) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    for method in (VerificationMethod.ONLINE_INTERVIEW, VerificationMethod.ON_SITE):
        handling.verification_step_record(
            clue_id=clue.pk,
            actor=world.actor("handler"),
            method=method,
            performed_by="李四",
            performed_at=timezone.now(),
            findings="核实情况",
        )
    client = as_user("handler")
    html = client.get(url("clue", clue)).content.decode()
    assert 'value="online_interview" id="id_report-methods_1" checked' in html
    assert 'value="on_site" id="id_report-methods_5" checked' in html
    assert 'value="web_search" id="id_report-methods_0" checked' not in html

    data: dict[str, object] = {
        "report-methods": ["online_interview", "on_site"],
        "report-findings": "系主管道爆裂抢修导致停水。",
        "report-conclusion": "substantiated",
        "report-actions_taken": "已恢复供水。",
        "report-proposed_answer": "",
    }
    missing = client.post(url("report", clue), data)
    assert missing.status_code == 400
    assert "系主管道爆裂抢修导致停水。</textarea>" in missing.content.decode()

    data["report-proposed_answer"] = "您反映的停水问题已处理。"
    data["report-evidence"] = [pdf("核查报告.pdf")]
    response = client.post(url("report", clue), data)
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.status == ClueStatus.REPORTED
    report = clue.reports.get()
    assert set(report.methods) == {"online_interview", "on_site"}
    assert [a.original_name for a in report.evidence.all()] == ["核查报告.pdf"]
    page = client.get(url("clue", clue)).content.decode()
    assert "已报送的办理结果" in page
    assert "线上访谈、实地核查" in page
    assert url("report", clue) not in page


def test_co_handler_accepts_and_contributes_and_the_lead_reads_it(world, as_user, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    client = as_user("co_handler")
    assert client.post(url("contribute", clue), {"contribute-contribution": "x"}).status_code == 400
    assert client.post(url("co_accept", clue)).status_code == 302
    assert clue.assignments.get(role=AssignmentRole.CO).status == AssignmentStatus.ACCEPTED
    empty = client.post(url("contribute", clue), {"contribute-contribution": ""})
    assert empty.status_code == 400
    response = client.post(
        url("contribute", clue), {"contribute-contribution": "街道已协助通知居民临时供水点。"}
    )
    assert response.status_code == 302
    co = clue.assignments.get(role=AssignmentRole.CO)
    assert co.status == AssignmentStatus.CONTRIBUTED
    assert (
        "街道已协助通知居民临时供水点。"
        in as_user("handler").get(url("clue", clue)).content.decode()
    )


def test_contributions_are_not_shown_to_an_earlier_round(world, as_user, clue_in) -> None:
    clue = clue_in(ClueStatus.DISPATCHED)
    handling.clue_co_accept(clue_id=clue.pk, actor=world.actor("co_handler"))
    handling.clue_accept(clue_id=clue.pk, actor=world.actor("handler"))
    handling.clue_co_contribute(
        clue_id=clue.pk, actor=world.actor("co_handler"), contribution="协办意见全文"
    )
    # the co-handler sees its own contribution
    assert "协办意见全文" in as_user("co_handler").get(url("clue", clue)).content.decode()
    handling.clue_return(clue_id=clue.pk, actor=world.actor("handler"), reason="非本单位")
    intake.clue_dispatch(
        clue_id=clue.pk, actor=world.actor("intake"), lead_department=world.fire_brigade
    )
    # the water bureau led the earlier round: no longer the lead, no contributions
    assert "协办意见全文" not in as_user("handler").get(url("clue", clue)).content.decode()


def test_co_return_needs_a_reason(as_user, clue_in) -> None:
    clue = clue_in(ClueStatus.DISPATCHED)
    client = as_user("co_handler")
    assert client.post(url("co_return", clue), {"co_return-reason": ""}).status_code == 400
    response = client.post(url("co_return", clue), {"co_return-reason": "不涉及街道职责"})
    assert response.status_code == 302
    assert response["Location"] == QUEUE
    co = clue.assignments.get(role=AssignmentRole.CO)
    assert co.status == AssignmentStatus.RETURNED
    assert co.return_reason == "不涉及街道职责"


def test_a_co_handler_recording_a_step_before_accepting_is_refused(as_user, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    response = as_user("co_handler").post(url("step", clue), _step_data())
    assert response.status_code == 400
    assert "本单位没有该线索正在办理的承办任务" in response.content.decode()
    assert not VerificationStep.objects.exists()


# ----- Revealing the complainant --------------------------------------------------------


def test_reveal_without_a_reason_reveals_nothing(as_user, clue_in) -> None:
    clue = clue_in(ClueStatus.DISPATCHED)
    response = as_user("handler").post(url("reveal", clue), {"reveal-reason": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert "13812341234" not in html
    assert "张三" not in html
    assert "这个字段是必填项" in html
    assert not clue.events.filter(action=Action.REVEAL_IDENTITY).exists()


def test_reveal_with_a_reason_shows_identity_once_and_logs_it(world, as_user, clue_in) -> None:
    clue = clue_in(ClueStatus.DISPATCHED)
    client = as_user("handler")
    response = client.post(url("reveal", clue), {"reveal-reason": "需电话核实停水范围"})
    # the unmasked values are in this response
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "13812341234" in html
    assert "张三" in html
    # the reveal is an event with who and why, in the timeline
    event = clue.events.get(action=Action.REVEAL_IDENTITY)
    assert event.actor == world.users["handler"]
    assert event.reason == "需电话核实停水范围"
    assert "查看反映人信息" in html
    # and nowhere after: not in the session, not on the next page
    assert "13812341234" not in str(dict(client.session))
    again = client.get(url("clue", clue)).content.decode()
    assert "13812341234" not in again
    assert "需电话核实停水范围" in again


def test_reveal_of_an_anonymous_clue_is_not_offered(as_user, clue_in) -> None:
    clue = clue_in(ClueStatus.DISPATCHED, is_anonymous=True, complainant=None)
    client = as_user("handler")
    assert url("reveal", clue) not in client.get(url("clue", clue)).content.decode()
    response = client.post(url("reveal", clue), {"reveal-reason": "联系核实"})
    assert response.status_code == 400
    assert "该线索为匿名反映，没有反映人信息" in response.content.decode()
    assert not clue.events.filter(action=Action.REVEAL_IDENTITY).exists()
