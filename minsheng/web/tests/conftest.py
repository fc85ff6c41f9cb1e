"""Fixtures of the pages' tests: the clue world, a clean cache and a ready portal form."""

from __future__ import annotations

import io
import time

import pytest
from django.core.cache import cache
from PIL import Image

from minsheng.clues.tests.conftest import World, clue_in, world  # noqa: F401 (fixtures)
from minsheng.web.services.spam import form_token_issue


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


def aged_token(seconds: float = 10) -> str:
    """A form token as if the form had been shown `seconds` ago."""
    return form_token_issue(now=time.time() - seconds)


def submission(clue_world: World, **overrides: object) -> dict[str, object]:
    """A complete, valid real-name submission as the browser sends it."""
    data: dict[str, object] = {
        "title": "小区停水三天无人处理",
        "content": "雨花区某小区自周一起停水，物业称是市政管网维修，至今没有恢复供水。",
        "category": str(clue_world.water_outage.pk),
        "region": [
            str(clue_world.province.pk),
            str(clue_world.city.pk),
            str(clue_world.district.pk),
        ],
        "place_text": "某小区3栋",
        "identity": "real_name",
        "name": "张三",
        "phone": "13812341234",
        "id_number": "",
        "email": "",
        "address": "",
        "contact_preference": "phone",
        "consent": "on",
        "website": "",
        "rendered_at": aged_token(),
    }
    data.update(overrides)
    return data


def png_with_gps() -> bytes:
    """A small PNG whose EXIF holds a GPS position."""
    image = Image.new("RGB", (8, 8), (200, 30, 30))
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (28.0, 11.0, 30.0)
    gps[3] = "E"
    gps[4] = (112.0, 58.0, 0.0)
    exif[0x010F] = "CameraMaker"
    out = io.BytesIO()
    image.save(out, format="PNG", exif=exif)
    return out.getvalue()


def has_gps(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as image:
        return bool(image.getexif().get_ifd(0x8825))
