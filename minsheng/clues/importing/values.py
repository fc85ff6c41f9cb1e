"""Reading cell values: text with stray whitespace, identifiers, counts and times.

Cells come from openpyxl (str, int, float, datetime, None) or from CSV (always str).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from zoneinfo import ZoneInfo

from django.utils import timezone
from openpyxl.utils.datetime import from_excel

# 2019/4/25 9:32:09, 2019-04-25 09:32, 2019.4.25, 2019年4月25日 9时32分, 2019-04-25T09:32:09.5
_MOMENT = re.compile(
    r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:[ T]+(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2})(?:\.(\d{1,6}))?秒?)?分?)?"
)
_INTEGRAL_FLOAT_TEXT = re.compile(r"(\d+)\.0+")
# Leading characters that `minsheng.clues.exporting` escapes with an apostrophe in CSV.
FORMULA_ESCAPED = frozenset("=+-@\t\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Excel serial day numbers from 1900-01-01 up to 9999-12-31.
_EXCEL_SERIAL_RANGE = (1.0, 2958466.0)


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return unescape_formula(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def unescape_formula(text: str) -> str:
    """Undo the apostrophe our CSV export puts before a cell that a spreadsheet would
    otherwise run as a formula ('=..., '+..., '-..., '@...)."""
    if text.startswith("'") and text[1:2] in FORMULA_ESCAPED:
        return text[1:]
    return text


def clean_line(value: object) -> str:
    """One-line text: every run of whitespace (tabs, newlines) becomes one space."""
    return " ".join(as_text(value).split())


def clean_text(value: object) -> str:
    """Multi-line text: each line stripped, blank lines dropped, line breaks kept."""
    text = as_text(value)
    if "\n" not in text and "\r" not in text:
        return text.strip()
    return "\n".join(line for line in (part.strip() for part in text.splitlines()) if line)


def clean_identifier(value: object) -> str:
    """An id as text: 2549, 2549.0 and " 2549 " all give "2549"."""
    text = clean_line(value)
    match = _INTEGRAL_FLOAT_TEXT.fullmatch(text)
    return match.group(1) if match else text


def parse_count(value: object) -> int:
    """A non-negative whole number; empty is 0. Raises ValueError otherwise."""
    if is_blank(value):
        return 0
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        number = int(value)
    else:
        number = int(clean_identifier(value).replace(",", ""))
    if number < 0:
        raise ValueError(value)
    return number


def parse_moment(value: object, *, tz: ZoneInfo | None = None) -> dt.datetime | None:
    """An aware datetime from a cell; None when the cell is empty.

    Naive times are in `tz` (settings.TIME_ZONE by default). Raises ValueError when the cell
    holds something that is not a time.
    """
    if is_blank(value):
        return None
    zone = tz or _default_tz()
    moment: dt.datetime
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time(), tzinfo=zone)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not _EXCEL_SERIAL_RANGE[0] <= value < _EXCEL_SERIAL_RANGE[1]:
            raise ValueError(value)
        serial = from_excel(value)
        if not isinstance(serial, dt.datetime):
            raise ValueError(value)
        moment = serial
    else:
        moment = _parse_moment_text(as_text(value), zone)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=zone)
    return moment


def _parse_moment_text(text: str, zone: ZoneInfo) -> dt.datetime:
    text = text.strip()
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    match = _MOMENT.fullmatch(text)
    if match is None:
        return dt.datetime.fromisoformat(text)  # offsets such as +08:00 or Z
    year, month, day, hour, minute, second, fraction = match.groups()
    return dt.datetime(
        int(year),
        int(month),
        int(day),
        int(hour or 0),
        int(minute or 0),
        int(second or 0),
        int((fraction or "0").ljust(6, "0")),
        tzinfo=zone,
    )


def _default_tz() -> ZoneInfo:
    tz = timezone.get_default_timezone()
    assert isinstance(tz, ZoneInfo)
    return tz


def describe(value: object, limit: int = 40) -> str:
    """A cell shown in a message: one line, quoted, cut to `limit` characters."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    text = clean_line(value)
    return f"“{text[:limit]}…”" if len(text) > limit else f"“{text}”"


def strip_control(text: str) -> str:
    """Drop control characters other than tabs and line breaks (PostgreSQL refuses NUL)."""
    return _CONTROL.sub("", text)
