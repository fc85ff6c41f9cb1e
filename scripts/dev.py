#!/usr/bin/env python3
"""Minsheng's developer commands, needing only Python 3.11+ and git on a fresh machine.

    python3 scripts/dev.py demo [--no-server] [--port 8000]
        Create .venv if missing, install the project, migrate, load the demo data, print
        the demo logins and run a background worker and the development server on
        http://127.0.0.1:8000/
    python3 scripts/dev.py test [-- PYTEST ARGS]
        ruff check, mypy, then the test suite on SQLite and on PostgreSQL.
    python3 scripts/dev.py lint [--skip STEP]
        ruff check, ruff format --check, mypy, makemigrations --check, manage.py check.

Every command is idempotent: the install is skipped while pyproject.toml is unchanged (a
stamp in .venv holds its sha256), migrate and load_demo change nothing the second time.

The PostgreSQL run uses DATABASE_URL, or postgres://postgres@127.0.0.1:5432/minsheng when
that port answers. When PostgreSQL is unreachable the run is skipped with a loud message,
unless MINSHENG_REQUIRE_POSTGRES=1 (set by .ci/run), which makes it a failure.

Browser tests (marker `browser`) are ordinary pytest tests in both runs. They drive Debian's
Chromium (/usr/bin/chromium, fonts-noto-cjk) and skip without it, unless
MINSHENG_REQUIRE_BROWSER=1 (set by .ci/run); their screenshots go to
var/test-artifacts/screenshots/ (or $MINSHENG_ARTIFACTS_DIR/screenshots/).
"""

# This script exists to run the project's own tools as subprocesses.
# ruff: noqa: S603

from __future__ import annotations

import argparse
import hashlib
import os
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

if sys.version_info < (3, 11):  # noqa: UP036 - this guard is for people running it with 3.10
    sys.exit(f"Minsheng needs Python 3.11 or newer (this is {sys.version.split()[0]}).")

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
PYPROJECT = ROOT / "pyproject.toml"
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/minsheng"
POSTGRES_SCHEMES = ("postgres://", "postgresql://", "postgis://", "pgsql://")
DEMO_PASSWORD = "minsheng-demo"  # noqa: S105 - the password of every demo account
MYPY_TARGETS = ("minsheng", "scripts", "conftest.py", "manage.py")
LINT_STEPS = ("ruff", "format", "mypy", "migrations", "check")
# pytest-xdist workers: the suite's runtime is dominated by database setup per test, which
# parallelises well on both SQLite (in-memory per worker) and PostgreSQL (one test database
# per worker, test_minsheng_gw0, ...). Override with MINSHENG_TEST_WORKERS=0 to run serially.
# Browser tests need no separate step: each worker runs its own live server and Chromium
# (see minsheng/testing/browser.py).
DEFAULT_WORKERS = "auto"


def say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def banner(message: str) -> None:
    line = "=" * 72
    print(f"\n{line}\n{message}\n{line}", flush=True)


# --- The virtual environment -------------------------------------------------------------


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def ensure_venv() -> Path:
    """Create .venv with the running interpreter unless it exists; return its python."""
    python = venv_python()
    if not python.exists():
        say(f"creating {VENV} with {sys.executable}")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    version = subprocess.run(
        [str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    major, minor = (int(part) for part in version.split("."))
    if (major, minor) < (3, 11):
        sys.exit(f"{VENV} uses Python {version}; Minsheng needs 3.11+. Remove .venv and rerun.")
    return python


def install_stamp(extra: str | None) -> Path:
    return VENV / f".minsheng-install-{extra or 'base'}.sha256"


def ensure_installed(python: Path, extra: str | None) -> None:
    """`pip install -e .[extra]` unless a stamp says this pyproject.toml is installed.

    The stamp holds the sha256 of pyproject.toml. The test extra includes the PostgreSQL
    driver, so its install also covers the base and postgres ones.
    """
    target = f".[{extra}]" if extra else "."
    digest = hashlib.sha256(PYPROJECT.read_bytes()).hexdigest()
    covering = {install_stamp(extra), install_stamp("test")}
    if any(stamp.exists() and stamp.read_text().strip() == digest for stamp in covering):
        return
    say(f"installing {target} into {VENV} (pyproject.toml changed or first run)")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "-e", target], cwd=ROOT, check=True
    )
    install_stamp(extra).write_text(digest + "\n")


def prepared_python(extra: str | None) -> Path:
    python = ensure_venv()
    ensure_installed(python, extra)
    return python


# --- Running steps -----------------------------------------------------------------------


@dataclass
class Result:
    name: str
    status: str  # "passed", "failed" or "skipped"
    seconds: float = 0.0
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    def line(self) -> str:
        timing = f" in {self.seconds:.1f}s" if self.seconds else ""
        detail = f" ({self.detail})" if self.detail else ""
        return f"{self.status.upper():8} {self.name}{timing}{detail}"


def run_step(
    name: str,
    command: Sequence[str | Path],
    *,
    env: dict[str, str] | None = None,
    explain_exit: dict[int, str] | None = None,
) -> Result:
    """Run one command from the project root and print its closing line."""
    banner(f"{name}: {shlex.join(str(part) for part in command)}")
    started = time.monotonic()
    code = subprocess.run([str(part) for part in command], cwd=ROOT, env=env).returncode
    elapsed = time.monotonic() - started
    if code == 0:
        result = Result(name, "passed", elapsed)
    else:
        reason = (explain_exit or {}).get(code, "")
        result = Result(name, "failed", elapsed, f"exit {code}" + (f": {reason}" if reason else ""))
    print(result.line(), flush=True)
    return result


def finish(results: list[Result]) -> int:
    banner("Summary")
    for result in results:
        print(result.line())
    failed = [result.name for result in results if result.failed]
    if failed:
        print(f"\nFAILED: {', '.join(failed)}")
        return 1
    print("\nAll steps passed (skipped steps are listed above).")
    return 0


def manage(python: Path, *args: str) -> None:
    subprocess.run([str(python), "manage.py", *args], cwd=ROOT, check=True)


# --- PostgreSQL --------------------------------------------------------------------------


def postgres_url() -> tuple[str, bool]:
    """(URL, whether it was configured) for the PostgreSQL run; a DATABASE_URL naming
    another engine (sqlite://...) is not a PostgreSQL database and is ignored here."""
    configured = os.environ.get("DATABASE_URL", "")
    if configured.startswith(POSTGRES_SCHEMES):
        return configured, True
    return DEFAULT_POSTGRES_URL, False


def postgres_answers(url: str, timeout: float = 2.0) -> bool:
    """True when something listens where the URL points (TCP port or Unix socket)."""
    parts = urlsplit(url)
    host = unquote(parts.hostname or "") or "localhost"
    port = parts.port or 5432
    if host.startswith("/"):
        return Path(host, f".s.PGSQL.{port}").exists()
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url


# --- Commands ----------------------------------------------------------------------------


def command_demo(args: argparse.Namespace) -> int:
    started = time.monotonic()
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(POSTGRES_SCHEMES)
    python = prepared_python(extra="postgres" if on_postgres else None)
    # The development server serves static files (the admin's CSS) only with DEBUG on.
    os.environ.setdefault("DEBUG", "1")
    manage(python, "migrate", "--noinput")
    manage(python, "load_demo", "--skip-checks")  # migrate has just run the checks
    base = f"http://127.0.0.1:{args.port}/"
    banner(
        f"Minsheng (民声) demo is ready ({time.monotonic() - started:.1f}s).\n"
        f"  Site:  {base}   (citizen portal: {base}portal/submit/)\n"
        f"  Admin: {base}admin/   (log in as admin / {DEMO_PASSWORD})\n"
        f"Every demo account listed above uses the password {DEMO_PASSWORD}."
    )
    if args.no_server:
        say("--no-server: not starting the development server.")
        say(f"start it with: {venv_python()} manage.py runserver 127.0.0.1:{args.port}")
        return 0
    server = [str(python), "manage.py", "runserver", f"127.0.0.1:{args.port}"]
    worker = [str(python), "manage.py", "db_worker", "--interval", "1"]
    say("starting a background worker (triage and other tasks) and the development server")
    say("Ctrl+C stops both")
    os.chdir(ROOT)
    worker_process = subprocess.Popen(worker)
    try:
        return subprocess.run(server).returncode
    except KeyboardInterrupt:
        return 0
    finally:
        worker_process.terminate()
        try:
            worker_process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker_process.kill()


def pytest_command(python: Path, extra_args: list[str]) -> list[str | Path]:
    command: list[str | Path] = [python, "-m", "pytest"]
    workers = os.environ.get("MINSHENG_TEST_WORKERS", DEFAULT_WORKERS)
    user_chose = any(arg == "-n" or arg.startswith(("-n", "--numprocesses")) for arg in extra_args)
    if workers not in {"", "0", "1"} and not user_chose:
        command += ["-n", workers]
    return [*command, *extra_args]


def command_test(args: argparse.Namespace) -> int:
    python = prepared_python(extra="test")
    exit_reasons = {5: "no tests were collected", 2: "interrupted or usage error"}
    results = [
        run_step("ruff check", [python, "-m", "ruff", "check", "."]),
        run_step("mypy", [python, "-m", "mypy", *MYPY_TARGETS]),
    ]

    sqlite_env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    results.append(
        run_step(
            "pytest (SQLite)",
            pytest_command(python, args.pytest_args),
            env=sqlite_env,
            explain_exit=exit_reasons,
        )
    )

    url, configured = postgres_url()
    required = os.environ.get("MINSHENG_REQUIRE_POSTGRES") == "1"
    if postgres_answers(url):
        postgres_env = {**os.environ, "DATABASE_URL": url}
        results.append(
            run_step(
                f"pytest (PostgreSQL {redacted(url)})",
                pytest_command(python, args.pytest_args),
                env=postgres_env,
                explain_exit=exit_reasons,
            )
        )
    else:
        where = "DATABASE_URL" if configured else "the default URL"
        message = f"PostgreSQL at {redacted(url)} ({where}) does not answer"
        banner(
            "!" * 72 + f"\n!! {message}.\n"
            "!! The PostgreSQL test run is "
            + ("REQUIRED (MINSHENG_REQUIRE_POSTGRES=1): FAILING." if required else "SKIPPED.")
            + "\n!! Start PostgreSQL or set DATABASE_URL=postgres://USER:PASS@HOST:PORT/NAME.\n"
            + "!" * 72
        )
        status = "failed" if required else "skipped"
        result = Result("pytest (PostgreSQL)", status, detail=message)
        print(result.line())
        results.append(result)
    return finish(results)


def command_lint(args: argparse.Namespace) -> int:
    python = prepared_python(extra="test")
    # The checks are about the code: run Django's on the embedded SQLite database, so that a
    # DATABASE_URL naming a database that does not exist yet (as in CI) is no concern.
    code_env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    steps: dict[str, tuple[str, list[str | Path]]] = {
        "ruff": ("ruff check", [python, "-m", "ruff", "check", "."]),
        "format": ("ruff format --check", [python, "-m", "ruff", "format", "--check", "."]),
        "mypy": ("mypy", [python, "-m", "mypy", *MYPY_TARGETS]),
        "migrations": (
            "makemigrations --check",
            [python, "manage.py", "makemigrations", "--check", "--dry-run"],
        ),
        "check": ("manage.py check", [python, "manage.py", "check"]),
    }
    results = []
    for key, (name, command) in steps.items():
        if key in args.skip:
            results.append(Result(name, "skipped", detail="--skip " + key))
            continue
        results.append(run_step(name, command, env=code_env))
    return finish(results)


def parse(argv: list[str]) -> argparse.Namespace:
    # Everything after "--" goes to pytest untouched.
    extra: list[str] = []
    if "--" in argv:
        split = argv.index("--")
        argv, extra = argv[:split], argv[split + 1 :]
    parser = argparse.ArgumentParser(
        prog="scripts/dev.py", description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="set up the demo and run the development server")
    demo.add_argument("--no-server", action="store_true", help="set up only, do not serve")
    demo.add_argument("--port", type=int, default=8000, help="server port (default 8000)")
    commands.add_parser("test", help="ruff, mypy and pytest on SQLite and PostgreSQL")
    lint = commands.add_parser("lint", help="ruff, format, mypy, migrations and system checks")
    lint.add_argument(
        "--skip", action="append", default=[], choices=LINT_STEPS, help="leave out a step"
    )
    args = parser.parse_args(argv)
    if extra and args.command != "test":
        parser.error("arguments after -- are passed to pytest and only apply to `test`")
    args.pytest_args = extra
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    handlers = {"demo": command_demo, "test": command_test, "lint": command_lint}
    try:
        return handlers[args.command](args)
    except subprocess.CalledProcessError as error:
        command = shlex.join(str(part) for part in error.cmd)
        print(f"\n[dev] FAILED (exit {error.returncode}): {command}", file=sys.stderr)
        return error.returncode or 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
