"""Access to ../shared/data for tests and benchmarks.

Tests that need it skip with a clear reason when it is absent (a user's fresh clone), and
fail instead when MINSHENG_REQUIRE_SHARED_DATA=1 (set by .ci/run).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA_DIR = Path(
    os.environ.get("MINSHENG_SHARED_DATA", PROJECT_ROOT.parent / "shared" / "data")
)
TEDDY_DIR = SHARED_DATA_DIR / "teddy2020"


def shared_file(name: str) -> Path:
    """Path of a file under teddy2020/, or skip (fail when required) if it is missing."""
    path = TEDDY_DIR / name
    if not path.exists():
        message = f"shared data file {path} is absent (../shared/data is not beside this clone)"
        if os.environ.get("MINSHENG_REQUIRE_SHARED_DATA") == "1":
            pytest.fail(message + " and MINSHENG_REQUIRE_SHARED_DATA=1", pytrace=False)
        pytest.skip(message)
    return path


# The first-level labels of the Teddy Cup files (messages_labelled*.xlsx).
TEDDY_CATEGORIES = (
    "城乡建设",
    "劳动和社会保障",
    "教育文体",
    "商贸旅游",
    "环境保护",
    "卫生计生",
    "交通运输",
)
