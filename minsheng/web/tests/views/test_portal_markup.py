"""Markup basics for small phones and assistive technology on every portal page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from minsheng.clues.workflow import ClueStatus
from minsheng.web.tests.views.test_portal_track import open_clue

pytestmark = pytest.mark.django_db

CONTROL = re.compile(r"<(input|select|textarea)\b([^>]*)>")


def unlabelled_controls(html: str) -> list[str]:
    """Visible form controls without a <label for=...> or an aria-label."""
    labels = set(re.findall(r'<label for="([^"]+)"', html))
    missing = []
    for _tag, attrs in CONTROL.findall(html):
        if re.search(r'type="(hidden|submit)"', attrs) or "aria-label=" in attrs:
            continue
        control_id = re.search(r'id="([^"]+)"', attrs)
        if control_id is None or control_id.group(1) not in labels:
            missing.append(attrs)
    return missing


def assert_mobile_ready(html: str) -> None:
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert '<html lang="zh-hans">' in html
    assert unlabelled_controls(html) == []


@pytest.mark.parametrize(
    "name", ["portal_submit", "portal_track", "portal_submit_done", "portal_privacy"]
)
def test_public_pages_are_mobile_ready_and_labelled(client, world, name) -> None:
    response = client.get(reverse(f"web:{name}"))
    assert response.status_code == 200
    assert_mobile_ready(response.content.decode())


@pytest.mark.parametrize("status", [ClueStatus.ACCEPTED, ClueStatus.ANSWERED])
def test_the_clue_page_is_mobile_ready_and_labelled(client, world, clue_in, status) -> None:
    page = open_clue(client, world, clue_in(status))
    assert_mobile_ready(client.get(page).content.decode())


def test_the_region_picker_works_without_script_and_offers_the_cascade(client, world) -> None:
    html = client.get(reverse("web:portal_submit")).content.decode()
    # without script: one select of every region, indented by level
    assert '<select name="region" id="id_region"' in html
    assert "\u3000\u3000雨花区" in html
    # with script: the cascade, disabled until portal.js turns it on, loading levels by HTMX
    assert "data-region-cascade hidden" in html
    assert 'id="id_region_1" disabled' in html
    assert 'hx-get="/portal/regions/children/"' in html
    assert "web/portal.js" in html


def test_the_portal_is_linked_from_home_and_its_own_navigation(client, db) -> None:
    html = client.get("/").content.decode()
    assert 'href="/portal/submit/"' in html
    assert 'href="/portal/track/"' in html
    track = client.get(reverse("web:portal_track")).content.decode()
    assert 'href="/portal/track/" aria-current="page"' in track
