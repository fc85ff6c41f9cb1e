"""The staff's side of a clue's journey in a real browser (issue 4).

The whole journey, every step on its page: a citizen reports on a phone; intake routes the
clue from its workbench; the lead department accepts, records a verification step with a
photo and reports, while the co-handling department signs for its part and contributes;
a supervisor approves and answers in one form; the citizen reads the answer and rates it.

Also: a misrouted clue returned by its department and dispatched to the right one.
test_staff_benches.py has the refusals, the identity reveal, the keyboard and the phone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from django.utils import timezone

from minsheng.clues.choices import AssignmentStatus, Conclusion, VerificationMethod
from minsheng.clues.models import Assignment, Clue, VerificationReport, VerificationStep
from minsheng.clues.services import intake
from minsheng.clues.services.codes import normalize_tracking_code
from minsheng.clues.tests.conftest import receive
from minsheng.clues.workflow import Action, ClueStatus
from minsheng.privacy.masking import mask_complainant_fields
from minsheng.testing.browser import screenshot
from minsheng.triage.engine import reset_engine
from minsheng.triage.registry import clear_model_cache
from minsheng.triage.services import triage_clue
from minsheng.web.tests.browser.helpers import (
    PHONE,
    events_of,
    flash,
    htmx_settled,
    region,
    sign_in,
    sign_out,
    small_png,
    submit_on_phone,
    track_and_rate,
)

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Locator, Page

    from minsheng.clues.tests.conftest import World

pytestmark = pytest.mark.browser

TITLE = "小区停水三天无人处理"
DISPATCH_NOTE = "请市水务局牵头核查，雨花区人民政府配合做好群众解释。"
STEP_FINDINGS = "现场核查：3栋供水主管道爆裂，抢修队已进场。"
CONTRIBUTION = "雨花区已安排送水车每日两次到小区供水，并张贴停水公告。"
REPORT_FINDINGS = "经实地核查，停水系3栋供水主管道爆裂所致，已于周四完成抢修。"
ACTIONS_TAKEN = "组织抢修，恢复供水；抢修期间由区政府安排送水。"
ANSWER = "经核查，停水系主供水管道爆裂所致。我局已组织抢修，供水已于周四恢复。"
REVIEW_COMMENT = "核查充分，答复清楚，同意。"
RETURN_REASON = "反映的是消防通道被占用，不属于供水管理职责，请转消防救援部门。"


@pytest.fixture
def _fresh_triage() -> Iterator[None]:
    """The triage engine caches the directory per process: start and end without it."""
    reset_engine()
    clear_model_cache()
    yield
    reset_engine()
    clear_model_cache()


def scroll_to_top(section: Locator) -> None:
    """Bring a section to the top of the window, for a screenshot of that part."""
    section.evaluate("e => { e.scrollIntoView({block: 'start'}); window.scrollBy(0, -16); }")


def _performed_at() -> str:
    """An hour ago to the minute, as the datetime-local input takes it."""
    return (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")


# ----- The full journey ------------------------------------------------------------------


def intake_dispatches(page: Page, world: World, clue: Clue) -> None:
    from playwright.sync_api import expect

    # Given an intake operator signed in on their workbench
    sign_in(page, "intake", lands_on="/work/intake/")
    expect(page.get_by_role("heading", level=1)).to_have_text("待受理线索")

    # Then the new clue waits in the queue with the triage's suggestion
    row = page.locator(f"#queue-row-{clue.pk}")
    expect(row).to_contain_text(TITLE)
    expect(row).to_contain_text("已分拣")
    expect(row).to_contain_text("主办：长沙市水务局")
    screenshot(page, "journey-04-intake-queue")

    # When they open it
    row.get_by_role("link", name=clue.tracking_code).click()
    expect(page).to_have_url(f"/work/intake/{clue.pk}/")

    # Then they read it in full: text, identity, the citizen's photo and the suggestions
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(region(page, "线索")).to_contain_text("雨花区某小区自周一起停水")
    expect(region(page, "反映人")).to_contain_text(PHONE)
    expect(region(page, "附件与证据")).to_contain_text("停水现场.png")
    suggestions = region(page, "智能分拣建议")
    expect(suggestions).to_contain_text("主办：长沙市水务局；协办：雨花区人民政府")
    expect(suggestions).to_contain_text("责任清单")
    screenshot(page, "journey-05-intake-clue")
    scroll_to_top(suggestions)
    screenshot(page, "staff-intake-clue-suggestions", full_page=False)

    # When they dispatch it to the water bureau with the district government co-handling
    dispatch = region(page, "转办")
    dispatch.get_by_label("主办单位").select_option(label="长沙市水务局")
    dispatch.get_by_label("协办单位").select_option(label=["雨花区人民政府"])
    dispatch.get_by_label("转办意见（选填）").fill(DISPATCH_NOTE)
    htmx_settled(page)
    dispatch.get_by_role("button", name="转办", exact=True).click()

    # Then they are back on the queue, told so, and the clue has left it
    expect(page).to_have_url("/work/intake/")
    expect(flash(page)).to_contain_text(f"线索 {clue.tracking_code} 已转办。")
    expect(page.locator(f"#queue-row-{clue.pk}")).to_have_count(0)
    screenshot(page, "journey-06-intake-dispatched")
    sign_out(page)


def lead_accepts_and_verifies(page: Page, world: World, clue: Clue, evidence: Path) -> None:
    from playwright.sync_api import expect

    # Given the water bureau's handler signed in on the department workbench
    sign_in(page, "handler", lands_on="/work/department/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("本单位承办线索")
    expect(page.get_by_role("heading", level=1)).to_contain_text("长沙市水务局")

    # Then the clue waits to be signed for, with its signing deadline in words
    lead = Assignment.objects.get(clue=clue, department=world.water_bureau)
    row = page.get_by_role("row").filter(has_text=clue.tracking_code)
    expect(row).to_contain_text("主办")
    expect(row).to_contain_text("待签收")
    expect(row).to_contain_text(f"签收期限 {lead.accept_due:%Y-%m-%d}")
    screenshot(page, "journey-07-department-queue")

    # When they open it
    row.get_by_role("link", name=clue.tracking_code).click()
    expect(page).to_have_url(f"/work/department/{clue.pk}/")

    # Then the complainant is masked and their task is to sign for it
    masked = mask_complainant_fields({"name": "张三", "phone": PHONE})
    identity = region(page, "反映人")
    expect(identity).to_contain_text(masked["name"])
    expect(identity).to_contain_text(masked["phone"])
    expect(page.locator("main")).not_to_contain_text(PHONE)
    expect(page.locator("main")).not_to_contain_text("张三")
    mine = region(page, "本单位任务")
    expect(mine).to_contain_text("主办 · 待签收")
    expect(mine).to_contain_text(f"转办意见：{DISPATCH_NOTE}")
    screenshot(page, "journey-08-department-clue-pending")

    # When they sign for it
    page.get_by_role("button", name="签收", exact=True).click()
    expect(flash(page)).to_contain_text(f"线索 {clue.tracking_code} 已签收。")
    expect(mine).to_contain_text("主办 · 办理中")
    expect(mine).to_contain_text("办结期限")

    # and record an on-site verification with a photo
    step = region(page, "记录核查情况")
    step.get_by_label("核查方式").select_option(label="实地核查")
    step.get_by_label("核查人").fill("王五、李四")
    step.get_by_label("核查时间").fill(_performed_at())
    step.get_by_label("核查情况").fill(STEP_FINDINGS)
    step.get_by_label("证据文件").set_input_files(str(evidence))
    scroll_to_top(region(page, "办理操作"))
    screenshot(page, "staff-department-verification-form", full_page=False)
    screenshot(page, "journey-09-department-verification-form")
    step.get_by_role("button", name="保存核查记录").click()

    # Then the step is on record with its evidence
    expect(flash(page)).to_contain_text(f"线索 {clue.tracking_code} 的核查情况已记录。")
    steps = region(page, "核查记录")
    expect(steps).to_contain_text("实地核查")
    expect(steps).to_contain_text("核查人：王五、李四")
    expect(steps).to_contain_text(STEP_FINDINGS)
    expect(steps.get_by_role("link", name="现场核查照片.png")).to_be_visible()
    screenshot(page, "journey-10-department-step-recorded")
    sign_out(page)


def co_handler_contributes(page: Page, clue: Clue) -> None:
    from playwright.sync_api import expect

    # Given the district government's handler, whose part is to co-handle
    sign_in(page, "co_handler", lands_on="/work/department/")
    row = page.get_by_role("row").filter(has_text=clue.tracking_code)
    expect(row).to_contain_text("协办")
    expect(row).to_contain_text("待签收")
    row.get_by_role("link", name=clue.tracking_code).click()

    # When they sign for their part and give their contribution
    page.get_by_role("button", name="协办签收", exact=True).click()
    expect(flash(page)).to_contain_text(f"线索 {clue.tracking_code} 已协办签收。")
    contribute = region(page, "提交协办意见")
    contribute.get_by_label("协办意见").fill(CONTRIBUTION)
    contribute.get_by_role("button", name="提交协办意见").click()

    # Then it goes to the lead, and nothing is left for them to do
    expect(flash(page)).to_contain_text(f"线索 {clue.tracking_code} 的协办意见已提交主办单位。")
    expect(region(page, "本单位任务")).to_contain_text("协办 · 已提交协办意见")
    expect(region(page, "本轮承办单位")).to_contain_text(CONTRIBUTION)
    expect(page.get_by_role("button", name="提交协办意见")).to_have_count(0)
    screenshot(page, "journey-11-co-handler-contributed")
    sign_out(page)


def lead_reports(page: Page, clue: Clue) -> None:
    from playwright.sync_api import expect

    # Given the lead's handler back on the clue
    sign_in(page, "handler", lands_on="/work/department/")
    row = page.get_by_role("row").filter(has_text=clue.tracking_code)
    expect(row).to_contain_text("办理中")
    row.get_by_role("link", name=clue.tracking_code).click()

    # Then the co-handler's contribution is there to build on
    expect(region(page, "本轮承办单位")).to_contain_text(f"雨花区人民政府：{CONTRIBUTION}")

    # When they report the result, the recorded method already ticked
    report = region(page, "报送办理结果")
    expect(report.get_by_label("实地核查")).to_be_checked()
    report.get_by_label("核查情况").fill(REPORT_FINDINGS)
    report.get_by_label("属实", exact=True).check()
    report.get_by_label("处理措施").fill(ACTIONS_TAKEN)
    report.get_by_label("拟答复群众的意见").fill(ANSWER)
    report.get_by_role("button", name="报送审核").click()

    # Then the report is on record and the department has nothing more to do
    expect(flash(page)).to_contain_text(f"线索 {clue.tracking_code} 的办理结果已报送审核。")
    reports = region(page, "已报送的办理结果")
    expect(reports).to_contain_text("属实")
    expect(reports).to_contain_text(ANSWER)
    expect(region(page, "本单位任务")).to_contain_text("主办 · 已报结")
    expect(region(page, "办理操作")).to_contain_text("本单位当前没有可执行的操作。")
    screenshot(page, "journey-12-department-reported")
    sign_out(page)


def supervisor_approves_and_answers(page: Page, clue: Clue) -> None:
    from playwright.sync_api import expect

    # Given a supervisor on the console's home
    sign_in(page, "supervisor", lands_on="/work/supervisor/")
    expect(page.get_by_role("heading", level=1)).to_have_text("督查台")
    awaiting = page.locator("#board-awaiting-review")
    expect(awaiting.locator(".count")).to_have_text("1")
    expect(awaiting).to_contain_text("待审核")
    screenshot(page, "journey-13-supervisor-home")
    screenshot(page, "staff-supervisor-home", full_page=False)

    # When they open the "awaiting review" board
    awaiting.click()
    expect(page).to_have_url("/work/supervisor/boards/awaiting-review/")
    expect(page.get_by_role("heading", level=1)).to_have_text("待审核")
    row = page.get_by_role("row").filter(has_text=clue.tracking_code)
    expect(row).to_contain_text("长沙市水务局")
    expect(row).to_contain_text("已报结待审核")
    screenshot(page, "journey-14-supervisor-board")

    # and the clue
    row.get_by_role("link", name=clue.tracking_code).click()
    expect(page).to_have_url(f"/work/supervisor/clues/{clue.pk}/")

    # Then they read the report, the evidence and every department's part
    report = region(page, "核查报告")
    expect(report).to_contain_text("长沙市水务局")
    expect(report).to_contain_text("实地核查")
    expect(report).to_contain_text(REPORT_FINDINGS)
    expect(report).to_contain_text(ANSWER)
    files = region(page, "附件与证据")
    expect(files.get_by_role("link", name="停水现场.png")).to_be_visible()
    expect(files.get_by_role("link", name="现场核查照片.png")).to_be_visible()
    work = region(page, "转办与核查")
    expect(work).to_contain_text("主办：长沙市水务局")
    expect(work).to_contain_text("协办：雨花区人民政府")
    expect(work).to_contain_text(STEP_FINDINGS)
    expect(work).to_contain_text(CONTRIBUTION)
    expect(region(page, "反映人")).to_contain_text(PHONE)

    # When they approve it and answer the citizen in the same form
    approve = page.get_by_role("form", name="审核通过")
    expect(approve.get_by_label("答复意见")).to_have_value(ANSWER)
    approve.get_by_label("审核意见（选填）").fill(REVIEW_COMMENT)
    approve.get_by_label("同时答复群众").check()
    screenshot(page, "journey-15-supervisor-clue")
    approve.get_by_role("button", name="审核通过").click()

    # Then the clue is answered, with the answer on record
    expect(flash(page)).to_contain_text(f"线索 {clue.tracking_code} 已审核通过，并已答复群众。")
    summary = region(page, "督查概况")
    expect(summary).to_contain_text("已答复")
    expect(summary).to_contain_text(ANSWER)
    expect(page.get_by_role("form", name="审核通过")).to_have_count(0)
    screenshot(page, "journey-16-supervisor-answered")
    sign_out(page)


@pytest.mark.usefixtures("_fresh_triage")
def test_a_clue_travels_from_the_citizen_through_every_bench_and_back(
    phone_page: Page, page: Page, world: World, tmp_path: Path
) -> None:
    # A citizen reports on a phone with a photo and keeps code and secret
    code, secret = submit_on_phone(
        phone_page,
        world,
        small_png(tmp_path),
        shots=(
            "journey-01-citizen-form-phone",
            "journey-02-citizen-filled-phone",
            "journey-03-citizen-receipt-phone",
        ),
    )
    clue = Clue.objects.get(tracking_code=normalize_tracking_code(code))
    # the triage worker's turn (tests do not run the task queue)
    triage_clue(clue_id=clue.pk)

    evidence = small_png(tmp_path, "现场核查照片.png", (200, 120, 40))
    intake_dispatches(page, world, clue)
    lead_accepts_and_verifies(page, world, clue, evidence)
    co_handler_contributes(page, clue)
    lead_reports(page, clue)
    supervisor_approves_and_answers(page, clue)

    # The citizen reads the answer and the answering department on the phone, and rates it
    track_and_rate(
        phone_page,
        code,
        secret,
        answer=ANSWER,
        internal=STEP_FINDINGS,
        shots=("journey-17-citizen-answered-phone", "journey-18-citizen-rated-phone"),
    )

    # Every action is an event by the right person in the right role
    clue.refresh_from_db()
    assert clue.status == ClueStatus.ANSWERED
    assert clue.answer == ANSWER
    assert clue.satisfaction == "satisfied"
    assert events_of(clue) == [
        (Action.RECEIVE, "citizen", None),
        (Action.TRIAGE, "system", None),
        (Action.DISPATCH, "intake", "intake"),
        (Action.ACCEPT, "dept_handler", "handler"),
        (Action.RECORD_VERIFICATION, "dept_handler", "handler"),
        (Action.CO_ACCEPT, "dept_handler", "co_handler"),
        (Action.CO_CONTRIBUTE, "dept_handler", "co_handler"),
        (Action.REPORT, "dept_handler", "handler"),
        (Action.APPROVE, "supervisor", "supervisor"),
        (Action.ANSWER, "supervisor", "supervisor"),
        (Action.RATE, "citizen", None),
    ]
    step = VerificationStep.objects.get(assignment__clue=clue)
    assert (step.method, step.performed_by, step.findings) == (
        VerificationMethod.ON_SITE,
        "王五、李四",
        STEP_FINDINGS,
    )
    assert [a.original_name for a in step.evidence.all()] == ["现场核查照片.png"]
    report = VerificationReport.objects.get(clue=clue)
    assert (report.conclusion, report.proposed_answer) == (Conclusion.SUBSTANTIATED, ANSWER)
    assert dict(clue.assignments.values_list("department__name", "status")) == {
        "长沙市水务局": AssignmentStatus.COMPLETED,
        "雨花区人民政府": AssignmentStatus.COMPLETED,
    }


# ----- Return and re-dispatch ------------------------------------------------------------


def test_a_misrouted_clue_is_returned_and_dispatched_to_the_right_department(
    page: Page, world: World
) -> None:
    from playwright.sync_api import expect

    # Given a fire-safety clue that intake sent to the water bureau by mistake
    clue = receive(
        world,
        title="消防通道被占用",
        content="雨花区某小区消防通道长期被私家车占用，消防车无法通行。",
        category=world.fire,
    )
    intake.clue_dispatch(
        clue_id=clue.pk, actor=world.actor("intake"), lead_department=world.water_bureau
    )

    # When the water bureau returns it with a reason and a suggestion
    sign_in(page, "handler", lands_on="/work/department/")
    page.get_by_role("row").filter(has_text=clue.tracking_code).get_by_role(
        "link", name=clue.tracking_code
    ).click()
    giving_back = region(page, "退回（非本单位职责）")
    giving_back.get_by_label("退回理由").fill(RETURN_REASON)
    giving_back.get_by_label("建议转交单位（选填）").select_option(label="长沙市消防救援支队")
    giving_back.get_by_role("button", name="退回", exact=True).click()

    # Then it leaves their queue
    expect(page).to_have_url("/work/department/")
    expect(flash(page)).to_contain_text(f"线索 {clue.tracking_code} 已退回受理环节重新转办。")
    expect(page.get_by_role("row").filter(has_text=clue.tracking_code)).to_have_count(0)
    sign_out(page)

    # and is back in the intake queue as returned, with the reason on its page
    sign_in(page, "intake", lands_on="/work/intake/")
    row = page.locator(f"#queue-row-{clue.pk}")
    expect(row).to_contain_text("已退回待重新转办")
    row.get_by_role("link", name=clue.tracking_code).click()
    timeline = region(page, "办理记录")
    expect(timeline).to_contain_text("退回（非本单位职责）")
    expect(timeline).to_contain_text(RETURN_REASON)
    expect(timeline).to_contain_text("退回单位：长沙市水务局")
    expect(timeline).to_contain_text("建议转交：长沙市消防救援支队")
    screenshot(page, "staff-returned-intake-clue")

    # When intake dispatches it to the fire brigade
    dispatch = region(page, "转办")
    dispatch.get_by_label("主办单位").select_option(label="长沙市消防救援支队")
    htmx_settled(page)
    dispatch.get_by_role("button", name="转办", exact=True).click()
    expect(flash(page)).to_contain_text(f"线索 {clue.tracking_code} 已转办。")
    sign_out(page)

    # Then the fire brigade sees it and signs for it
    sign_in(page, "other_handler", lands_on="/work/department/")
    row = page.get_by_role("row").filter(has_text=clue.tracking_code)
    expect(row).to_contain_text("待签收")
    row.get_by_role("link", name=clue.tracking_code).click()
    page.get_by_role("button", name="签收", exact=True).click()
    expect(flash(page)).to_contain_text(f"线索 {clue.tracking_code} 已签收。")
    expect(region(page, "本单位任务")).to_contain_text("主办 · 办理中")
    sign_out(page)

    # and the water bureau may still read it, with no action left
    sign_in(page, "handler", lands_on="/work/department/")
    page.get_by_label("任务状态").select_option(label="已结束")
    page.get_by_role("button", name="筛选").click()
    row = page.get_by_role("row").filter(has_text=clue.tracking_code)
    expect(row).to_contain_text("已退回")
    row.get_by_role("link", name=clue.tracking_code).click()
    expect(region(page, "本单位任务")).to_contain_text("本单位在当前这一轮转办中没有承办任务")
    expect(region(page, "办理操作")).to_contain_text("本单位当前没有可执行的操作。")
    expect(page.locator("main").get_by_role("button")).to_have_count(0)
    screenshot(page, "staff-returned-first-department")

    clue.refresh_from_db()
    assert clue.status == ClueStatus.ACCEPTED
    assert dict(clue.assignments.values_list("department__name", "status")) == {
        "长沙市水务局": AssignmentStatus.RETURNED,
        "长沙市消防救援支队": AssignmentStatus.ACCEPTED,
    }
    assert events_of(clue)[1:] == [
        (Action.DISPATCH, "intake", "intake"),
        (Action.RETURN, "dept_handler", "handler"),
        (Action.DISPATCH, "intake", "intake"),
        (Action.ACCEPT, "dept_handler", "other_handler"),
    ]
