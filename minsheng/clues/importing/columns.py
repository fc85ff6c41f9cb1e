"""The columns an import file may have, under each layout's header names.

Three layouts are understood, and a file may mix their names:

- the Teddy Cup message board (留言编号, 留言用户, 留言主题, 留言时间, 留言详情, 一级分类,
  点赞数, 反对数, 答复意见, 答复时间);
- Minsheng's own export (`minsheng.clues.exporting`): 受理编号 becomes the external id, so a
  re-imported clue is found again by the tracking code it had where it was exported; the
  columns that describe its handling there (状态, 办结结果, deadlines, 满意度) are not imported;
- a generic hotline layout with English names (id, title, content, reported_at...).

Header cells are matched after NFKC normalisation and stripping whitespace, English names
case-insensitively. When two columns map to the same field, the leftmost one wins.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from minsheng.clues.importing.errors import ImportFileError


class Field(enum.StrEnum):
    EXTERNAL_ID = "external_id"
    USER = "user"
    TITLE = "title"
    CONTENT = "content"
    REPORTED_AT = "reported_at"
    CATEGORY = "category"
    REGION = "region"
    PLACE = "place"
    PRIORITY = "priority"
    UP_VOTES = "up_votes"
    DOWN_VOTES = "down_votes"
    ANSWER = "answer"
    ANSWERED_AT = "answered_at"


# Header names per field; the first is the one shown in error messages.
ALIASES: dict[Field, tuple[str, ...]] = {
    Field.EXTERNAL_ID: ("留言编号", "受理编号", "工单编号", "编号", "id", "external_id"),
    Field.USER: ("留言用户", "用户", "user", "external_user"),
    Field.TITLE: ("留言主题", "标题", "主题", "诉求标题", "title", "subject"),
    Field.CONTENT: ("留言详情", "内容", "详情", "诉求内容", "content", "body", "description"),
    Field.REPORTED_AT: ("留言时间", "反映时间", "来电时间", "reported_at", "time"),
    Field.CATEGORY: ("一级分类", "问题分类", "分类", "category"),
    Field.REGION: ("所在区划", "区划", "region", "region_code"),
    Field.PLACE: ("详细地点", "地点", "place", "address"),
    Field.PRIORITY: ("优先级", "priority"),
    Field.UP_VOTES: ("点赞数", "up_votes"),
    Field.DOWN_VOTES: ("反对数", "down_votes"),
    Field.ANSWER: ("答复意见", "答复内容", "answer", "reply"),
    Field.ANSWERED_AT: ("答复时间", "answered_at", "reply_time"),
}

# Cells of both may be empty in a row, but a file without these columns is not a clue list.
REQUIRED_FIELDS: tuple[Field, ...] = (Field.TITLE, Field.CONTENT)


def normalise_header(cell: object) -> str:
    if cell is None:
        return ""
    name = unicodedata.normalize("NFKC", str(cell)).strip().lstrip("\ufeff").strip()
    return name.lower() if name.isascii() else name


_FIELD_BY_NAME: dict[str, Field] = {
    normalise_header(name): field for field, names in ALIASES.items() for name in names
}


@dataclass(frozen=True)
class ColumnMap:
    """Where each known field sits in a row, and the header as found (for messages)."""

    positions: dict[Field, int]
    headers: tuple[str, ...]

    @property
    def width(self) -> int:
        return len(self.headers)

    def missing(self) -> list[Field]:
        return [field for field in REQUIRED_FIELDS if field not in self.positions]


def map_header(cells: Sequence[object]) -> ColumnMap:
    """Map a header row to fields; unknown columns are ignored."""
    headers = tuple(normalise_header(cell) for cell in cells)
    positions: dict[Field, int] = {}
    for index, name in enumerate(headers):
        field = _FIELD_BY_NAME.get(name)
        if field is not None and field not in positions:
            positions[field] = index
    return ColumnMap(positions=positions, headers=headers)


def require_columns(columns: ColumnMap, *, file_name: str) -> None:
    """Raise `ImportFileError` naming the missing columns and the ones found."""
    missing = columns.missing()
    if not missing:
        return
    wanted = "；".join("/".join(ALIASES[field][:3]) for field in missing)
    found = [name[:30] for name in columns.headers if name][:20]
    raise ImportFileError(
        _("%(file)s 缺少必需的列：%(missing)s。第一行找到的列：%(found)s。")
        % {"file": file_name, "missing": wanted, "found": "、".join(found) or _("（空）")}
    )
