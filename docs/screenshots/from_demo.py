"""Take the README's staff screenshots from the quickstart demo, as people first see it.

The browser tests' own shots come from a bare test world without a trained model; these
come from `load_demo` (which trains one) with its clues triaged, so the intake page shows
real suggestions and the boards real counts. Uses Debian's Chromium (never a download).

.venv/bin/python docs/screenshots/from_demo.py
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PYTHON = sys.executable
PASSWORD = "minsheng-demo"  # noqa: S105 (the demo accounts' public password)
CHROMIUM = os.environ.get("MINSHENG_CHROMIUM", "/usr/bin/chromium")
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "device_scale_factor": 2}


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def save(path: Path, png: bytes) -> None:
    """A small 256-colour PNG, as refresh.py writes them."""
    raw = path.with_suffix(".raw.png")
    raw.write_bytes(png)
    with Image.open(raw) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    raw.unlink()
    small.save(path, format="PNG", optimize=True)
    print(f"{path.name}: {small.width}x{small.height}, {path.stat().st_size // 1024} KB")


def sign_in(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/staff/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


def shoot(base: str, env: dict[str, str]) -> None:
    from playwright.sync_api import sync_playwright

    # The clue intake opens: the newest waiting clue with a category suggestion.
    probe = (
        "from minsheng.triage.models import TriageResult as T;"
        "r=T.objects.exclude(categories=[]).filter(clue__status__in=['received','triaged'])"
        ".order_by('-clue__received_at').first(); print(r.clue_id if r else '')"
    )
    out = subprocess.run(  # noqa: S603 (our own command line)
        [PYTHON, "manage.py", "shell", "-c", probe],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    intake_clue = out.stdout.strip().splitlines()[-1]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        desktop = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **DESKTOP)
        page = desktop.new_page()
        sign_in(page, base, "intake")
        save(HERE / "intake-queue-desktop.png", page.screenshot())
        page.goto(f"{base}/work/intake/{intake_clue}/")
        page.locator("#ai-heading").evaluate("e => e.scrollIntoView({block: 'start'})")
        page.evaluate("window.scrollBy(0, -40)")
        save(HERE / "intake-clue-desktop.png", page.screenshot())
        desktop.clear_cookies()
        sign_in(page, base, "supervisor")
        save(HERE / "supervisor-home-desktop.png", page.screenshot())
        desktop.clear_cookies()
        sign_in(page, base, "water_handler")
        save(HERE / "department-queue-desktop.png", page.screenshot())
        phone = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **PHONE)
        page = phone.new_page()
        sign_in(page, base, "water_handler")
        page.locator("table a").first.click()
        page.wait_for_load_state()
        save(HERE / "department-clue-phone.png", page.screenshot())
        browser.close()


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="minsheng-shots-") as data_dir:
        env = {**os.environ, "MINSHENG_DATA_DIR": data_dir, "DEBUG": "1"}
        manage(env, "migrate", "-v0")
        manage(env, "load_demo")
        manage(env, "triage_pending", "--run")
        port = free_port()
        server = subprocess.Popen(  # noqa: S603 (our own command line)
            [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            shoot(base, env)
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
