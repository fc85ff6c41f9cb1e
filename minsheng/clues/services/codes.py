"""Tracking codes (read out on the phone) and query secrets (needed to look a clue up)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth.hashers import PBKDF2PasswordHasher

from minsheng.privacy.validators import luhn_check_digit

# No 0/O, 1/I/L, to survive being read aloud or copied by hand.
SECRET_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # noqa: S105 (an alphabet)
SECRET_LENGTH = 8


def new_tracking_code(day: dt.date) -> str:
    """16 digits: the date (YYMMDD), 9 random digits and a check digit.

    The code alone gives access to nothing; randomness only keeps codes from being guessed
    in sequence and makes collisions rare (callers still retry on a unique-constraint clash).
    """
    body = f"{day:%y%m%d}{secrets.randbelow(10**9):09d}"
    return body + luhn_check_digit(body)


def is_valid_tracking_code(code: str) -> bool:
    digits = normalize_tracking_code(code)
    return len(digits) == 16 and digits.isdigit() and luhn_check_digit(digits[:-1]) == digits[-1]


def normalize_tracking_code(code: str) -> str:
    """Drop the spaces and dashes people add when copying a code."""
    return "".join(ch for ch in code if ch.isalnum())


def format_tracking_code(code: str) -> str:
    """Groups of four for reading aloud: 2611 2812 3456 7897."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def new_query_secret() -> str:
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_LENGTH))


class QuerySecretHasher(PBKDF2PasswordHasher):
    """PBKDF2 tuned for 40-bit random secrets rather than people's passwords.

    Django's password setting (over a million iterations, ~0.5 s) would cost every web or
    API submission half a second of CPU. A random 8-character secret needs far less
    stretching: at 20,000 iterations an offline attack on one stolen hash still needs
    about 2^40 × 20,000 SHA-256 blocks, while lookups are also rate-limited online.
    Independent of PASSWORD_HASHERS, so changing how passwords are stored never locks
    citizens out of their clues.
    """

    algorithm = "pbkdf2_sha256_qs"
    iterations = 20_000


_hasher = QuerySecretHasher()


def hash_query_secret(secret: str) -> str:
    return _hasher.encode(normalize_query_secret(secret), _hasher.salt())


def check_query_secret(secret: str, hashed: str) -> bool:
    if not hashed.startswith(f"{QuerySecretHasher.algorithm}$"):
        return False
    return _hasher.verify(normalize_query_secret(secret), hashed)


def normalize_query_secret(secret: str) -> str:
    return "".join(ch for ch in secret.upper() if ch.isalnum())
