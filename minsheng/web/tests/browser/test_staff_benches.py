"""The staff benches in a real browser (issue 4): what a department may not open, the
logged reveal of the complainant's identity, the intake queue from the keyboard and the
department's pages on a 360 px phone."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from minsheng.clues.workflow import Action, ClueStatus
from minsheng.privacy.masking import mask_complainant_fields
from minsheng.testing.browser import screenshot
from minsheng.web.tests.browser.helpers import (
    NO_HORIZONTAL_SCROLL,
    PHONE,
    pick_region,
    region,
    sign_in,
    status_of,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from minsheng.clues.tests.conftest import World

pytestmark = pytest.mark.browser

REVEAL_REASON = "需电话联系反映人，核实停水的具体楼栋。"


# ----- Refusals outside one's own clues --------------------------------------------------


def test_a_department_cannot_open_another_departments_clue_nor_the_console(
    page: Page, world: World, clue_in
) -> None:
    from playwright.sync_api import expect

    # Given a clue only the water bureau and the district government hold
    clue = clue_in(ClueStatus.DISPATCHED)
    assert not clue.assignments.filter(department=world.fire_brigade).exists()

    # When the fire brigade's handler signs in, the clue is not in their queue
    sign_in(page, "other_handler", lands_on="/work/department/")
    expect(page.locator("main")).to_contain_text("没有符合条件的承办任务。")

    # and opening its department URL finds nothing, not even its text
    assert status_of(page, f"/work/department/{clue.pk}/") == 404
    body = page.locator("body")
    for secret in (clue.title, "雨花区某小区", clue.tracking_code, "张三"):
        expect(body).not_to_contain_text(secret)
    screenshot(page, "staff-refused-404-other-department")

    # and the supervisor console and the intake workbench are refused
    for url in ("/work/supervisor/", f"/work/supervisor/clues/{clue.pk}/", "/work/intake/"):
        assert status_of(page, url) == 403, url
        expect(body).not_to_contain_text(clue.title)
    screenshot(page, "staff-refused-403-supervisor")


# ----- The logged reveal of the complainant's identity -----------------------------------


def test_the_department_reveals_the_complainant_only_with_a_reason_on_record(
    page: Page, world: World, clue_in
) -> None:
    from playwright.sync_api import expect

    # Given a clue the water bureau has signed for, from a named complainant
    clue = clue_in(ClueStatus.ACCEPTED)
    sign_in(page, "handler", lands_on="/work/department/")
    page.goto(f"/work/department/{clue.pk}/")

    # Then the identity is masked by default
    masked = mask_complainant_fields({"name": "张三", "phone": PHONE})
    identity = region(page, "反映人")
    expect(identity).to_contain_text(masked["name"])
    expect(identity).to_contain_text(masked["phone"])
    expect(page.locator("main")).not_to_contain_text(PHONE)
    expect(page.locator("main")).not_to_contain_text("11010519491231002X")

    # When they ask to see it without a reason, they are told to give one
    reveal = region(page, "查看反映人信息")
    reveal.get_by_role("button", name="查看", exact=True).click()
    expect(region(page, "查看反映人信息").locator(".errorlist")).not_to_have_count(0)
    expect(page.locator("main")).not_to_contain_text(PHONE)

    # When they give the reason
    region(page, "查看反映人信息").get_by_label("查看理由").fill(REVEAL_REASON)
    region(page, "查看反映人信息").get_by_role("button", name="查看", exact=True).click()

    # Then the values are shown once, and the reveal is in the timeline with its reason
    revealed = region(page, "反映人信息（已查看）")
    expect(revealed).to_contain_text("张三")
    expect(revealed).to_contain_text(PHONE)
    expect(revealed).to_contain_text("11010519491231002X")
    timeline = region(page, "办理记录")
    reveal_entry = timeline.get_by_role("listitem").filter(has_text="查看反映人信息")
    expect(reveal_entry).to_contain_text(REVEAL_REASON)
    expect(reveal_entry).to_contain_text("handler（承办人）")
    screenshot(page, "staff-department-identity-revealed")

    # and reading the page again shows the masked values only
    page.goto(f"/work/department/{clue.pk}/")
    expect(region(page, "反映人信息（已查看）")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text(PHONE)

    events = list(clue.events.filter(action=Action.REVEAL_IDENTITY))
    assert [(e.actor_role, e.actor.username if e.actor else None, e.reason) for e in events] == [
        ("dept_handler", "handler", REVEAL_REASON)
    ]


# ----- Keyboard and phone ----------------------------------------------------------------


def test_the_intake_queue_works_from_the_keyboard(page: Page, world: World, clue_in) -> None:
    from playwright.sync_api import expect

    # Given three clues waiting for intake
    for title in ("路灯不亮", "噪音扰民", "井盖缺失"):
        clue_in(ClueStatus.RECEIVED, title=title)
    sign_in(page, "intake", lands_on="/work/intake/")
    rows = page.locator("#intake-queue tbody tr")
    expect(rows).to_have_count(3)

    # When they press ?, the list of shortcuts opens; Escape closes it
    help_panel = page.locator("#shortcut-help")
    expect(page.get_by_text("选择下一条线索")).to_be_hidden()
    page.keyboard.press("?")
    expect(help_panel).to_have_attribute("open", "")
    expect(page.get_by_text("选择下一条线索")).to_be_visible()
    expect(page.get_by_text("打开所选线索")).to_be_visible()
    screenshot(page, "staff-intake-shortcuts")
    page.keyboard.press("Escape")
    expect(page.get_by_text("选择下一条线索")).to_be_hidden()

    # When they move down twice and up once with j and k
    page.keyboard.press("j")
    expect(rows.nth(0)).to_have_class(re.compile(r"\bis-selected\b"))
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")

    # Then the second row is the selected one, and Enter opens it
    expect(rows.nth(1)).to_have_attribute("aria-current", "true")
    expect(rows.nth(0)).not_to_have_attribute("aria-current", "true")
    expect(rows.nth(2)).not_to_have_attribute("aria-current", "true")
    second_url = rows.nth(1).get_attribute("data-clue-url")
    second_title = rows.nth(1).locator("td").nth(1).inner_text()
    page.keyboard.press("Enter")
    expect(page).to_have_url(second_url or "")
    expect(page.get_by_role("heading", level=1)).to_have_text(second_title)

    # and on the clue, d jumps to the dispatch form and g q goes back to the queue
    page.keyboard.press("d")
    expect(region(page, "转办").get_by_label("主办单位")).to_be_focused()
    page.evaluate("document.activeElement.blur()")  # shortcuts wait while a field has focus
    page.keyboard.press("g")
    page.keyboard.press("q")
    expect(page).to_have_url("/work/intake/")


def test_the_department_queue_fits_a_phone(phone_page: Page, world: World, clue_in) -> None:
    from playwright.sync_api import expect

    # Given a handler on a 360 px phone with a clue in hand
    clue = clue_in(ClueStatus.ACCEPTED)
    sign_in(phone_page, "handler", lands_on="/work/department/")

    # Then the queue fits the width (its table scrolls inside its own box)
    expect(phone_page.get_by_role("row").filter(has_text=clue.tracking_code)).to_be_visible()
    screenshot(phone_page, "staff-department-queue-phone")
    assert phone_page.evaluate(NO_HORIZONTAL_SCROLL)


def test_the_department_clue_page_fits_a_phone(phone_page: Page, world: World, clue_in) -> None:
    from playwright.sync_api import expect

    # Given a handler on a 360 px phone with a clue in hand
    clue = clue_in(ClueStatus.ACCEPTED)
    sign_in(phone_page, "handler", lands_on="/work/department/")

    # When they open the clue, with every form of the department's work on it
    phone_page.get_by_role("link", name=clue.tracking_code).click()
    expect(region(phone_page, "记录核查情况")).to_be_visible()
    expect(region(phone_page, "报送办理结果")).to_be_visible()
    screenshot(phone_page, "staff-department-clue-phone")
    screenshot(phone_page, "staff-department-clue-phone-top", full_page=False)

    # Then nothing sticks out sideways
    assert phone_page.evaluate(NO_HORIZONTAL_SCROLL)


# ----- The dispatch form's region picker -------------------------------------------------


def test_intake_corrects_the_region_through_the_cascading_picker(
    page: Page, world: World, clue_in
) -> None:
    from playwright.sync_api import expect

    # Given an intake operator on a clue filed under the wrong district
    clue = clue_in(ClueStatus.TRIAGED, region=world.other_district)
    sign_in(page, "intake", lands_on="/work/intake/")
    page.goto(f"/work/intake/{clue.pk}/")

    # Then with script on the cascade replaces the flat list
    picker = page.locator("#dispatch-region")
    expect(picker.locator("[data-region-flat]")).to_be_hidden()
    expect(picker.locator("[data-region-cascade]")).to_be_visible()

    # When they pick province, city and district level by level and dispatch
    pick_region(page, 1, world.province.pk)
    pick_region(page, 2, world.city.pk)
    pick_region(page, 3, world.district.pk)
    region(page, "转办").get_by_label("主办单位").select_option(str(world.water_bureau.pk))
    region(page, "转办").get_by_role("button", name="转办").click()

    # Then the clue is dispatched with the corrected region
    expect(page).to_have_url("/work/intake/")
    clue.refresh_from_db()
    assert clue.region_id == world.district.pk
    assert clue.status == ClueStatus.DISPATCHED
