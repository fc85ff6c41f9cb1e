"""受理工作台 · keyboard shortcuts and priorities: the markup intake.js works on (its behaviour
is covered by the browser tests), the help panel that lists the keys without script, and
priority colours that always come with their words."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from minsheng.clues.models import Clue
from minsheng.clues.workflow import ClueStatus
from minsheng.directory.choices import Priority

pytestmark = pytest.mark.django_db

QUEUE = reverse("web:intake_queue")
SCRIPT = '<script src="/static/web/intake.js" defer></script>'
STYLES = '<link rel="stylesheet" href="/static/web/intake.css">'


def clue_url(clue: Clue) -> str:
    return reverse("web:intake_clue", args=[clue.pk])


def head_of(html: str) -> str:
    return html[: html.index("</head>")]


# ----- The script and its help -------------------------------------------------------------


def test_the_script_is_ours_and_served() -> None:
    found = finders.find("web/intake.js")
    assert found is not None
    source = Path(str(found)).read_text(encoding="utf-8")
    assert "import " not in source
    assert "require(" not in source
    for guard in ("ctrlKey", "altKey", "metaKey", "isTyping"):
        assert guard in source
    assert finders.find("web/intake.css") is not None


def test_queue_loads_the_script_and_marks_rows_for_it(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.RECEIVED)
    client.force_login(world.users["intake"])
    html = client.get(QUEUE).content.decode()
    assert SCRIPT in head_of(html)
    assert STYLES in head_of(html)
    assert '<table id="intake-queue">' in html
    assert f'<tr id="queue-row-{clue.pk}"' in html
    assert f'data-clue-url="{clue_url(clue)}"' in html
    # the list of keys, reachable without the keyboard and without script
    assert '<details class="card shortcut-help" id="shortcut-help">' in html
    assert '<summary id="shortcut-help-toggle" aria-keyshortcuts="?">' in html
    for key in ("<kbd>j</kbd>", "<kbd>k</kbd>", "<kbd>Enter</kbd>", "<kbd>?</kbd>"):
        assert key in html


def test_clue_page_has_a_target_for_every_shortcut(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.TRIAGED)
    client.force_login(world.users["intake"])
    html = client.get(clue_url(clue)).content.decode()
    assert SCRIPT in head_of(html)
    # the jump links carry their keys and work as plain anchors without script
    assert '<a id="jump-dispatch" href="#dispatch" aria-keyshortcuts="d">' in html
    assert '<a id="jump-reject" href="#reject" aria-keyshortcuts="r">' in html
    assert '<a id="jump-compare" href="#compare" aria-keyshortcuts="m">' in html
    assert f'<a id="back-to-queue" href="{QUEUE}">' in html
    # and what they lead to
    for anchor in (
        'id="dispatch"',
        'id="dispatch-form"',
        'id="reject"',
        'id="reject-form"',
        'id="compare"',
    ):
        assert anchor in html
    for key in ("<kbd>d</kbd>", "<kbd>r</kbd>", "<kbd>m</kbd>", "<kbd>g</kbd> <kbd>q</kbd>"):
        assert key in html
    assert 'id="shortcut-help"' in html


def test_no_dispatch_or_reject_keys_once_the_clue_left_intake(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.DISPATCHED)
    client.force_login(world.users["intake"])
    html = client.get(clue_url(clue)).content.decode()
    assert 'id="jump-dispatch"' not in html
    assert 'id="jump-reject"' not in html
    assert "<kbd>d</kbd>" not in html
    assert 'id="jump-compare"' in html


def test_compare_page_has_the_way_back_and_its_help(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.TRIAGED)
    other = clue_in(ClueStatus.RECEIVED)
    client.force_login(world.users["intake"])
    html = client.get(reverse("web:intake_compare", args=[clue.pk, other.pk])).content.decode()
    assert SCRIPT in head_of(html)
    assert f'<a id="back-to-queue" href="{QUEUE}">' in html
    assert f'<a id="back-to-clue" href="{clue_url(clue)}">' in html
    assert 'aria-keyshortcuts="m"' in html
    assert 'id="shortcut-help"' in html


# ----- Priorities ------------------------------------------------------------------------------


def test_queue_prints_priorities_in_colour_and_words(client, world, clue_in) -> None:
    urgent = clue_in(ClueStatus.RECEIVED, priority=Priority.URGENT)
    low = clue_in(ClueStatus.RECEIVED, priority=Priority.LOW)
    client.force_login(world.users["intake"])
    html = client.get(QUEUE, {"sort": "priority"}).content.decode()
    assert '<span class="priority priority-urgent">特急</span>' in html
    assert '<span class="priority priority-low">一般</span>' in html
    # urgent rows stand out, and come first when sorted by priority
    assert f'<tr id="queue-row-{urgent.pk}" class="queue-row row-priority-urgent"' in html
    assert f'<tr id="queue-row-{low.pk}" class="queue-row row-priority-low"' in html
    assert html.index(f"queue-row-{urgent.pk}") < html.index(f"queue-row-{low.pk}")


@pytest.mark.parametrize(
    ("priority", "word", "alert"),
    [
        (Priority.URGENT, "特急", True),
        (Priority.HIGH, "紧急", True),
        (Priority.NORMAL, "普通", False),
        (Priority.LOW, "一般", False),
    ],
)
def test_clue_page_shows_its_priority(client, world, clue_in, priority, word, alert) -> None:
    clue = clue_in(ClueStatus.RECEIVED, priority=priority)
    client.force_login(world.users["intake"])
    html = client.get(clue_url(clue)).content.decode()
    assert f'<span class="priority priority-{priority}">{word}</span>' in html
    assert ('id="priority-alert"' in html) is alert
    if alert:
        assert f"本线索优先级为“{word}”，请优先处理。" in html
