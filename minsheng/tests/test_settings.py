"""Settings read from the environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _engine_with(database_url: str) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "minsheng.settings",
    }
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout.strip()


def test_an_empty_database_url_means_the_embedded_sqlite() -> None:
    assert _engine_with("") == "django.db.backends.sqlite3"


def test_a_postgres_url_selects_postgresql() -> None:
    assert _engine_with("postgres://u@127.0.0.1:5432/x") == "django.db.backends.postgresql"
