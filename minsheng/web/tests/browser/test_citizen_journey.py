"""The citizen's side of a clue's journey in a real browser (issue 4).

A citizen reports a water outage on a phone and keeps the receipt; staff move the clue
along through the services (their workbenches do not exist yet); the citizen then tracks
it on a desktop, reads the answer and rates it. Also: a wrong secret is refused with the
generic message, and the form still works with JavaScript turned off.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from PIL import Image

from minsheng.clues.choices import Conclusion, VerificationMethod
from minsheng.clues.models import Attachment, Clue, Complainant
from minsheng.clues.services import handling, intake, review
from minsheng.clues.services.codes import normalize_tracking_code
from minsheng.clues.workflow import ClueStatus
from minsheng.testing.browser import TIMEOUT_MS, screenshot

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Browser, Page
    from pytest_django.live_server_helper import LiveServer

    from minsheng.clues.tests.conftest import World

pytestmark = pytest.mark.browser

DESCRIPTION = "雨花区某小区自周一起停水，物业称是市政管网维修，至今没有恢复供水。"
# HTMX marks elements with these classes while a request, swap or settle is under way.
HTMX_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling"
ANSWER = "经核查，停水系主供水管道爆裂所致。我局已组织抢修，供水已于周四恢复。"


@pytest.fixture(autouse=True)
def _no_form_delay(settings):
    """People take seconds to fill the form; the spam check's minimum would only slow tests."""
    settings.MINSHENG = {**settings.MINSHENG, "PORTAL_FORM_MIN_SECONDS": 0}


def small_png(tmp_path: Path) -> Path:
    path = tmp_path / "停水现场.png"
    Image.new("RGB", (64, 48), (30, 110, 200)).save(path, format="PNG")
    return path


def pick_region(page: Page, depth: int, pk: int) -> None:
    """Choose in the cascade's select of `depth` once HTMX has loaded and wired it.

    HTMX attaches the triggers of swapped-in content only when it settles (20 ms later),
    so a change made before that would go unnoticed; people are never that quick.
    """
    from playwright.sync_api import expect

    select = page.locator(f"#id_region_{depth}")
    expect(select).to_be_enabled()
    expect(page.locator(HTMX_BUSY)).to_have_count(0)
    select.select_option(str(pk))
    expect(page.locator(HTMX_BUSY)).to_have_count(0)


def submit_on_phone(page: Page, world: World, photo: Path) -> tuple[str, str]:
    """Fill the form with script on (cascading regions, counter); return code and secret."""
    from playwright.sync_api import expect

    # Given a citizen on the portal's form
    page.goto("/portal/submit/")
    expect(page.get_by_role("heading", level=1, name="我要反映问题线索")).to_be_visible()

    # When they describe the problem, the counter follows what they type
    page.locator("#id_title").fill("小区停水三天无人处理")
    counter = page.locator("#id_content_counter")
    expect(counter).to_contain_text("已输入 0 字")
    page.locator("#id_content").fill(DESCRIPTION)
    expect(counter).to_contain_text(f"已输入 {len(DESCRIPTION)} 字")

    # and narrow the categories by a keyword, then pick one
    page.locator("input.category-search").fill("停水")
    page.locator("#id_category").select_option(str(world.water_outage.pk))

    # and pick the region level by level: the flat list gives way to the cascade
    expect(page.locator("#id_region")).to_be_hidden()
    for depth, region in enumerate([world.province, world.city, world.district], start=1):
        pick_region(page, depth, region.pk)
    expect(page.locator("#id_region_3")).to_have_value(str(world.district.pk))
    expect(page.locator("#id_region_4")).to_have_count(0)  # a district has no lower level
    page.locator("#id_place_text").fill("某小区3栋")
    screenshot(page, "journey-1-submit-form-phone")

    # and attach a photo, give their name and phone, and consent
    page.locator("#id_attachments").set_input_files(str(photo))
    page.get_by_label("实名", exact=True).check()
    page.locator("#id_name").fill("张三")
    page.locator("#id_phone").fill("13812341234")
    page.get_by_label("电话", exact=True).check()
    page.locator("#id_consent").check()
    screenshot(page, "journey-2-submit-filled-phone")
    page.get_by_role("button", name="提交反映").click()

    # Then the receipt shows the tracking code and the query secret, once
    expect(page).to_have_url("/portal/submit/done/")
    expect(page.get_by_role("heading", level=1)).to_have_text("提交成功，我们已受理您的反映")
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    secret = page.get_by_test_id("query-secret").inner_text().strip()
    assert re.fullmatch(r"\d{4}( \d{4})+", code), code
    assert re.fullmatch(r"[0-9A-Z]{6,}", secret), secret
    screenshot(page, "journey-3-receipt-phone")
    return code, secret


def staff_handle(world: World, clue: Clue) -> None:
    """Intake dispatches, the water bureau accepts and reports, review approves and answers."""
    intake.clue_triage(clue_id=clue.pk, actor=world.actor("intake"))
    intake.clue_dispatch(
        clue_id=clue.pk, actor=world.actor("intake"), lead_department=world.water_bureau
    )
    handling.clue_accept(clue_id=clue.pk, actor=world.actor("handler"))
    handling.clue_report(
        clue_id=clue.pk,
        actor=world.actor("handler"),
        methods=[VerificationMethod.ON_SITE],
        findings="现场核查：主供水管道爆裂，已抢修。",
        conclusion=Conclusion.SUBSTANTIATED,
        actions_taken="组织抢修，恢复供水。",
        proposed_answer=ANSWER,
    )
    review.clue_approve(clue_id=clue.pk, actor=world.actor("supervisor"))
    review.clue_answer(clue_id=clue.pk, actor=world.actor("intake"), answer=ANSWER)


def track_on_desktop(page: Page, code: str, secret: str) -> None:
    from playwright.sync_api import expect

    # Given the citizen's saved code and secret
    # When they look the clue up on a desktop
    page.goto("/portal/track/")
    page.get_by_label("受理编号").fill(code)
    page.get_by_label("查询码").fill(secret)
    page.get_by_role("button", name="查询", exact=True).click()

    # Then they read the status in plain words, the answer and the steps so far
    expect(page.get_by_role("heading", level=1)).to_have_text("办理进度")
    expect(page.get_by_test_id("status")).to_have_text("已答复，欢迎评价")
    answer = page.locator("section[aria-labelledby=answer-heading]")
    expect(answer).to_contain_text(ANSWER)
    expect(answer).to_contain_text("答复单位：长沙市水务局")
    steps = page.locator(".timeline li strong")
    expect(steps).to_have_text(
        [
            "受理：已收到您的反映",
            "转办：已交由责任单位办理",
            "办理：责任单位已签收，正在办理",
            "答复：已答复您",
        ]
    )
    expect(page.locator(".timeline")).to_contain_text("责任单位：长沙市水务局")
    # never the staff's internal findings
    expect(page.locator("main")).not_to_contain_text("现场核查")
    screenshot(page, "journey-4-track-answered-desktop")

    # When they rate the answer
    page.get_by_label("满意", exact=True).check()
    page.get_by_label("评价意见（选填）").fill("抢修及时，谢谢。")
    page.get_by_role("button", name="提交评价").click()

    # Then the page thanks them, shows the rating and offers no second one
    expect(page.locator(".messages")).to_contain_text("感谢您的评价。")
    expect(answer).to_contain_text("您的评价：满意")
    expect(steps.last).to_have_text("评价：满意")
    expect(page.get_by_role("button", name="提交评价")).to_have_count(0)
    screenshot(page, "journey-5-rated-desktop")


def test_citizen_reports_on_a_phone_and_follows_up_on_a_desktop(
    phone_page: Page, page: Page, world: World, tmp_path: Path
) -> None:
    code, secret = submit_on_phone(phone_page, world, small_png(tmp_path))

    clue = Clue.objects.get(tracking_code=normalize_tracking_code(code))
    assert (clue.status, clue.category, clue.region) == (
        ClueStatus.RECEIVED,
        world.water_outage,
        world.district,
    )
    assert Complainant.objects.get(clue=clue).phone == "13812341234"
    assert Attachment.objects.filter(clue=clue).count() == 1

    staff_handle(world, clue)
    clue.refresh_from_db()
    assert clue.status == ClueStatus.ANSWERED

    track_on_desktop(page, code, secret)
    clue.refresh_from_db()
    assert clue.satisfaction == "satisfied"


def test_a_wrong_secret_gets_the_generic_refusal(page: Page, clue_in) -> None:
    from playwright.sync_api import expect

    # Given a clue the visitor holds the code of, but not the secret
    clue = clue_in(ClueStatus.DISPATCHED)

    # When they try a made-up secret
    page.goto(f"/portal/track/{clue.tracking_code}/")
    expect(page).to_have_url(f"/portal/track/?code={clue.tracking_code}")
    expect(page.locator(".messages")).to_contain_text("请输入受理编号和查询码")
    page.get_by_label("查询码").fill("ABCD2345")
    page.get_by_role("button", name="查询", exact=True).click()

    # Then the same message as for an unknown code, and nothing of the clue
    expect(page.get_by_role("alert")).to_have_text("受理编号或查询码不正确。")
    expect(page.locator("main")).not_to_contain_text(clue.title)
    screenshot(page, "journey-wrong-secret-desktop")


def test_the_form_works_without_javascript(
    browser: Browser, live_server: LiveServer, world: World
) -> None:
    from playwright.sync_api import expect

    # Given a phone browser with JavaScript turned off
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        java_script_enabled=False,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        device_scale_factor=2,
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto("/portal/submit/")

        # Then the single, indented region list is offered instead of the cascade
        expect(page.locator("#id_region")).to_be_visible()
        expect(page.locator("[data-region-cascade]")).to_be_hidden()
        expect(page.locator("input.category-search")).to_have_count(0)

        # When they fill the form anonymously and submit
        page.locator("#id_title").fill("路灯不亮")
        page.locator("#id_content").fill("岳麓区某路段路灯连续一周不亮，夜间行人很不安全。")
        page.locator("#id_region").select_option(str(world.other_district.pk))
        page.get_by_label("匿名", exact=True).check()
        page.locator("#id_consent").check()
        screenshot(page, "journey-nojs-submit-phone")
        page.get_by_role("button", name="提交反映").click()

        # Then the clue is received, anonymous, in the chosen district
        expect(page).to_have_url("/portal/submit/done/")
        code = page.get_by_test_id("tracking-code").inner_text()
        expect(page.get_by_test_id("query-secret")).not_to_be_empty()
        screenshot(page, "journey-nojs-receipt-phone")
        clue = Clue.objects.get(tracking_code=normalize_tracking_code(code))
        assert clue.region == world.other_district
        assert clue.is_anonymous
        assert clue.category is None
        assert not Complainant.objects.filter(clue=clue).exists()
    finally:
        context.close()
