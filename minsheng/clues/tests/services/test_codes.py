"""Tracking codes and query secrets."""

from __future__ import annotations

import datetime as dt

from minsheng.clues.services.codes import (
    SECRET_ALPHABET,
    check_query_secret,
    format_tracking_code,
    hash_query_secret,
    is_valid_tracking_code,
    new_query_secret,
    new_tracking_code,
)


def test_tracking_code_is_16_digits_starting_with_the_date() -> None:
    code = new_tracking_code(dt.date(2026, 11, 28))
    assert len(code) == 16
    assert code.isdigit()
    assert code.startswith("261128")
    assert is_valid_tracking_code(code)


def test_a_mistyped_digit_is_caught_by_the_check_digit() -> None:
    code = new_tracking_code(dt.date(2026, 11, 28))
    wrong = code[:10] + str((int(code[10]) + 1) % 10) + code[11:]
    assert not is_valid_tracking_code(wrong)


def test_codes_are_grouped_for_reading_aloud_and_tolerate_separators() -> None:
    code = new_tracking_code(dt.date(2026, 1, 5))
    spoken = format_tracking_code(code)
    assert spoken.count(" ") == 3
    assert is_valid_tracking_code(spoken.replace(" ", "-"))


def test_query_secret_uses_unambiguous_characters_and_is_stored_hashed(settings) -> None:
    secret = new_query_secret()
    assert len(secret) == 8
    assert set(secret) <= set(SECRET_ALPHABET)
    assert not set(secret) & set("01IOL")
    hashed = hash_query_secret(secret)
    assert secret not in hashed
    assert check_query_secret(secret.lower(), hashed)
    assert check_query_secret(f" {secret[:4]}-{secret[4:]} ", hashed)
    assert not check_query_secret("AAAAAAAA", hashed)
    assert not check_query_secret(secret, "")
