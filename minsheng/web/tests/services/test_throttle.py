"""Rate limits: counted per scope and key in fixed windows of the cache."""

from __future__ import annotations

from minsheng.web.services.throttle import Limit, throttle_exceeded, throttle_hit

LIMIT = Limit("test", 2, 60)


def test_a_key_is_limited_after_its_count_and_others_are_not() -> None:
    # given two hits for one address
    throttle_hit(limit=LIMIT, key="10.0.0.1", now=1000)
    assert not throttle_exceeded(limit=LIMIT, key="10.0.0.1", now=1000)
    throttle_hit(limit=LIMIT, key="10.0.0.1", now=1001)
    # then it is limited, another address is not
    assert throttle_exceeded(limit=LIMIT, key="10.0.0.1", now=1002)
    assert not throttle_exceeded(limit=LIMIT, key="10.0.0.2", now=1002)


def test_the_next_window_starts_afresh() -> None:
    throttle_hit(limit=LIMIT, key="k", now=1000)
    throttle_hit(limit=LIMIT, key="k", now=1000)
    assert throttle_exceeded(limit=LIMIT, key="k", now=1019)
    assert not throttle_exceeded(limit=LIMIT, key="k", now=1020 + 60)


def test_an_empty_key_is_never_limited() -> None:
    for _ in range(5):
        throttle_hit(limit=LIMIT, key="", now=1000)
    assert not throttle_exceeded(limit=LIMIT, key="", now=1000)
