"""Smoke test of the site in a real browser: the home page on desktop and phone, the admin."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from minsheng.accounts.tests.factories import DEMO_PASSWORD, UserFactory
from minsheng.testing.browser import screenshot

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def check_home_page_switches_to_english(page: Page, device: str) -> None:
    # Imported here: without playwright the `page` fixture has already skipped the test.
    from playwright.sync_api import expect

    # Given a visitor whose browser prefers Chinese
    # When they open the home page
    page.goto("/")

    # Then it is in Simplified Chinese, headed 民声
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1, name="民声")).to_be_visible()
    screenshot(page, f"smoke-home-{device}-zh")

    # When they choose English in the language menu
    page.locator("#language-select").select_option("en")

    # Then the page comes back in English and the menu shows the choice
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#language-select")).to_have_value("en")
    screenshot(page, f"smoke-home-{device}-en")


def test_home_page_on_desktop(page):
    check_home_page_switches_to_english(page, "desktop")


def test_home_page_on_phone(phone_page):
    check_home_page_switches_to_english(phone_page, "phone")


def test_superuser_signs_in_to_the_admin(page):
    from playwright.sync_api import expect

    # Given a superuser
    UserFactory.create(superuser=True, username="root")

    # When they open the admin, are sent to its login page and sign in
    page.goto("/admin/")
    expect(page).to_have_url("/admin/login/?next=/admin/")
    screenshot(page, "smoke-admin-login")
    page.locator("#id_username").fill("root")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("input[type=submit]").click()

    # Then they are on the admin index, welcomed by name
    expect(page).to_have_url("/admin/")
    expect(page.locator("#site-name")).to_contain_text("民声 Minsheng")
    expect(page.locator("#user-tools")).to_contain_text("root")
    screenshot(page, "smoke-admin-index")
