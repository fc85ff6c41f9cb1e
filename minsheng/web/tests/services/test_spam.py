"""Spam protection: the signed rendering time and the honeypot."""

from __future__ import annotations

import time

import pytest

from minsheng.web.services.spam import (
    SpamSuspected,
    form_token_check,
    form_token_issue,
    honeypot_check,
)


def test_a_form_sent_back_after_a_while_passes() -> None:
    token = form_token_issue(now=time.time() - 30)
    form_token_check(token)


@pytest.mark.parametrize(("age", "words"), [(0, "过快"), (1, "过快"), (2 * 24 * 3600, "过期")])
def test_too_fast_or_too_old_is_refused_with_a_clear_message(age: int, words: str) -> None:
    token = form_token_issue(now=time.time() - age)
    with pytest.raises(SpamSuspected, match=words):
        form_token_check(token)


@pytest.mark.parametrize("token", ["", "123", "forged:abc"])
def test_a_missing_or_forged_token_is_refused(token: str) -> None:
    with pytest.raises(SpamSuspected):
        form_token_check(token)


def test_the_honeypot_must_stay_empty() -> None:
    honeypot_check("")
    with pytest.raises(SpamSuspected):
        honeypot_check("http://spam.example")
