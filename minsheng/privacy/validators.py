"""Validation of personal identifiers at the boundary (phone numbers, ID-card numbers)."""

from __future__ import annotations

import re

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"


def normalize_phone(phone: str) -> str:
    """Drop spaces, dashes in mobiles and the +86 prefix; keep a landline's area-code dash."""
    value = re.sub(r"[\s()（）]", "", phone)
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    if MOBILE_RE.match(value.replace("-", "")):
        return value.replace("-", "")
    return value


def is_valid_phone(phone: str) -> bool:
    value = normalize_phone(phone)
    return bool(MOBILE_RE.match(value) or LANDLINE_RE.match(value))


def id_number_check_char(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def is_valid_id_number(id_number: str) -> bool:
    """An 18-character resident ID number with a correct GB 11643 check character."""
    value = id_number.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return False
    return id_number_check_char(value[:17]) == value[17]


def luhn_check_digit(digits: str) -> str:
    """The Luhn check digit for `digits` (bank cards; our tracking codes)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def is_luhn_valid(digits: str) -> bool:
    """True when the last digit is the Luhn check digit of the others."""
    return len(digits) > 1 and digits.isdigit() and luhn_check_digit(digits[:-1]) == digits[-1]
