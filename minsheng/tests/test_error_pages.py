"""The error pages speak the site's language and keep its frame, so a refused or missing
page still tells people where they are and how to go on."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from minsheng.clues.tests.conftest import world  # noqa: F401 (fixture)


@pytest.mark.django_db
def test_not_found_is_our_page(client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html
    assert 'class="site-header"' in html
    assert reverse("home") in html


@pytest.mark.django_db
def test_forbidden_is_our_page(client, world) -> None:  # noqa: F811
    client.force_login(world.users["handler"])
    response = client.get(reverse("web:supervisor_home"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "无权访问" in html
    assert reverse("web:work_home") in html


def test_server_error_page_needs_no_context() -> None:
    html = render_to_string("500.html")
    assert "系统暂时出错" in html
    assert "nothing you already submitted is lost" in html
