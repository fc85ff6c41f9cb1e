"""Settings read from the environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _setting_with(expression: str, **variables: str) -> str:
    env = {**os.environ, **variables, "DJANGO_SETTINGS_MODULE": "minsheng.settings"}
    completed = subprocess.run(  # noqa: S603 - our own settings, our expressions
        [
            sys.executable,
            "-c",
            f"from django.conf import settings; print({expression})",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout.strip()


ENGINE = "settings.DATABASES['default']['ENGINE']"
CACHE = "settings.CACHES['default']['BACKEND']"


def test_an_empty_database_url_means_the_embedded_sqlite() -> None:
    assert _setting_with(ENGINE, DATABASE_URL="") == "django.db.backends.sqlite3"


def test_a_postgres_url_selects_postgresql() -> None:
    assert (
        _setting_with(ENGINE, DATABASE_URL="postgres://u@127.0.0.1:5432/x")
        == "django.db.backends.postgresql"
    )


def test_a_redis_cache_url_shares_the_rate_limit_counts() -> None:
    assert _setting_with(CACHE, CACHE_URL="redis://127.0.0.1:6379/1").endswith("RedisCache")
    assert _setting_with(CACHE, CACHE_URL="").endswith("LocMemCache")
