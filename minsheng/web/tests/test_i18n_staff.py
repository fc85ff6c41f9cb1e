"""The staff workbenches in English: the page chrome is English (only the data, typed in
Chinese, stays Chinese), separators and brackets follow the language, and buttons read as
verbs where the same Chinese word also names a status. In Chinese the pages read as before.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from minsheng.clues.choices import VerificationMethod
from minsheng.clues.models import Clue
from minsheng.clues.services import handling, review
from minsheng.clues.tests.conftest import World, receive
from minsheng.clues.workflow import ClueStatus
from minsheng.web.tests.views.test_intake import suggest

S = ClueStatus

# Chinese characters and full-width punctuation.
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")

# What the fixtures typed in Chinese (and its masked forms): data, not page chrome.
DATA = (
    "小区停水三天无人处理（脱敏）",
    "小区停水三天无人处理",
    "经现场核查，系主管道爆裂抢修导致停水。",
    "已完成抢修，恢复供水。",
    "您反映的停水问题已处理，供水已恢复。",
    "供水已恢复。",
    "雨花区某小区自周一起停水，物业称是市政管网维修，至今没有恢复供水。",
    "湖南省长沙市雨花区某小区3栋",
    "湖南省长沙市****",
    "湖南省",
    "长沙市水务局",
    "长沙市消防救援支队",
    "雨花区人民政府",
    "长沙市",
    "雨花区",
    "岳麓区",
    "供水",
    "停水",
    "消防安全",
    "同一小区停水",
    "按责任清单：供水类由市水务局主办。",
    "长时间停水",
    "停水三天",
    "张三",
    "张*",
    "李四",
    "现场查看属实。",
    "已配合排查。",
    "需协调施工单位",
    "请加快办理",
)
# The language switch names each language in that language.
AUTONYMS = ("简体中文",)


class _Texts(HTMLParser):
    """The visible text of a page and its accessible names, script and style left out."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        self.texts += [value for name, value in attrs if name == "aria-label" and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def chinese_chrome(html: str) -> list[str]:
    """The texts that still hold Chinese once the data and the language names are taken out."""
    parser = _Texts()
    parser.feed(html)
    left = []
    for text in parser.texts:
        rest = text
        for value in sorted((*DATA, *AUTONYMS), key=len, reverse=True):
            rest = rest.replace(value, "")
        if CJK.search(rest):
            left.append(text)
    return left


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def busy(world: World, clue_in) -> dict[str, Clue]:
    """Clues with something in every part of the pages: triage, steps, opinions, reminders."""
    triaged = clue_in(S.TRIAGED)
    other = receive(world, title="同一小区停水")
    suggest(world, triaged, duplicate_of=other)
    accepted = clue_in(S.ACCEPTED)
    handling.verification_step_record(
        clue_id=accepted.pk,
        actor=world.actor("handler"),
        method=VerificationMethod.ON_SITE,
        performed_by="李四",
        performed_at=accepted.received_at,
        findings="现场查看属实。",
    )
    handling.clue_co_accept(clue_id=accepted.pk, actor=world.actor("co_handler"))
    handling.clue_co_contribute(
        clue_id=accepted.pk, actor=world.actor("co_handler"), contribution="已配合排查。"
    )
    review.clue_urge(clue_id=accepted.pk, actor=world.actor("supervisor"), message="请加快办理")
    return {
        "triaged": triaged,
        "other": other,
        "accepted": accepted,
        "extension": clue_in(S.EXTENSION_REQUESTED),
        "reported": clue_in(S.REPORTED),
        "answered": clue_in(S.ANSWERED),
    }


def pages(world: World, busy: dict[str, Clue]) -> list[tuple[str, str]]:
    """(user, url) of every staff page, filled with the busy clues."""
    return [
        ("intake", reverse("web:intake_queue")),
        ("intake", reverse("web:intake_clue", args=[busy["triaged"].pk])),
        ("intake", reverse("web:intake_compare", args=[busy["triaged"].pk, busy["other"].pk])),
        ("handler", reverse("web:department_queue")),
        ("handler", reverse("web:department_clue", args=[busy["accepted"].pk])),
        ("handler", reverse("web:department_clue", args=[busy["extension"].pk])),
        ("supervisor", reverse("web:supervisor_home")),
        ("supervisor", reverse("web:supervisor_board", args=["awaiting-review"])),
        *[
            ("supervisor", reverse("web:supervisor_clue", args=[busy[key].pk]))
            for key in ("accepted", "extension", "reported", "answered")
        ],
    ]


def html_of(client, world: World, user: str, url: str) -> str:
    client.force_login(world.users[user])
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_no_chinese_is_left_in_the_staff_pages_chrome(english, world, busy) -> None:
    left = {
        url: chinese_chrome(html_of(english, world, user, url)) for user, url in pages(world, busy)
    }
    assert {url: texts for url, texts in left.items() if texts} == {}


def test_separators_and_brackets_follow_the_language(english, world, busy) -> None:
    # when
    queue = html_of(english, world, "intake", reverse("web:intake_queue"))
    intake_page = html_of(
        english, world, "intake", reverse("web:intake_clue", args=[busy["triaged"].pk])
    )
    department_page = html_of(
        english, world, "handler", reverse("web:department_clue", args=[busy["accepted"].pk])
    )
    # then
    assert "Category: 供水 (87%)" in queue
    assert "Lead: 长沙市水务局" in queue
    assert "Lead: 长沙市水务局; supporting: 雨花区人民政府" in intake_page
    assert "Status: Completed; confidence: 87%" in intake_page
    assert "供水 (87%)" in intake_page
    assert "Similarity 93%" in intake_page
    assert "Log out (intake)" in intake_page
    assert "长沙市水务局 (Lead)" in department_page
    assert "Verified by 李四; verified at <time" in department_page
    assert "working days left" in department_page
    assert "：" not in department_page.replace("按责任清单：", "")


def test_buttons_read_as_verbs_where_the_word_is_also_a_status(english, world, busy) -> None:
    intake_page = html_of(
        english, world, "intake", reverse("web:intake_clue", args=[busy["triaged"].pk])
    )
    assert 'id="dispatch-submit">Refer</button>' in intake_page
    assert 'id="reject-submit">Do not accept</button>' in intake_page
    reported = html_of(
        english, world, "supervisor", reverse("web:supervisor_clue", args=[busy["reported"].pk])
    )
    assert "Send back for rework</button>" in reported
    answered = html_of(
        english, world, "supervisor", reverse("web:supervisor_clue", args=[busy["answered"].pk])
    )
    assert '<button type="submit">Close</button>' in answered
    urged = html_of(
        english, world, "supervisor", reverse("web:supervisor_clue", args=[busy["accepted"].pk])
    )
    assert '<th scope="row">Reminders</th><td>1 reminder, latest ' in urged
    assert '<th scope="row">Escalation</th><td>Not escalated' in urged


def test_counts_take_the_english_plural(english, world, clue_in) -> None:
    # given an extension of 5 days asked for
    clue = clue_in(S.EXTENSION_REQUESTED)
    english.force_login(world.users["supervisor"])
    # when one day is granted
    response = english.post(
        reverse("web:supervisor_approve_extension", args=[clue.pk]),
        {"extension_approve-days": "1", "extension_approve-reason": ""},
        follow=True,
    )
    # then
    html = response.content.decode()
    assert f"Report {clue.tracking_code}: an extension of 1 working day has been approved." in html


def test_the_pages_in_chinese_keep_chinese_punctuation(client, world, busy) -> None:
    intake_page = html_of(
        client, world, "intake", reverse("web:intake_clue", args=[busy["triaged"].pk])
    )
    assert "主办：长沙市水务局；协办：雨花区人民政府" in intake_page
    assert "状态：已完成；置信度：87%" in intake_page
    assert "供水（87%）" in intake_page
    assert "退出（intake）" in intake_page
    department_page = html_of(
        client, world, "handler", reverse("web:department_clue", args=[busy["accepted"].pk])
    )
    assert "长沙市水务局（主办）" in department_page
    assert "核查人：李四；核查时间：<time" in department_page
    assert "，剩余 " in department_page
