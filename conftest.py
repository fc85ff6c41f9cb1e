"""Project-wide pytest configuration."""

from __future__ import annotations

import pytest

# Browser tests: the `browser`, `page` and `phone_page` fixtures and the `browser` marker.
pytest_plugins = ["minsheng.testing.browser"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness protects real passwords, not test users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_working_calendar():
    """The calendar cache lives for the process; a test's rolled-back days must not leak."""
    from minsheng.workcal.services import clear_cache

    clear_cache()
    yield
    clear_cache()


@pytest.fixture(autouse=True, scope="session")
def _data_dir_in_tmp(tmp_path_factory):
    """Models and other files written by tests go to a temporary data directory, never var/."""
    from django.test import override_settings

    with override_settings(DATA_DIR=tmp_path_factory.mktemp("data")):
        yield
