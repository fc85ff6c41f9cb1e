"""Reading calendar days from a CSV file (`date,is_working_day,name`), for a year the bundled
package does not know yet or for a correction."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from minsheng.workcal.models import CalendarDay
from minsheng.workcal.services import CalendarDayInput

TRUE_VALUES = frozenset({"1", "true", "是", "班"})
FALSE_VALUES = frozenset({"0", "false", "否", "休"})
HEADER_FIRST_CELLS = frozenset({"date", "日期"})
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d")
NAME_MAX_LENGTH = CalendarDay._meta.get_field("name").max_length or 60


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("第 %(line)d 行：%(message)s") % {"line": self.line, "message": self.message}


class CalendarCsvError(ValueError):
    """The file has bad rows; nothing should be imported."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


def parse_working_flag(value: str) -> bool:
    """1/0, true/false, 是/否, 班/休 (case and surrounding spaces ignored)."""
    normalized = value.strip().lower()
    if normalized in TRUE_VALUES:
        return True
    if normalized in FALSE_VALUES:
        return False
    raise ValueError(f"unknown working-day flag: {value!r}")


def _parse_date(value: str) -> dt.date:
    for date_format in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value.strip(), date_format).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise ValueError(value)


def parse_calendar_csv(lines: Iterable[str]) -> list[CalendarDayInput]:
    """Parse every row, collecting all errors (with 1-based line numbers) before raising.

    A first row starting with `date` or `日期` is a header; blank rows and rows starting with
    `#` are skipped; the `name` column may be omitted.
    """
    days: list[CalendarDayInput] = []
    errors: list[RowError] = []
    seen: dict[dt.date, int] = {}
    reader = csv.reader(lines)
    first_row = True
    for row in reader:
        line = reader.line_num
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if first_row:
            first_row = False
            if cells[0].lstrip("\ufeff").lower() in HEADER_FIRST_CELLS:
                continue
        if len(cells) < 2 or len(cells) > 3:
            errors.append(
                RowError(
                    line, _("应为 2 或 3 列（日期,是否工作日,说明），实际 %d 列。") % len(cells)
                )
            )
            continue
        raw_date, raw_flag = cells[0].lstrip("\ufeff"), cells[1]
        name = cells[2] if len(cells) == 3 else ""
        row_errors: list[str] = []
        try:
            date = _parse_date(raw_date)
        except ValueError:
            row_errors.append(_("日期“%s”无效，应为 YYYY-MM-DD。") % raw_date)
        try:
            is_working_day = parse_working_flag(raw_flag)
        except ValueError:
            row_errors.append(
                _("是否工作日“%s”无效，应为 1/0、true/false、是/否 或 班/休。") % raw_flag
            )
        if len(name) > NAME_MAX_LENGTH:
            row_errors.append(_("说明不得超过 %d 个字。") % NAME_MAX_LENGTH)
        if row_errors:
            errors.extend(RowError(line, message) for message in row_errors)
            continue
        if date in seen:
            errors.append(
                RowError(
                    line,
                    _("日期 %(date)s 与第 %(first)d 行重复。")
                    % {"date": date.isoformat(), "first": seen[date]},
                )
            )
            continue
        seen[date] = line
        days.append(CalendarDayInput(date=date, is_working_day=is_working_day, name=name))
    if errors:
        raise CalendarCsvError(errors)
    return days
