"""The citizen's side of a clue's journey in a real browser (issue 4).

A citizen reports a water outage on a phone and keeps the receipt; staff move the clue
along through the services (test_staff_journey.py does their part in the browser); the
citizen then tracks it on a desktop, reads the answer and rates it. Also: a wrong secret
is refused with the generic message, and the form still works with JavaScript turned off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from minsheng.clues.choices import Conclusion, VerificationMethod
from minsheng.clues.models import Attachment, Clue, Complainant
from minsheng.clues.services import handling, intake, review
from minsheng.clues.services.codes import normalize_tracking_code
from minsheng.clues.workflow import ClueStatus
from minsheng.testing.browser import TIMEOUT_MS, screenshot
from minsheng.web.tests.browser.helpers import small_png, submit_on_phone, track_and_rate

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Browser, Page
    from pytest_django.live_server_helper import LiveServer

    from minsheng.clues.tests.conftest import World

pytestmark = pytest.mark.browser

ANSWER = "经核查，停水系主供水管道爆裂所致。我局已组织抢修，供水已于周四恢复。"


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

    track_and_rate(page, code, secret, answer=ANSWER, internal="现场核查")
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
