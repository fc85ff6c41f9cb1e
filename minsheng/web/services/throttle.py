"""Rate limits kept in Django's cache: fixed windows counted per scope and key.

Keys (an IP address, a phone number) are hashed before they reach the cache, so a shared
cache never holds them in clear. With the default per-process memory cache the limits are
per process; configure a shared cache (Redis, database) when running several processes.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Limit:
    """At most `count` hits in each window of `seconds` for one scope and key."""

    scope: str
    count: int
    seconds: int


def submit_per_ip() -> Limit:
    return Limit("submit-ip", settings.MINSHENG["PORTAL_SUBMIT_PER_IP_PER_HOUR"], 3600)


def submit_per_phone() -> Limit:
    return Limit("submit-phone", settings.MINSHENG["PORTAL_SUBMIT_PER_PHONE_PER_DAY"], 86400)


def track_per_ip() -> Limit:
    return Limit("track-ip", settings.MINSHENG["PORTAL_TRACK_PER_IP_PER_HOUR"], 3600)


def _cache_key(limit: Limit, key: str, now: float) -> str:
    window = int(now // limit.seconds)
    digest = hashlib.sha256(f"{limit.scope}:{key}".encode()).hexdigest()[:32]
    return f"minsheng:throttle:{limit.scope}:{digest}:{window}"


def throttle_exceeded(*, limit: Limit, key: str, now: float | None = None) -> bool:
    """True when `key` has used up its hits in the current window (an empty key never is)."""
    if not key:
        return False
    used = cache.get(_cache_key(limit, key, time.time() if now is None else now), 0)
    return int(used) >= limit.count


def throttle_hit(*, limit: Limit, key: str, now: float | None = None) -> None:
    """Count one hit for `key` in the current window."""
    if not key:
        return
    cache_key = _cache_key(limit, key, time.time() if now is None else now)
    if not cache.add(cache_key, 1, timeout=limit.seconds):
        try:
            cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=limit.seconds)


def client_ip(request: HttpRequest) -> str:
    """The client's address as the server sees it. Behind a reverse proxy, have the proxy
    set REMOTE_ADDR (e.g. uWSGI/gunicorn's forwarded-allow-ips) rather than trusting a
    header any client can write."""
    return str(request.META.get("REMOTE_ADDR", ""))
