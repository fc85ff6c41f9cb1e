"""The landing page and the admin login answer in Chinese."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_landing_page_is_chinese_and_links_to_the_admin(client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "民声" in html
    assert 'href="/admin/"' in html


@pytest.mark.django_db
def test_admin_login_page_loads(client) -> None:
    assert client.get("/admin/login/").status_code == 200
