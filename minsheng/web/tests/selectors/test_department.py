"""Reads of the department workbench: the queue (scope, order, filters, counts, queries),
deadlines in working days, the SLA warning period and what the clue page offers."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from minsheng.clues.choices import (
    AssignmentRole,
    AssignmentStatus,
    Conclusion,
    VerificationMethod,
)
from minsheng.clues.models import Assignment, Clue
from minsheng.clues.services import handling, intake
from minsheng.clues.services.deadlines import DeadlineState
from minsheng.clues.tests.conftest import World
from minsheng.clues.workflow import ClueStatus
from minsheng.directory.choices import Priority
from minsheng.directory.models import Category, SLAPolicy
from minsheng.directory.selectors import sla_for
from minsheng.web.selectors import department as selectors
from minsheng.web.selectors import staff
from minsheng.workcal.services import add_working_days

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _calendar_trusted(settings):
    settings.MINSHENG = {**settings.MINSHENG, "CALENDAR_RECHECK_SECONDS": 3600}


def lead_of(clue: Clue) -> Assignment:
    return clue.assignments.select_related("clue").get(role=AssignmentRole.LEAD)


def codes(assignments) -> list[str]:
    return [a.clue.tracking_code for a in assignments]


# ----- The queue ------------------------------------------------------------------------


def test_queue_holds_only_the_users_department(world: World, clue_in) -> None:
    water = clue_in(ClueStatus.DISPATCHED)
    fire = clue_in(ClueStatus.DISPATCHED, category=world.fire)
    assert codes(selectors.department_queue(world.users["handler"])) == [water.tracking_code]
    assert codes(selectors.department_queue(world.users["other_handler"])) == [fire.tracking_code]
    co = list(selectors.department_queue(world.users["co_handler"]))
    assert [(a.clue_id, a.role) for a in co] == [(water.pk, AssignmentRole.CO)]
    for key in ("intake", "supervisor", "citizen"):
        assert not selectors.department_queue(world.users[key]).exists()


def test_queue_order_is_the_running_deadline(world: World, clue_in) -> None:
    # given an accepted clue due in 8 working days, one due in 3, and a pending one
    today = timezone.localdate()
    later = clue_in(ClueStatus.ACCEPTED)
    sooner = clue_in(ClueStatus.ACCEPTED)
    pending = clue_in(ClueStatus.DISPATCHED)
    Assignment.objects.filter(pk=lead_of(later).pk).update(handle_due=add_working_days(today, 8))
    Assignment.objects.filter(pk=lead_of(sooner).pk).update(handle_due=add_working_days(today, 3))
    # then the pending one's signing deadline (a working day away) comes first
    queue = selectors.department_queue(world.users["handler"])
    assert codes(queue) == [pending.tracking_code, sooner.tracking_code, later.tracking_code]


def test_queue_filters(world: World, clue_in) -> None:
    pending = clue_in(ClueStatus.DISPATCHED)
    accepted = clue_in(ClueStatus.ACCEPTED)
    reported = clue_in(ClueStatus.REPORTED)
    returned = clue_in(ClueStatus.RETURNED)
    handler = world.users["handler"]

    def listed(**filters: str) -> set[str]:
        return set(codes(selectors.department_queue(handler, **filters)))

    assert listed() == {pending.tracking_code, accepted.tracking_code, reported.tracking_code}
    assert listed(status="pending") == {pending.tracking_code}
    assert listed(status="in_hand") == {accepted.tracking_code}
    assert listed(status="reported") == {reported.tracking_code}
    assert listed(status="finished") == {returned.tracking_code}
    assert len(listed(status="all")) == 4
    assert listed(status="nonsense") == listed()
    assert listed(role="lead") == listed()
    assert listed(role="co") == set()
    assert listed(role="nonsense") == listed()
    # a co-handler's contribution counts as handed in
    handling.clue_co_accept(clue_id=accepted.pk, actor=world.actor("co_handler"))
    handling.clue_co_contribute(
        clue_id=accepted.pk, actor=world.actor("co_handler"), contribution="已协助"
    )
    co_reported = selectors.department_queue(world.users["co_handler"], status="reported")
    assert codes(co_reported) == [accepted.tracking_code]


def test_queue_counts_each_group_in_one_query(
    world: World, clue_in, django_assert_num_queries
) -> None:
    clue_in(ClueStatus.DISPATCHED)
    clue_in(ClueStatus.ACCEPTED)
    clue_in(ClueStatus.ACCEPTED)
    clue_in(ClueStatus.CLOSED)
    with django_assert_num_queries(1):
        counts = selectors.queue_counts(world.users["handler"])
    assert counts == {"pending": 1, "in_hand": 2, "reported": 0, "finished": 1}
    assert selectors.queue_counts(world.users["intake"]) == dict.fromkeys(counts, 0)


def test_a_page_of_rows_costs_the_same_queries_however_long(
    world: World, clue_in, django_assert_max_num_queries
) -> None:
    for status in [ClueStatus.DISPATCHED, ClueStatus.ACCEPTED, ClueStatus.AWAITING_INFO] * 3:
        clue_in(status)
    selectors.queue_rows(selectors.department_queue(world.users["handler"]))  # calendar warm
    # one query for the page, one for the SLA policies
    with django_assert_max_num_queries(2):
        rows = selectors.queue_rows(selectors.department_queue(world.users["handler"]))
        titles = [row.title for row in rows]
    assert len(rows) == 9
    assert all(titles)


# ----- Deadlines ------------------------------------------------------------------------


def test_warn_days_agree_with_the_sla_policies(world: World) -> None:
    SLAPolicy.objects.create(accept_days=1, handle_days=15, warn_days=2)
    SLAPolicy.objects.create(category=world.water, accept_days=1, handle_days=10, warn_days=4)
    SLAPolicy.objects.create(
        category=world.water_outage,
        priority=Priority.URGENT,
        accept_days=1,
        handle_days=3,
        warn_days=1,
    )
    warn_days = selectors.WarnDays()
    cases: list[tuple[Category | None, str]] = [
        (None, Priority.NORMAL),
        (world.fire, Priority.NORMAL),
        (world.water, Priority.URGENT),
        (world.water_outage, Priority.NORMAL),
        (world.water_outage, Priority.URGENT),
    ]
    for category, priority in cases:
        expected = sla_for(category=category, priority=priority).warn_days
        assert warn_days(category, priority) == expected
    assert [warn_days(c, p) for c, p in cases] == [2, 2, 4, 4, 1]


def test_warn_days_fall_back_to_the_settings(world: World, settings) -> None:
    settings.MINSHENG = {**settings.MINSHENG, "DEFAULT_WARN_DAYS": 6}
    assert selectors.WarnDays()(world.water, Priority.NORMAL) == 6


def a_working_day() -> dt.date:
    """Today when it is a working day, else the next one."""
    return add_working_days(timezone.localdate(), 0)


@pytest.mark.parametrize(
    ("left", "state"),
    [(10, DeadlineState.NORMAL), (3, DeadlineState.DUE_SOON), (0, DeadlineState.DUE_SOON)],
)
def test_handling_deadline_state(world, clue_in, left, state) -> None:
    today = a_working_day()
    assignment = lead_of(clue_in(ClueStatus.ACCEPTED))
    assignment.handle_due = add_working_days(today, left)
    due = selectors.assignment_due(assignment, warn_days=3, today=today)
    assert due is not None
    assert (due.state, due.days_left) == (state, left)
    assert str(due.kind) == "办结期限"


def test_an_overdue_deadline_says_so_in_words(world, clue_in) -> None:
    assignment = lead_of(clue_in(ClueStatus.ACCEPTED))
    today = add_working_days(assignment.handle_due, 2)
    due = selectors.assignment_due(assignment, warn_days=3, today=today)
    assert due is not None
    assert due.state == DeadlineState.OVERDUE
    assert str(due.label) == "已超期"
    assert due.overdue_days == 2
    assert (due.css, due.row_css) == ("due-overdue", "row-overdue")


def test_pending_counts_the_signing_deadline(world, clue_in, settings) -> None:
    today = a_working_day()
    assignment = lead_of(clue_in(ClueStatus.DISPATCHED))
    assignment.accept_due = add_working_days(today, 2)
    due = selectors.assignment_due(assignment, warn_days=3, today=today)
    assert due is not None
    assert str(due.kind) == "签收期限"
    assert (due.due, due.days_left) == (assignment.accept_due, 2)
    # the signing deadline warns by its own setting (by default on its last day only)
    assert due.state == DeadlineState.NORMAL
    last_day = selectors.assignment_due(assignment, warn_days=3, today=assignment.accept_due)
    assert last_day is not None
    assert last_day.state == DeadlineState.DUE_SOON
    settings.MINSHENG = {**settings.MINSHENG, "DEPARTMENT_ACCEPT_WARN_DAYS": 2}
    warned = selectors.assignment_due(assignment, warn_days=3, today=today)
    assert warned is not None
    assert warned.state == DeadlineState.DUE_SOON


def test_the_clock_stands_still_while_the_citizen_is_asked(world, clue_in) -> None:
    assignment = lead_of(clue_in(ClueStatus.AWAITING_INFO))
    due = selectors.assignment_due(assignment, warn_days=3)
    assert due is not None
    assert due.state == selectors.PAUSED
    assert str(due.label) == "计时暂停"
    assert due.css == ""


def test_the_clue_page_warns_by_the_clues_own_sla(world: World, clue_in) -> None:
    # given a water policy that warns 20 working days ahead, and a clue due in 10
    clue = clue_in(ClueStatus.ACCEPTED)
    today = a_working_day()
    Assignment.objects.filter(pk=lead_of(clue).pk).update(handle_due=add_working_days(today, 10))
    page = selectors.department_clue(world.users["handler"], clue, may_reveal=True, today=today)
    assert page.due is not None
    assert page.due.state == DeadlineState.NORMAL
    SLAPolicy.objects.create(category=world.water, accept_days=1, handle_days=30, warn_days=20)
    # then the page counts it as due soon
    page = selectors.department_clue(world.users["handler"], clue, may_reveal=True, today=today)
    assert page.due is not None
    assert (page.due.state, page.due.days_left) == (DeadlineState.DUE_SOON, 10)


def test_handed_in_parts_have_no_running_deadline(world, clue_in) -> None:
    assert selectors.assignment_due(lead_of(clue_in(ClueStatus.REPORTED)), warn_days=3) is None
    assert selectors.assignment_due(lead_of(clue_in(ClueStatus.RETURNED)), warn_days=3) is None


# ----- The clue page --------------------------------------------------------------------


def offered(world: World, key: str, clue: Clue) -> set[str]:
    page = selectors.department_clue(world.users[key], clue, may_reveal=True)
    return {name for name in vars(page.actions) if page.actions.offers(name)}


@pytest.mark.parametrize(
    ("status", "lead", "co"),
    [
        (
            ClueStatus.DISPATCHED,
            {"accept", "return_clue", "reveal"},
            {"co_accept", "co_return", "reveal"},
        ),
        (
            ClueStatus.ACCEPTED,
            {"return_clue", "extension", "request_info", "step", "report", "reveal"},
            {"co_accept", "co_return", "reveal"},
        ),
        (ClueStatus.AWAITING_INFO, {"resume", "step", "reveal"}, {"co_accept", "reveal"}),
        (ClueStatus.EXTENSION_REQUESTED, {"step", "reveal"}, {"co_accept", "reveal"}),
        (
            ClueStatus.SENT_BACK,
            {"extension", "request_info", "step", "report", "reveal"},
            {"co_accept", "reveal"},
        ),
        (ClueStatus.REPORTED, {"reveal"}, {"reveal"}),
        # approval cancelled the co-handler's pending part: it may only look
        (ClueStatus.CLOSED, {"reveal"}, set()),
    ],
)
def test_actions_follow_the_status_and_the_departments_part(
    world: World, clue_in, status, lead, co
) -> None:
    clue = clue_in(status)
    assert offered(world, "handler", clue) == lead
    assert offered(world, "head", clue) == lead
    assert offered(world, "co_handler", clue) == co
    assert offered(world, "other_handler", clue) == set()


def test_a_co_handler_that_accepted_records_steps_and_contributes(world: World, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    handling.clue_co_accept(clue_id=clue.pk, actor=world.actor("co_handler"))
    assert offered(world, "co_handler", clue) == {"co_return", "step", "contribute", "reveal"}
    handling.clue_co_contribute(
        clue_id=clue.pk, actor=world.actor("co_handler"), contribution="已协助"
    )
    assert offered(world, "co_handler", clue) == {"step", "reveal"}


def test_an_earlier_round_is_offered_nothing(world: World, clue_in) -> None:
    clue = clue_in(ClueStatus.RETURNED)
    intake.clue_dispatch(
        clue_id=clue.pk, actor=world.actor("intake"), lead_department=world.fire_brigade
    )
    clue.refresh_from_db()
    page = selectors.department_clue(world.users["handler"], clue, may_reveal=True)
    assert page.mine is None
    assert page.actions == selectors.DepartmentActions()
    assert [a.department for a in page.round] == [world.fire_brigade]
    assert offered(world, "other_handler", clue) == {"accept", "return_clue", "reveal"}


def test_reveal_is_offered_only_when_there_is_an_identity(world: World, clue_in) -> None:
    clue = clue_in(ClueStatus.DISPATCHED)
    page = selectors.department_clue(world.users["handler"], clue, may_reveal=False)
    assert not page.actions.reveal


def test_round_steps_and_contributions(world: World, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    handling.clue_co_accept(clue_id=clue.pk, actor=world.actor("co_handler"))
    handling.verification_step_record(
        clue_id=clue.pk,
        actor=world.actor("co_handler"),
        method=VerificationMethod.VIDEO_LINK,
        performed_by="赵六",
        performed_at=timezone.now(),
        findings="视频连线居民",
    )
    handling.verification_step_record(
        clue_id=clue.pk,
        actor=world.actor("handler"),
        method=VerificationMethod.WEB_SEARCH,
        performed_by="李四",
        performed_at=timezone.now(),
        findings="查询停水公告",
    )
    handling.clue_co_contribute(
        clue_id=clue.pk, actor=world.actor("co_handler"), contribution="街道意见"
    )
    lead_page = selectors.department_clue(world.users["handler"], clue, may_reveal=True)
    assert [(a.department, a.role) for a in lead_page.round] == [
        (world.water_bureau, AssignmentRole.LEAD),
        (world.district_gov, AssignmentRole.CO),
    ]
    assert lead_page.leads_round
    assert [s.findings for s in lead_page.steps] == ["视频连线居民", "查询停水公告"]
    assert lead_page.round_methods == ["video_link", "web_search"]
    assert [a.contribution for a in lead_page.visible_contributions] == ["街道意见"]
    assert lead_page.due is not None
    co_page = selectors.department_clue(world.users["co_handler"], clue, may_reveal=True)
    assert co_page.mine is not None
    assert co_page.mine.status == AssignmentStatus.CONTRIBUTED
    assert [a.contribution for a in co_page.visible_contributions] == ["街道意见"]


def test_the_clue_page_reads_in_a_few_queries(
    world: World, clue_in, django_assert_max_num_queries
) -> None:
    # given five steps and a report, each with an evidence file
    clue = clue_in(ClueStatus.ACCEPTED)
    for n in range(5):
        handling.verification_step_record(
            clue_id=clue.pk,
            actor=world.actor("handler"),
            method=VerificationMethod.ON_SITE,
            performed_by=f"核查人{n}",
            performed_at=timezone.now(),
            findings="情况",
            files=[(io.BytesIO(PNG), f"现场{n}.png")],
        )
    handling.clue_report(
        clue_id=clue.pk,
        actor=world.actor("handler"),
        methods=[VerificationMethod.ON_SITE],
        findings="情况属实",
        conclusion=Conclusion.SUBSTANTIATED,
        proposed_answer="已处理",
        files=[(io.BytesIO(PNG), "报告.png")],
    )
    selectors.department_clue(world.users["handler"], clue, may_reveal=True)
    # then reading the page and everything its templates touch is a fixed number of queries
    with django_assert_max_num_queries(6):
        page = selectors.department_clue(world.users["handler"], clue, may_reveal=True)
        evidence = [a.original_name for step in page.steps for a in step.evidence.all()]
        departments = [step.assignment.department.name for step in page.steps]
        report_files = [a.original_name for e in page.reports for a in e.report.evidence.all()]
        reporters = [e.report.assignment.department.name for e in page.reports]
    assert evidence == [f"现场{n}.png" for n in range(5)]
    assert departments == [world.water_bureau.name] * 5
    assert report_files == ["报告.png"]
    assert reporters == [world.water_bureau.name]


def test_revealed_identity_rows_carry_labels(world: World) -> None:
    rows = staff.identity_rows({"name": "张三", "phone": "13812341234", "email": ""})
    assert rows == [("姓名", "张三"), ("手机号码", "13812341234")]
