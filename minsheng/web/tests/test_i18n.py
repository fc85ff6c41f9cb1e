"""The English switch: the portal and the page frame speak English when it is chosen, and the
committed catalog (django.po and its compiled django.mo) covers every string they show.

Source strings are Chinese; the English catalog lives in minsheng/locale/en/LC_MESSAGES.
After editing django.po run `manage.py compilemessages --ignore=.venv` and commit both files.
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from minsheng.clues.services import intake
from minsheng.clues.workflow import ClueStatus
from minsheng.web.tests.conftest import submission

LC_MESSAGES = Path(settings.BASE_DIR) / "minsheng" / "locale" / "en" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"

# What the citizen portal and the shared page frame show. Admin screens (even those kept
# under minsheng/web/ or minsheng/templates/admin/) are not covered by this promise.
PORTAL_SOURCES = ("minsheng/web/", "minsheng/templates/")
NOT_PORTAL = re.compile(r"(^|/)(admin[^/]*\.py|admin/|tests/)")

PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdfir]|%[sd]")


# ----- A minimal .po reader ----------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    references: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def translated(self) -> bool:
        return "fuzzy" not in self.flags and bool(self.msgstr) and all(self.msgstr.values())

    @property
    def in_portal(self) -> bool:
        return any(
            ref.startswith(PORTAL_SOURCES) and not NOT_PORTAL.search(ref) for ref in self.references
        )


def _unquote(text: str) -> str:
    value = ast.literal_eval(text)
    assert isinstance(value, str)
    return value


def read_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] = ("msgid", 0)
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if entry is not None:
                entries.append(entry)
            entry = None
            continue
        if entry is None:
            entry = Entry()
        if line.startswith("#~"):
            entry.obsolete = True
        elif line.startswith("#:"):
            entry.references += [ref.rsplit(":", 1)[0] for ref in line[2:].split()]
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            _append(entry, target, _unquote(line))
        else:
            keyword, _space, rest = line.partition(" ")
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            target = ("msgstr", int(match.group(1))) if match else (keyword, 0)
            if keyword == "msgid_plural":
                entry.msgid_plural = ""
            elif keyword == "msgctxt":
                entry.msgctxt = ""
            elif keyword.startswith("msgstr"):
                entry.msgstr[target[1]] = ""
            _append(entry, target, _unquote(rest))
    return [entry for entry in entries if not entry.obsolete]


def _append(entry: Entry, target: tuple[str, int], text: str) -> None:
    name, index = target
    if name == "msgid":
        entry.msgid += text
    elif name == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + text
    elif name == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + text
    else:
        entry.msgstr[index] += text


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    entries = read_po(PO_PATH)
    assert entries[0].msgid == ""  # the header
    return entries[1:]


# ----- The catalog -------------------------------------------------------------------------


def test_every_portal_string_has_an_english_translation(po_entries) -> None:
    portal = [entry for entry in po_entries if entry.in_portal]
    assert len(portal) > 100  # the extraction really looked into the portal
    missing = [entry.msgid for entry in portal if not entry.translated]
    assert missing == [], "translate these in django.po, then run compilemessages"


def test_translations_keep_their_placeholders(po_entries) -> None:
    for entry in po_entries:
        if not entry.translated:
            continue
        for index, text in entry.msgstr.items():
            source = entry.msgid if index == 0 else (entry.msgid_plural or entry.msgid)
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source)), (
                entry.msgid
            )


def test_the_compiled_catalog_matches_the_po_file(po_entries) -> None:
    """django.mo holds exactly the translations of django.po: no forgotten compilemessages."""
    with MO_PATH.open("rb") as mo_file:
        compiled = dict(gettext.GNUTranslations(mo_file)._catalog)  # type: ignore[attr-defined]
    compiled.pop("", None)  # the header
    expected: dict[object, str] = {}
    for entry in po_entries:
        if not entry.translated:
            continue
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            expected[key] = entry.msgstr[0]
        else:
            expected.update({(key, index): text for index, text in entry.msgstr.items()})
    assert compiled == expected, "run `manage.py compilemessages --ignore=.venv`"


def test_django_loads_the_english_catalog(po_entries) -> None:
    portal = [e for e in po_entries if e.in_portal and e.translated and e.msgid_plural is None]
    with translation.override("en"):
        for entry in portal:
            if entry.msgctxt is None:
                assert translation.gettext(entry.msgid) == entry.msgstr[0]
            else:
                assert translation.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr[0]


# ----- The pages in English ----------------------------------------------------------------


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.django_db
def test_the_submit_page_in_english(english) -> None:
    html = english.get(reverse("web:portal_submit")).content.decode()
    assert '<html lang="en">' in html
    assert "<title>Report a problem · Internet + Supervision platform</title>" in html
    assert "Submit report</button>" in html
    assert "I have read and agree to the privacy notice" in html
    assert "Text message" in html  # ContactPreference.SMS
    assert "我要反映" not in html


def test_the_submit_errors_in_english(english, world) -> None:
    data = submission(world, name="", consent="")
    response = english.post(reverse("web:portal_submit"), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Your report was not submitted. Please correct the fields marked in red." in html
    assert "Please read and accept the privacy notice before you submit." in html
    assert "Please enter your name for a named report." in html


@pytest.mark.django_db
def test_the_track_page_in_english(english) -> None:
    html = english.get(reverse("web:portal_track")).content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Track your report</h1>" in html
    assert "Look up</button>" in html
    assert "Tracking number" in html
    assert "Access code" in html


@pytest.mark.django_db
def test_the_home_page_in_english(english) -> None:
    html = english.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Minsheng</h1>" in html
    assert "Skip to main content" in html


def test_the_clue_page_in_english(english, world, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    secret = intake.clue_reset_query_secret(clue_id=clue.pk, actor=world.actor("intake"))
    response = english.post(
        reverse("web:portal_track"),
        {"tracking_code": clue.tracking_code, "query_secret": secret},
        follow=True,
    )
    html = response.content.decode()
    assert "<h1>Progress</h1>" in html
    assert "The responsible agency is working on it" in html
    assert "Received: we have your report" in html


@pytest.mark.django_db
def test_the_language_switch_sets_english(client) -> None:
    track = reverse("web:portal_track")
    response = client.post(reverse("set_language"), {"language": "en", "next": track})
    assert response.status_code == 302
    html = client.get(track).content.decode()
    assert '<html lang="en">' in html
    assert "Track your report" in html


@pytest.mark.django_db
def test_chinese_stays_the_default(client) -> None:
    html = client.get(reverse("web:portal_track")).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "查询办理进度" in html
