"""Reads of the supervisor console: which clue is on which board, the counts in one query,
the rows' deadlines in words, and one clue in full."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from minsheng.accounts.actors import Actor
from minsheng.clues.choices import VerificationMethod
from minsheng.clues.models import Clue
from minsheng.clues.selectors import clue_by_tracking_code
from minsheng.clues.services import attachments, curation, handling, intake, review
from minsheng.clues.services.deadlines import DeadlineState
from minsheng.clues.tests.conftest import World, _close, _report
from minsheng.clues.workflow import Action, ClueStatus
from minsheng.web.selectors import supervisor as selectors
from minsheng.workcal.services import working_days_between

pytestmark = pytest.mark.django_db

S = ClueStatus


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (10, 120, 10)).save(out, format="PNG")
    return out.getvalue()


def day_with_remaining(due: dt.date, working_days: int) -> dt.date:
    """The latest day from which `working_days` working days remain until `due`."""
    day = due
    while working_days_between(day, due) < working_days:
        day -= dt.timedelta(days=1)
    return day


def return_twice(world: World, clue: Clue) -> None:
    for _ in range(2):
        intake.clue_dispatch(clue_id=clue.pk, actor=world.actor("intake"))
        handling.clue_return(clue_id=clue.pk, actor=world.actor("handler"), reason="非本单位职责")


def members(user, slug: str, *, today: dt.date | None = None) -> set[int]:
    board = selectors.board_by_slug(slug)
    assert board is not None
    return set(selectors.board_clues(user, board, today=today).values_list("pk", flat=True))


@pytest.fixture
def lifecycle(world, clue_in) -> dict[str, Clue]:
    """One clue in each status a board cares about, all dispatched today."""
    clues = {
        "dispatched": clue_in(S.DISPATCHED),
        "accepted": clue_in(S.ACCEPTED),
        "extension": clue_in(S.EXTENSION_REQUESTED),
        "awaiting_info": clue_in(S.AWAITING_INFO),
        "sent_back": clue_in(S.SENT_BACK),
        "reported": clue_in(S.REPORTED),
        "approved": clue_in(S.APPROVED),
        "answered": clue_in(S.ANSWERED),
        "reopened": clue_in(S.REOPENED),
        "received": clue_in(S.RECEIVED),
        "returned_once": clue_in(S.RETURNED),
    }
    twice = clue_in(S.RECEIVED, title="两次被退回")
    return_twice(world, twice)
    clues["returned_twice"] = twice
    closed = clue_in(S.RECEIVED, title="两次被退回后办结")
    return_twice(world, closed)
    intake.clue_dispatch(clue_id=closed.pk, actor=world.actor("intake"))
    handling.clue_accept(clue_id=closed.pk, actor=world.actor("handler"))
    _report(world, closed)
    review.clue_approve(clue_id=closed.pk, actor=world.actor("supervisor"))
    review.clue_answer(clue_id=closed.pk, actor=world.actor("supervisor"), answer="已处理。")
    _close(world, closed)
    clues["closed_returned_twice"] = closed
    for clue in clues.values():
        clue.refresh_from_db()
    return clues


# ----- Board membership -----------------------------------------------------------------


def test_decision_and_attention_boards_hold_exactly_their_clues(world, lifecycle) -> None:
    user = world.users["supervisor"]
    assert members(user, "awaiting-review") == {lifecycle["reported"].pk}
    assert members(user, "extension-requests") == {lifecycle["extension"].pk}
    assert members(user, "awaiting-answer") == {lifecycle["approved"].pk}
    assert members(user, "reopened") == {lifecycle["reopened"].pk}
    # open clues returned more than once; a closed one is history, returned once is not enough
    assert lifecycle["closed_returned_twice"].return_count == 2
    assert members(user, "returned-repeatedly") == {lifecycle["returned_twice"].pk}


def test_deadline_boards_follow_the_handling_deadline_in_department_hands(world, lifecycle) -> None:
    # given clues dispatched today, all with the same handling deadline
    user = world.users["supervisor"]
    due = lifecycle["accepted"].handle_due
    assert due is not None
    running = {lifecycle[key].pk for key in ("dispatched", "accepted", "extension", "sent_back")}
    assert {lifecycle[key].handle_due for key in ("dispatched", "extension", "sent_back")} == {due}
    # then today nothing is due soon or overdue
    assert members(user, "due-soon") == set()
    assert members(user, "overdue") == set()
    # on the due date the running clocks are due soon; paused and reported clues are not
    assert members(user, "due-soon", today=due) == running
    assert members(user, "overdue", today=due) == set()
    # the day after, they are overdue
    after = due + dt.timedelta(days=1)
    assert members(user, "overdue", today=after) == running
    assert members(user, "due-soon", today=after) == set()


def test_due_soon_threshold_comes_from_the_settings(world, clue_in, settings) -> None:
    clue = clue_in(S.ACCEPTED)
    user = world.users["supervisor"]
    assert clue.handle_due is not None
    two_left = day_with_remaining(clue.handle_due, 2)
    three_left = day_with_remaining(clue.handle_due, 3)
    # unset, the boards follow the default warning days of clues no SLA policy matches
    settings.MINSHENG = {**settings.MINSHENG, "DEFAULT_WARN_DAYS": 2}
    settings.MINSHENG.pop("SUPERVISION_DUE_SOON_DAYS", None)
    assert members(user, "due-soon", today=two_left) == {clue.pk}
    assert members(user, "due-soon", today=three_left) == set()

    settings.MINSHENG = {**settings.MINSHENG, "SUPERVISION_DUE_SOON_DAYS": 3}
    assert members(user, "due-soon", today=three_left) == {clue.pk}
    row = selectors.board_rows([clue], today=three_left)[0]
    assert row.deadline.state == DeadlineState.DUE_SOON


def test_boards_are_a_registry_with_sections(world) -> None:
    slugs = [board.slug for board in selectors.BOARDS]
    assert len(slugs) == len(set(slugs))
    sections = {section.slug for section in selectors.SECTIONS}
    assert {board.section for board in selectors.BOARDS} <= sections
    assert selectors.board_by_slug("no-such-board") is None


# ----- Counts ---------------------------------------------------------------------------


def test_board_counts_match_the_boards_in_one_query(world, lifecycle) -> None:
    user = world.users["supervisor"]
    due = lifecycle["accepted"].handle_due
    after = due + dt.timedelta(days=1)
    selectors.board_counts(user, today=after)  # the working calendar is read once per process
    with CaptureQueriesContext(connection) as queries:
        counts = selectors.board_counts(user, today=after)
    assert len(queries) == 1
    assert counts == {
        board.slug: len(members(user, board.slug, today=after)) for board in selectors.BOARDS
    }
    assert counts["overdue"] == 4
    assert counts["awaiting-review"] == 1


def test_console_sections_group_the_counts(world, lifecycle) -> None:
    sections = selectors.console_sections(world.users["admin"])
    assert [item.section.slug for item in sections] == ["deadlines", "decisions", "attention"]
    counted = {board.slug: count for item in sections for board, count in item.boards}
    assert counted["returned-repeatedly"] == 1
    assert set(counted) == {board.slug for board in selectors.BOARDS}


# ----- Rows -----------------------------------------------------------------------------


def test_rows_carry_the_lead_department_and_the_deadline_in_one_query(world, clue_in) -> None:
    for _ in range(3):
        clue_in(S.REPORTED)
    board = selectors.board_by_slug("awaiting-review")
    assert board is not None
    user = world.users["supervisor"]
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.board_rows(list(selectors.board_clues(user, board)))
    assert len(queries) == 1
    assert len(rows) == 3
    assert {row.lead_department for row in rows} == {world.water_bureau.name}
    # a reported clue's department clock no longer runs: days are shown, without a state
    assert all(row.deadline.state is None and row.deadline.remaining_days for row in rows)


def test_awaiting_review_lists_the_longest_waiting_first(world, clue_in, monkeypatch) -> None:
    first = clue_in(S.ACCEPTED)
    second = clue_in(S.ACCEPTED)
    _report(world, second)
    later = timezone.now() + dt.timedelta(minutes=5)
    monkeypatch.setattr(timezone, "now", lambda: later)
    _report(world, first)
    board = selectors.board_by_slug("awaiting-review")
    assert board is not None
    listed = list(selectors.board_clues(world.users["supervisor"], board))
    assert [clue.pk for clue in listed] == [second.pk, first.pk]


def test_the_lead_is_the_latest_dispatch_rounds(world, clue_in) -> None:
    clue = clue_in(S.RETURNED)
    intake.clue_dispatch(
        clue_id=clue.pk, actor=world.actor("intake"), lead_department=world.fire_brigade
    )
    board = selectors.Board("all", "all", "", lambda scope: scope.clues, "deadlines")
    rows = selectors.board_rows(selectors.board_clues(world.users["supervisor"], board))
    assert [row.lead_department for row in rows] == [world.fire_brigade.name]


@pytest.mark.parametrize(
    ("offset", "text", "state", "css", "row_css"),
    [
        (0, "今日到期", DeadlineState.DUE_SOON, "due-soon", "row-due-soon"),
        (2, "剩余 2 个工作日", DeadlineState.DUE_SOON, "due-soon", "row-due-soon"),
        (5, "剩余 5 个工作日", DeadlineState.NORMAL, "due-normal", ""),
        (-3, "超期 3 个工作日", DeadlineState.OVERDUE, "due-overdue", "row-overdue"),
    ],
)
def test_deadline_in_words(world, clue_in, offset, text, state, css, row_css) -> None:
    clue = clue_in(S.ACCEPTED)
    assert clue.handle_due is not None
    if offset >= 0:
        today = day_with_remaining(clue.handle_due, offset)
    else:
        today = clue.handle_due
        while working_days_between(today, clue.handle_due) > offset:
            today += dt.timedelta(days=1)
    deadline = selectors.clue_deadline(clue, today=today)
    assert deadline.remaining_text == text
    assert deadline.state == state
    assert (deadline.css, deadline.row_css) == (css, row_css)


def test_a_paused_clock_is_shown_as_paused(world, clue_in) -> None:
    clue = clue_in(S.AWAITING_INFO)
    deadline = selectors.clue_deadline(clue, today=clue.handle_due + dt.timedelta(days=30))
    assert deadline.paused
    assert deadline.state is None
    assert (deadline.css, deadline.row_css) == ("", "")
    assert deadline.remaining_text == "计时暂停"


def test_find_clue_by_tracking_code(world, clue_in) -> None:
    clue = clue_in(S.RECEIVED)
    user = world.users["supervisor"]
    spaced = f"{clue.tracking_code[:4]} {clue.tracking_code[4:8]}-{clue.tracking_code[8:]}"
    assert clue_by_tracking_code(user, spaced) == clue
    assert clue_by_tracking_code(user, "0000000000000000") is None
    assert clue_by_tracking_code(user, " - ") is None


# ----- One clue in full -----------------------------------------------------------------


def test_dossier_gathers_assignments_steps_reports_and_evidence(world, clue_in) -> None:
    # given a clue the lead verified on site, with a co-handler's contribution, reported
    # with photographic evidence, then urged and put on the list (挂牌督办)
    clue = clue_in(S.ACCEPTED)
    handling.clue_co_accept(clue_id=clue.pk, actor=world.actor("co_handler"))
    handling.clue_co_contribute(
        clue_id=clue.pk, actor=world.actor("co_handler"), contribution="街道已配合排查"
    )
    handling.verification_step_record(
        clue_id=clue.pk,
        actor=world.actor("handler"),
        method=VerificationMethod.ON_SITE,
        performed_by="王五",
        performed_at=timezone.now(),
        findings="现场确认管道爆裂",
    )
    _report(world, clue)
    report = clue.reports.get()
    attachments.attachment_add(
        clue_id=clue.pk,
        actor=world.actor("handler"),
        file=io.BytesIO(png()),
        original_name="现场照片.png",
        report=report,
    )
    supervisor = world.actor("supervisor")
    review.clue_urge(clue_id=clue.pk, actor=supervisor, message="请尽快")
    review.clue_escalate(clue_id=clue.pk, actor=supervisor, message="挂牌", level="listed")
    review.clue_escalate(clue_id=clue.pk, actor=supervisor, message="再督办")
    curation.clue_mark_typical(clue_id=clue.pk, actor=supervisor, typical=True, reason="典型")
    clue = selectors.clue_with_card_rows(clue.pk)
    # when the supervisor's dossier is read
    dossier = selectors.clue_dossier(world.users["supervisor"], clue)
    # then it holds everything, identity unmasked
    assert not dossier.view.identity_masked
    assert ("手机号码", "13812341234") in dossier.view.identity
    assert [a.role for a in dossier.assignments] == ["lead", "co"]
    by_department = {a.department_id: a for a in dossier.assignments}
    assert by_department[world.district_gov.pk].contribution == "街道已配合排查"
    steps = list(by_department[world.water_bureau.pk].steps.all())
    assert [step.findings for step in steps] == ["现场确认管道爆裂"]
    assert len(dossier.reports) == 1
    assert dossier.reports[0].methods == ["线上访谈", "实地核查"]
    assert [a.original_name for a in dossier.reports[0].evidence] == ["现场照片.png"]
    assert "现场照片.png" in [a.original_name for a in dossier.files.evidence]
    assert dossier.proposed_answer == "您反映的停水问题已处理，供水已恢复。"
    assert dossier.supervision.urge_count == 1
    assert dossier.supervision.escalation_level == "listed"  # a later 督办 does not lower it
    assert dossier.is_typical
    assert dossier.extension_request is None
    assert {event.action for event in dossier.events} >= {Action.URGE, Action.ESCALATE}


def test_dossier_shows_the_pending_extension_request(world, clue_in) -> None:
    clue = clue_in(S.EXTENSION_REQUESTED)
    dossier = selectors.clue_dossier(world.users["supervisor"], clue)
    request = dossier.extension_request
    assert request is not None
    assert request.days == 5
    assert request.reason == "需协调施工单位"
    assert request.requested_by == "handler"
    assert request.limit_days == 15
    assert request.grantable_days == 5


def test_dossier_reads_a_fixed_number_of_queries(world, clue_in) -> None:
    def count(clue: Clue) -> int:
        clue = selectors.clue_with_card_rows(clue.pk)
        with CaptureQueriesContext(connection) as queries:
            selectors.clue_dossier(world.users["supervisor"], clue)
        return len(queries)

    plain = clue_in(S.REPORTED)
    busy = clue_in(S.ACCEPTED)
    for n in range(4):
        handling.verification_step_record(
            clue_id=busy.pk,
            actor=world.actor("handler"),
            method=VerificationMethod.ON_SITE,
            performed_by=f"核查员{n}",
            performed_at=timezone.now(),
            findings="核查情况",
        )
        review.clue_urge(clue_id=busy.pk, actor=world.actor("supervisor"), message="催")
    _report(world, busy)
    report = busy.reports.get()
    for n in range(3):
        attachments.attachment_add(
            clue_id=busy.pk,
            actor=world.actor("handler"),
            file=io.BytesIO(png() + bytes([n])),
            original_name=f"证据{n}.png",
            report=report,
        )
    assert count(busy) == count(plain)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (S.REPORTED, {Action.APPROVE, Action.SEND_BACK, Action.URGE, Action.ESCALATE}),
        (
            S.EXTENSION_REQUESTED,
            {Action.APPROVE_EXTENSION, Action.DENY_EXTENSION, Action.URGE, Action.ESCALATE},
        ),
        (S.APPROVED, {Action.ANSWER, Action.URGE, Action.ESCALATE}),
        (S.ANSWERED, {Action.CLOSE}),
        (S.CLOSED, set()),
        (S.ACCEPTED, {Action.URGE, Action.ESCALATE}),
        (S.RECEIVED, set()),
    ],
)
def test_console_actions_follow_the_transition_table(world, clue_in, status, expected) -> None:
    clue = clue_in(status)
    for role in ("supervisor", "admin"):
        actions = selectors.console_actions(world.users[role], clue)
        assert actions == {*expected, Action.SET_TAGS}
    assert selectors.console_actions(world.users["intake"], clue) <= {Action.ANSWER, Action.CLOSE}


def test_counts_see_only_what_the_user_may_see(world, clue_in) -> None:
    # given a clue reported by the water bureau
    clue_in(S.REPORTED)
    outsider = world.users["other_handler"]
    assert Actor.of(outsider).department_id == world.fire_brigade.pk
    # then a supervisor and the bureau's own staff count it; another department does not
    assert selectors.board_counts(world.users["supervisor"])["awaiting-review"] == 1
    assert selectors.board_counts(world.users["handler"])["awaiting-review"] == 1
    assert selectors.board_counts(outsider)["awaiting-review"] == 0


def test_an_answered_clue_counts_no_days_left(world, clue_in) -> None:
    # given a clue whose department reported, was approved and answered the citizen
    clue = clue_in(S.ANSWERED)
    assert clue.handle_due is not None

    # then its deadline is history: the date stays, no days are counted and no state shown
    deadline = selectors.clue_deadline(clue)
    assert deadline.due == clue.handle_due
    assert deadline.remaining_text == ""
    assert deadline.state is None
