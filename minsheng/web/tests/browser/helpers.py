"""Steps the browser tests share: the citizen's submission on a phone and follow-up, the
region cascade, staff sign-in and sign-out, waiting for HTMX to settle, finding a page's
sections, and a clue's events as (action, role, username).

Playwright is imported inside the functions: without it the browser fixtures have already
skipped the test before any of these runs.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PIL import Image

from minsheng.testing.browser import screenshot

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Locator, Page

    from minsheng.clues.models import Clue
    from minsheng.clues.tests.conftest import World

PHONE = "13812341234"
DESCRIPTION = "雨花区某小区自周一起停水，物业称是市政管网维修，至今没有恢复供水。"
# HTMX marks elements with these classes while a request, swap or settle is under way.
HTMX_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling"
# The `world` fixture's users all have this password (clues/tests/conftest.py `_user`).
STAFF_PASSWORD = "test-pass-123"
# Measured against clientWidth: on a mobile page Chromium widens the layout viewport
# (window.innerWidth) to content that sticks out, so `scrollWidth <= innerWidth` would hold
# even on a page that scrolls sideways.
NO_HORIZONTAL_SCROLL = (
    "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    " && window.innerWidth <= document.documentElement.clientWidth"
)
# submit_on_phone's screenshots: the form, the form filled in, the receipt.
SUBMIT_SHOTS = (
    "journey-1-submit-form-phone",
    "journey-2-submit-filled-phone",
    "journey-3-receipt-phone",
)
# track_and_rate's screenshots: the answered clue, then rated.
TRACK_SHOTS = ("journey-4-track-answered-desktop", "journey-5-rated-desktop")


def small_png(
    tmp_path: Path, name: str = "停水现场.png", colour: tuple[int, int, int] = (30, 110, 200)
) -> Path:
    path = tmp_path / name
    Image.new("RGB", (64, 48), colour).save(path, format="PNG")
    return path


def region(page: Page, name: str) -> Locator:
    """A section of the page, found by its heading (sections are labelled by them)."""
    return page.get_by_role("region", name=name, exact=True)


def flash(page: Page) -> Locator:
    """The messages shown after an action."""
    return page.locator(".messages")


def status_of(page: Page, url: str) -> int:
    """Open `url` and return the HTTP status of the page it shows."""
    response = page.goto(url)
    assert response is not None
    return response.status


def events_of(clue: Clue) -> list[tuple[str, str, str | None]]:
    """The clue's events in order: action, the actor's role and username (None: no user)."""
    return [
        (event.action, event.actor_role, event.actor.username if event.actor else None)
        for event in clue.events.select_related("actor").order_by("seq")
    ]


def htmx_settled(page: Page) -> None:
    """Wait until no element is in an HTMX request, swap or settle."""
    from playwright.sync_api import expect

    expect(page.locator(HTMX_BUSY)).to_have_count(0)


def pick_region(page: Page, depth: int, pk: int) -> None:
    """Choose in the cascade's select of `depth` once HTMX has loaded and wired it.

    HTMX attaches the triggers of swapped-in content only when it settles (20 ms later),
    so a change made before that would go unnoticed; people are never that quick.
    """
    from playwright.sync_api import expect

    select = page.locator(f"#id_region_{depth}")
    expect(select).to_be_enabled()
    htmx_settled(page)
    select.select_option(str(pk))
    htmx_settled(page)


def submit_on_phone(
    page: Page, world: World, photo: Path, *, shots: tuple[str, str, str] = SUBMIT_SHOTS
) -> tuple[str, str]:
    """Fill the form with script on (cascading regions, counter); return code and secret.

    `shots` names the screenshots of the empty form, the filled form and the receipt.
    """
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
    screenshot(page, shots[0])

    # and attach a photo, give their name and phone, and consent
    page.locator("#id_attachments").set_input_files(str(photo))
    page.get_by_label("实名", exact=True).check()
    page.locator("#id_name").fill("张三")
    page.locator("#id_phone").fill(PHONE)
    page.get_by_label("电话", exact=True).check()
    page.locator("#id_consent").check()
    screenshot(page, shots[1])
    page.get_by_role("button", name="提交反映").click()

    # Then the receipt shows the tracking code and the query secret, once
    expect(page).to_have_url("/portal/submit/done/")
    expect(page.get_by_role("heading", level=1)).to_have_text("提交成功，我们已受理您的反映")
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    secret = page.get_by_test_id("query-secret").inner_text().strip()
    assert re.fullmatch(r"\d{4}( \d{4})+", code), code
    assert re.fullmatch(r"[0-9A-Z]{6,}", secret), secret
    screenshot(page, shots[2])
    return code, secret


def sign_in(page: Page, username: str, *, lands_on: str) -> None:
    """Sign a staff user in on the staff login page; they land on their bench."""
    from playwright.sync_api import expect

    page.goto("/staff/login/")
    expect(page.get_by_role("heading", level=1, name="工作人员登录")).to_be_visible()
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(lands_on)
    expect(page.get_by_role("button", name=f"退出（{username}）")).to_be_visible()
    # The bench's deferred scripts (keyboard shortcuts, pickers) run before "load"; a key
    # pressed earlier is lost (seen under load on PostgreSQL).
    page.wait_for_load_state("load")


def sign_out(page: Page) -> None:
    from playwright.sync_api import expect

    page.get_by_role("button", name=re.compile(r"^退出")).click()
    expect(page).to_have_url("/staff/login/")


def track_and_rate(
    page: Page,
    code: str,
    secret: str,
    *,
    answer: str,
    internal: str,
    department: str = "长沙市水务局",
    shots: tuple[str, str] = TRACK_SHOTS,
) -> None:
    """Look an answered clue up with code and secret, read the answer, rate it.

    `internal` is a piece of the staff's findings the citizen must never read.
    """
    from playwright.sync_api import expect

    # Given the citizen's saved code and secret
    # When they look the clue up
    page.goto("/portal/track/")
    page.get_by_label("受理编号").fill(code)
    page.get_by_label("查询码").fill(secret)
    page.get_by_role("button", name="查询", exact=True).click()

    # Then they read the status in plain words, the answer and the steps so far
    expect(page.get_by_role("heading", level=1)).to_have_text("办理进度")
    expect(page.get_by_test_id("status")).to_have_text("已答复，欢迎评价")
    answered = page.locator("section[aria-labelledby=answer-heading]")
    expect(answered).to_contain_text(answer)
    expect(answered).to_contain_text(f"答复单位：{department}")
    steps = page.locator(".timeline li strong")
    expect(steps).to_have_text(
        [
            "受理：已收到您的反映",
            "转办：已交由责任单位办理",
            "办理：责任单位已签收，正在办理",
            "答复：已答复您",
        ]
    )
    expect(page.locator(".timeline")).to_contain_text(f"责任单位：{department}")
    # never the staff's internal findings
    expect(page.locator("main")).not_to_contain_text(internal)
    screenshot(page, shots[0])

    # When they rate the answer
    page.get_by_label("满意", exact=True).check()
    page.get_by_label("评价意见（选填）").fill("抢修及时，谢谢。")
    page.get_by_role("button", name="提交评价").click()

    # Then the page thanks them, shows the rating and offers no second one
    expect(page.locator(".messages")).to_contain_text("感谢您的评价。")
    expect(answered).to_contain_text("您的评价：满意")
    expect(steps.last).to_have_text("评价：满意")
    expect(page.get_by_role("button", name="提交评价")).to_have_count(0)
    screenshot(page, shots[1])
