"""Clean and validate one raw row into a `ClueRow`, or reject it with a reason.

Rules (each is counted in the summary when it changes something):
- title and content are both empty → rejected; an empty title takes the first 30 characters
  of the content, an empty content takes the title; a title over 200 characters is cut;
- 留言时间 empty → the clue is dated at import time (and fingerprinted without a time);
  present but not a time, before 1990 or in the future → rejected; the same for 答复时间;
- a row with a reply (答复意见) becomes an answered clue;
- vote counts must be whole numbers ≥ 0; an unknown priority falls back to 普通.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minsheng.clues.importing.columns import Field
from minsheng.clues.importing.readers import RawRow
from minsheng.clues.importing.values import (
    clean_identifier,
    clean_line,
    clean_text,
    describe,
    parse_count,
    parse_moment,
    strip_control,
)
from minsheng.clues.models import Clue, Complainant
from minsheng.clues.services.fingerprints import clue_fingerprint
from minsheng.directory.choices import Priority

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Column labels for rejection messages, translated only when a row is rejected.
REPORTED_AT_LABEL = gettext_lazy("留言时间")
ANSWERED_AT_LABEL = gettext_lazy("答复时间")
UP_VOTES_LABEL = gettext_lazy("点赞数")
DOWN_VOTES_LABEL = gettext_lazy("反对数")

MAX_TITLE_LENGTH: int = Clue._meta.get_field("title").max_length or 200
MAX_EXTERNAL_ID_LENGTH: int = Clue._meta.get_field("external_id").max_length or 64
MAX_LABEL_LENGTH: int = Clue._meta.get_field("source_category_label").max_length or 60
MAX_PLACE_LENGTH: int = Clue._meta.get_field("place_text").max_length or 200
MAX_USER_LENGTH: int = Complainant._meta.get_field("external_user").max_length or 60
TITLE_FROM_CONTENT_LENGTH = 30
EARLIEST_TIME = dt.datetime(1990, 1, 1, tzinfo=dt.UTC)
# A little slack for clocks that disagree, as `services.intake.clue_receive` allows.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)


class RowRejected(Exception):
    """This row cannot become a clue; `reason` says why, for the person fixing the file."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ClueRow:
    """A valid row, cleaned, ready to be written."""

    line: int
    external_id: str
    external_user: str
    title: str
    content: str
    reported_at: dt.datetime | None  # None: the file gave no time
    category_label: str
    region_label: str
    place_text: str
    priority: str
    unknown_priority: str  # the file's value when it is not a priority we know
    up_votes: int
    down_votes: int
    answer: str
    answered_at: dt.datetime | None
    fingerprint: str
    title_truncated: bool = False
    title_from_content: bool = False
    content_from_title: bool = False

    @property
    def key(self) -> str:
        """What identifies the row within its source: the external id, else the content."""
        return f"id:{self.external_id}" if self.external_id else f"fp:{self.fingerprint}"

    @property
    def answered(self) -> bool:
        return bool(self.answer)


def _priority_names() -> dict[str, str]:
    names = {value: value for value in Priority.values}
    names.update({str(label): value for value, label in Priority.choices})
    return names


def normalise_row(row: RawRow, *, now: dt.datetime) -> ClueRow:
    """Clean `row`; raise `RowRejected` when it cannot become a clue."""
    if row.empty:
        raise RowRejected(_("空行"))
    values = row.values
    title = strip_control(clean_line(values.get(Field.TITLE)))
    content = strip_control(clean_text(values.get(Field.CONTENT)))
    if not title and not content:
        raise RowRejected(_("标题和内容均为空"))
    title_from_content = not title
    if title_from_content:
        title = clean_line(content)[:TITLE_FROM_CONTENT_LENGTH]
    title_truncated = len(title) > MAX_TITLE_LENGTH
    title = title[:MAX_TITLE_LENGTH]
    content_from_title = not content
    content = content or title

    external_id = clean_identifier(values.get(Field.EXTERNAL_ID))
    if len(external_id) > MAX_EXTERNAL_ID_LENGTH:
        raise RowRejected(
            _("编号超过%(n)d个字符：%(value)s")
            % {"n": MAX_EXTERNAL_ID_LENGTH, "value": describe(external_id)}
        )
    reported_at = _moment(values.get(Field.REPORTED_AT), what=REPORTED_AT_LABEL, now=now)
    answer = strip_control(clean_text(values.get(Field.ANSWER)))
    answered_at = _moment(values.get(Field.ANSWERED_AT), what=ANSWERED_AT_LABEL, now=now)
    priority_text = clean_line(values.get(Field.PRIORITY))
    priority = _priority_names().get(priority_text.lower(), "") if priority_text else ""

    return ClueRow(
        line=row.line,
        external_id=external_id,
        external_user=clean_line(values.get(Field.USER))[:MAX_USER_LENGTH],
        title=title,
        content=content,
        reported_at=reported_at,
        category_label=clean_line(values.get(Field.CATEGORY))[:MAX_LABEL_LENGTH],
        region_label=clean_line(values.get(Field.REGION)),
        place_text=clean_line(values.get(Field.PLACE))[:MAX_PLACE_LENGTH],
        priority=priority or Priority.NORMAL,
        unknown_priority=priority_text if priority_text and not priority else "",
        up_votes=_count(values.get(Field.UP_VOTES), what=UP_VOTES_LABEL),
        down_votes=_count(values.get(Field.DOWN_VOTES), what=DOWN_VOTES_LABEL),
        answer=answer,
        answered_at=answered_at if answer else None,
        fingerprint=clue_fingerprint(title=title, content=content, reported_at=reported_at),
        title_truncated=title_truncated,
        title_from_content=title_from_content,
        content_from_title=content_from_title,
    )


def _moment(value: Any, *, what: StrOrPromise, now: dt.datetime) -> dt.datetime | None:
    try:
        moment = parse_moment(value)
    except (ValueError, OverflowError) as error:
        raise RowRejected(
            _("%(what)s无法识别：%(value)s") % {"what": what, "value": describe(value)}
        ) from error
    if moment is None:
        return None
    if moment < EARLIEST_TIME:
        raise RowRejected(
            _("%(what)s早于1990年：%(value)s") % {"what": what, "value": describe(value)}
        )
    if moment > now + FUTURE_TOLERANCE:
        raise RowRejected(
            _("%(what)s晚于当前时间：%(value)s") % {"what": what, "value": describe(value)}
        )
    return moment


def _count(value: Any, *, what: StrOrPromise) -> int:
    try:
        return parse_count(value)
    except (ValueError, OverflowError) as error:
        raise RowRejected(
            _("%(what)s不是非负整数：%(value)s") % {"what": what, "value": describe(value)}
        ) from error
