"""Masking of personal data as department staff see it (138****1234, 张*).

Every function accepts any string (empty, short, oddly formatted) and never returns more of
it than its rule says; when a value does not look like what the field expects, less is shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

MASK = "*"

_SEPARATORS = re.compile(r"[\s\-()（）]")
_MOBILE = re.compile(r"(?:\+?86)?(1\d{10})")
_LANDLINE = re.compile(
    r"[(（]?(0\d{2,3})[)）]?[\s-]?(\d{7,8})(?:\s*(?:-|转|ext\.?|#)\s*\d{1,6})?", re.IGNORECASE
)


def mask_phone(phone: str) -> str:
    """Mask a telephone number.

    Mobile: keep the first 3 and last 4 digits (138****1234, whatever the separators, with or
    without +86). Landline with area code: keep the area code and the last 4 digits
    (0731-****6666; an extension is dropped). Anything else: up to 4 characters are fully
    masked; longer values keep at most the last 4 and at most a third (******66).
    """
    value = phone.strip()
    if not value:
        return ""
    compact = _SEPARATORS.sub("", value)
    if mobile := _MOBILE.fullmatch(compact):
        digits = mobile.group(1)
        return digits[:3] + MASK * 4 + digits[-4:]
    if landline := _LANDLINE.fullmatch(value):
        area, number = landline.groups()
        return f"{area}-{MASK * 4}{number[-4:]}"
    if len(compact) <= 4:
        return MASK * len(compact)
    keep = min(4, len(compact) // 3)
    return MASK * (len(compact) - keep) + compact[len(compact) - keep :]


def mask_name(name: str) -> str:
    """Keep the family name only: 张*, 欧阳** (compound surnames keep two characters).

    A single character is fully masked; a Latin-script name keeps its initial and a fixed
    mask (J***), so that the mask does not reveal the length.
    """
    name = name.strip()
    if not name:
        return ""
    if len(name) == 1:
        return MASK
    if name.isascii():
        return name[0] + MASK * 3
    if name[:2] in COMPOUND_SURNAMES and len(name) > 2:
        return name[:2] + MASK * (len(name) - 2)
    return name[0] + MASK * (len(name) - 1)


def mask_id_number(id_number: str) -> str:
    """Keep the first 4 and last 4 characters of an ID-card number: 4301**********123X.

    Values of 8 characters or fewer are fully masked; a lower-case check letter x is shown as X.
    """
    value = _SEPARATORS.sub("", id_number).upper()
    if len(value) <= 8:
        return MASK * len(value)
    return value[:4] + MASK * (len(value) - 8) + value[-4:]


def mask_email(email: str) -> str:
    """Keep the first character of the local part and the domain: z***@example.com.

    A one-character local part is not shown at all (***@example.com); a value without `@`
    is masked as a name.
    """
    value = email.strip()
    local, at, domain = value.rpartition("@")
    if not at:
        return mask_name(value)
    shown = local[:1] if len(local) > 1 else ""
    return shown + MASK * 3 + "@" + domain


def mask_address(address: str) -> str:
    """Keep at most the first 6 characters and at most half of the address, then ****.

    Six characters are typically the province and city, or the city and district
    (长沙市岳麓区****); the street, building and door number are never shown.
    """
    value = address.strip()
    if not value:
        return ""
    keep = min(6, len(value) // 2)
    return value[:keep] + MASK * 4


COMPLAINANT_FIELD_MASKS: Mapping[str, Callable[[str], str]] = {
    "name": mask_name,
    "phone": mask_phone,
    "id_number": mask_id_number,
    "email": mask_email,
    "address": mask_address,
}


def mask_complainant_fields(values: dict[str, str]) -> dict[str, str]:
    """A copy of `values` with the personal fields (name, phone, id_number, email, address)
    masked; other keys are returned unchanged."""
    return {
        key: COMPLAINANT_FIELD_MASKS[key](value) if key in COMPLAINANT_FIELD_MASKS else value
        for key, value in values.items()
    }


_COMPOUND_SURNAMES_TEXT = (
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 "
    "独孤 南宫 西门 端木 百里 呼延 澹台 公冶 申屠 太史 闻人 赫连 拓跋"
)
COMPOUND_SURNAMES = frozenset(_COMPOUND_SURNAMES_TEXT.split())
