"""Masking of personal data as department staff see it (138****1234, 张*)."""

from __future__ import annotations

MASK = "*"


def mask_phone(phone: str) -> str:
    """Keep the first 3 and last 4 digits of a mobile number: 138****1234."""
    digits = phone.strip()
    if len(digits) <= 4:
        return MASK * len(digits)
    if len(digits) < 8:
        return digits[:1] + MASK * (len(digits) - 3) + digits[-2:]
    return digits[:3] + MASK * (len(digits) - 7) + digits[-4:]


def mask_name(name: str) -> str:
    """Keep the family name only: 张*, 欧阳** (compound surnames keep two characters)."""
    name = name.strip()
    if not name:
        return ""
    if name[:2] in COMPOUND_SURNAMES and len(name) > 2:
        return name[:2] + MASK * (len(name) - 2)
    if len(name) == 1:
        return MASK
    if name.isascii():
        return name[0] + MASK * 3
    return name[0] + MASK * (len(name) - 1)


def mask_id_number(id_number: str) -> str:
    """Keep the first 4 and last 4 characters of an ID-card number: 4301**********1234."""
    value = id_number.strip()
    if len(value) <= 8:
        return MASK * len(value)
    return value[:4] + MASK * (len(value) - 8) + value[-4:]


def mask_email(email: str) -> str:
    """Keep the first character of the local part and the domain: z***@example.com."""
    local, at, domain = email.strip().partition("@")
    if not at:
        return mask_name(email)
    return (local[:1] + MASK * 3) + "@" + domain


def mask_address(address: str) -> str:
    """Keep the first 6 characters (province, city, district), hide the rest."""
    value = address.strip()
    keep = min(6, len(value) // 2)
    return value[:keep] + MASK * 4 if value else ""


COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 "
    "独孤 南宫 西门 端木 百里 呼延 澹台 公冶 申屠 太史 闻人 赫连 拓跋".split()
)
