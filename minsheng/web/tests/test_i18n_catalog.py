"""The English catalog is up to date: every string the pages mark for translation, in the
web app's templates and Python code, is in django.po (and so translated, which
test_i18n.py checks for the entries it finds there).

makemessages needs GNU gettext, which a fresh machine may lack; this reads the sources
itself, for the forms the pages use: `{% translate "…" %}` (with an optional context) and
`gettext`/`_`/`gettext_lazy`/`pgettext`/`ngettext` calls with literal arguments.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from minsheng.web.tests.test_i18n import PO_PATH, read_po

WEB = Path(settings.BASE_DIR) / "minsheng" / "web"
TEMPLATE_DIRS = (WEB / "templates", Path(settings.BASE_DIR) / "minsheng" / "templates")

TRANSLATE_TAG = re.compile(
    r"""{%\s*(?:translate|trans)\s+(?P<q>["'])(?P<msgid>.*?)(?P=q)"""
    r"""(?:\s+context\s+(?P<cq>["'])(?P<context>.*?)(?P=cq))?"""
)
SIMPLE_CALLS = {"_", "gettext", "gettext_lazy", "gettext_noop"}
CONTEXT_CALLS = {"pgettext", "pgettext_lazy"}
PLURAL_CALLS = {"ngettext", "ngettext_lazy"}

Key = tuple[str | None, str]


def template_strings() -> Iterator[tuple[Key, str]]:
    for directory in TEMPLATE_DIRS:
        for path in sorted(directory.rglob("*.html")):
            text = path.read_text(encoding="utf-8")
            for match in TRANSLATE_TAG.finditer(text):
                yield (match["context"], match["msgid"]), str(path)


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def python_strings() -> Iterator[tuple[Key, str]]:
    for path in sorted(WEB.rglob("*.py")):
        if "/tests/" in path.as_posix() or "/migrations/" in path.as_posix():
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in SIMPLE_CALLS or name in PLURAL_CALLS:
                msgid = _literal(node.args[0])
                if msgid is not None:
                    yield (None, msgid), f"{path}:{node.lineno}"
            elif name in CONTEXT_CALLS and len(node.args) >= 2:
                context, msgid = _literal(node.args[0]), _literal(node.args[1])
                if context is not None and msgid is not None:
                    yield (context, msgid), f"{path}:{node.lineno}"


def test_every_marked_page_string_is_in_the_catalog() -> None:
    catalog = {(entry.msgctxt, entry.msgid) for entry in read_po(PO_PATH) if not entry.obsolete}
    found = [*template_strings(), *python_strings()]
    assert len(found) > 300  # the scan found the pages' strings
    missing = sorted({f"{where}: {key[1]!r}" for key, where in found if key not in catalog})
    assert not missing, (
        "strings missing from django.po (run makemessages from the repository root, "
        "translate, compilemessages):\n" + "\n".join(missing[:50])
    )
