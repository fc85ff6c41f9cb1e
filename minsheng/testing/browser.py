"""Browser tests: a headless Chromium driven by Playwright against pytest-django's live server.

A pytest plugin (registered by the root conftest.py) with these fixtures:

- `browser` — Debian's Chromium (/usr/bin/chromium, or MINSHENG_CHROMIUM), headless, launched
  once and shared by consecutive browser tests of a pytest process;
- `page` — a fresh desktop page (1280x800) whose relative URLs go to the `live_server`;
- `phone_page` — the same on a phone (360x740, mobile, device scale factor 2).

Pages have a zh-CN locale, as a Chinese citizen's browser does, so the site answers in
Chinese until the language is switched. Every test using them gets the `browser` marker
(`pytest -m "not browser"` leaves them out). When Chromium or the playwright package is
missing they skip with the reason, and fail instead when MINSHENG_REQUIRE_BROWSER=1 (set
by .ci/run). A failing browser test leaves a screenshot of each of its pages.

Playwright's sync API keeps an asyncio event loop marked as running in the test thread
while it is started, and Django refuses ORM calls from such a thread
(SynchronousOnlyOperation). So DJANGO_ALLOW_ASYNC_UNSAFE is set exactly while Chromium
runs, and Chromium is stopped as soon as the next test does not need it: the tests that
follow (pytest-django runs live-server tests after the other database tests) run with
Django's checks intact and no loop in their thread.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright
    from pytest_django.live_server_helper import LiveServer

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
# Long enough for a loaded CI machine, short enough that a wrong selector fails quickly.
TIMEOUT_MS = 15_000
BROWSER_FIXTURES = frozenset({"browser", "page", "phone_page"})
# Whether a test's call phase failed, for the pages to leave a screenshot at teardown.
_CALL_FAILED = pytest.StashKey[bool]()


def chromium_path() -> Path:
    return Path(os.environ.get("MINSHENG_CHROMIUM", DEFAULT_CHROMIUM))


def artifacts_dir() -> Path:
    """Where tests leave files for people to look at (git-ignored var/test-artifacts/)."""
    default = PROJECT_ROOT / "var" / "test-artifacts"
    return Path(os.environ.get("MINSHENG_ARTIFACTS_DIR", default))


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG of the page as <artifacts>/screenshots/<name>.png and return its path."""
    safe = re.sub(r"[^\w.-]+", "-", name).strip("-") or "screenshot"
    path = artifacts_dir() / "screenshots" / f"{safe}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full_page)
    return path


def browser_unavailable() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    executable = chromium_path()
    if not (executable.is_file() and os.access(executable, os.X_OK)):
        return (
            f"Chromium is not at {executable} "
            "(apt-get install chromium fonts-noto-cjk, or set MINSHENG_CHROMIUM)"
        )
    return None


def require_browser() -> None:
    """Skip the test when no browser can run, or fail when MINSHENG_REQUIRE_BROWSER=1."""
    reason = browser_unavailable()
    if reason is None:
        return
    if os.environ.get("MINSHENG_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser test: {reason} and MINSHENG_REQUIRE_BROWSER=1", pytrace=False)
    pytest.skip(f"browser test: {reason}")


class _Chromium:
    """The Chromium of this pytest process: started on demand, stopped between runs of tests."""

    def __init__(self) -> None:
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._saved_async_unsafe: str | None = None

    def get(self) -> Browser:
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            self._saved_async_unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
            self._playwright = sync_playwright().start()
            try:
                self._browser = self._playwright.chromium.launch(
                    executable_path=str(chromium_path()), headless=True, args=list(CHROMIUM_ARGS)
                )
            except BaseException:
                self.stop()
                raise
        return self._browser

    def stop(self) -> None:
        browser, playwright = self._browser, self._playwright
        self._browser = self._playwright = None
        try:
            if browser is not None:
                browser.close()
        finally:
            if playwright is not None:
                playwright.stop()
                if self._saved_async_unsafe is None:
                    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
                else:
                    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = self._saved_async_unsafe


_CHROMIUM = _Chromium()


def _uses_browser(item: pytest.Item | None) -> bool:
    return item is not None and not BROWSER_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _uses_browser(item):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    # After the test's fixtures are torn down (the database flush needs the ORM allowed):
    # keep Chromium for the next test only if that one uses it too.
    if _uses_browser(item) and not _uses_browser(nextitem):
        _CHROMIUM.stop()


def pytest_sessionfinish() -> None:
    _CHROMIUM.stop()


@pytest.fixture
def browser() -> Browser:
    """The shared headless Chromium (skips, or fails if required, when there is none)."""
    require_browser()
    return _CHROMIUM.get()


def _open_page(
    browser: Browser, live_server: LiveServer, request: pytest.FixtureRequest, options: Any
) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        **options,
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        # Best effort: a page that crashed must not add a teardown error to the failure.
        if request.node.stash.get(_CALL_FAILED, False):
            with contextlib.suppress(Exception):
                screenshot(page, f"FAILED-{request.node.name}-{request.fixturename}")
        context.close()


@pytest.fixture
def page(
    browser: Browser, live_server: LiveServer, request: pytest.FixtureRequest
) -> Iterator[Page]:
    """A desktop page (1280x800) of a fresh browser context on the live server."""
    yield from _open_page(browser, live_server, request, DESKTOP)


@pytest.fixture
def phone_page(
    browser: Browser, live_server: LiveServer, request: pytest.FixtureRequest
) -> Iterator[Page]:
    """A phone page (360x740, mobile, touch, scale 2) of a fresh context on the live server."""
    yield from _open_page(browser, live_server, request, PHONE)
