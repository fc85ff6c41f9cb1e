"""Export clues to CSV or XLSX, streaming, without the complainant's identity.

The columns are meant for people (labels, not codes; local times) and for machines: the CSV
re-imports with `import_clues`, where 受理编号 becomes the external id (in the source the
importer is given, e.g. "export-<site>"), so a second import of the same export skips what
the first created. Columns describing handling here (状态, 办结结果, deadlines, 满意度) are not
imported: a re-imported clue starts again as "answered" when it has an answer, else
"received", with its own event chain.

Cells that a spreadsheet would run as a formula (starting with = + - @) are escaped in CSV
with a leading apostrophe, which the importer removes again; XLSX cells are typed as text.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
from collections.abc import Iterator, Sequence
from typing import IO, Any, Protocol

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from minsheng.clues.choices import Channel
from minsheng.clues.errors import ClueValidationError
from minsheng.clues.models import Clue
from minsheng.clues.workflow import ClueStatus
from minsheng.directory.models import Category, Region

EXPORT_COLUMNS: tuple[str, ...] = (
    "受理编号",
    "来源渠道",
    "外部编号",
    "标题",
    "内容",
    "问题分类",
    "所在区划",
    "详细地点",
    "反映时间",
    "状态",
    "优先级",
    "办结结果",
    "签收期限",
    "办结期限",
    "答复意见",
    "答复时间",
    "满意度",
)
CATEGORY_PATH_SEPARATOR = " / "  # the importer follows such a path from the root
CHUNK_SIZE = 2000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_CELL_LENGTH = 32767
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

Cell = str | dt.datetime | dt.date | None


class TextSink(Protocol):
    """Where CSV text goes: an open text file, a StringIO, the command's stdout."""

    def write(self, text: str, /) -> object: ...


class ExportFormat(enum.StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


def filter_clues_for_export(
    clues: QuerySet[Clue],
    *,
    statuses: Sequence[str] = (),
    category: str = "",
    region_code: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    channel: str = "",
) -> QuerySet[Clue]:
    """Narrow `clues` (already limited to what the requester may see) for an export.

    `category` is a name (every category of that name, with its subtree) or a path
    "城乡建设 / 安全生产"; `region_code` takes the region's subtree; `since`/`until` are
    inclusive local days of the reported time. Raises `ClueValidationError` on an unknown
    status, channel, category or region.
    """
    unknown = sorted(set(statuses) - set(ClueStatus.values))
    if unknown:
        raise ClueValidationError(
            _("未知的状态：%(values)s") % {"values": "、".join(unknown)}, field="status"
        )
    if statuses:
        clues = clues.filter(status__in=list(statuses))
    if channel:
        if channel not in Channel.values:
            raise ClueValidationError(
                _("未知的来源渠道：%(value)s") % {"value": channel}, field="channel"
            )
        clues = clues.filter(channel=channel)
    if category:
        paths = _category_paths(category)
        if not paths:
            raise ClueValidationError(
                _("没有名为“%(name)s”的问题分类。") % {"name": category}, field="category"
            )
        subtree = Q()
        for path in paths:
            subtree |= Q(category__path__startswith=path)
        clues = clues.filter(subtree)
    if region_code:
        region = Region.objects.filter(code=region_code.strip()).first()
        if region is None:
            raise ClueValidationError(
                _("没有代码为 %(code)s 的行政区划。") % {"code": region_code}, field="region"
            )
        clues = clues.filter(region__path__startswith=region.path)
    if since is not None and until is not None and since > until:
        raise ClueValidationError(_("起始日期晚于截止日期。"), field="since")
    if since is not None:
        clues = clues.filter(reported_at__gte=_start_of(since))
    if until is not None:
        clues = clues.filter(reported_at__lt=_start_of(until + dt.timedelta(days=1)))
    return clues


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _category_paths(label: str) -> list[str]:
    """Tree paths of the categories `label` names: a path from the root, else every
    category of that name."""
    names = [part.strip() for part in label.split("/") if part.strip()]
    if len(names) > 1:
        node: Category | None = None
        for name in names:
            node = Category.objects.filter(name=name, parent=node).first()
            if node is None:
                break
        if node is not None:
            return [node.path]
    return list(Category.objects.filter(name=label.strip()).values_list("path", flat=True))


class _CategoryPaths:
    """Full names ("城乡建设 / 安全生产 / 事故处理"), each category looked up once."""

    def __init__(self) -> None:
        self._names: dict[int, str] = {}
        self._paths: dict[int, str] = {}

    def full_name(self, category: Category) -> str:
        if category.pk not in self._paths:
            ids = category.ancestor_ids()
            missing = [pk for pk in ids if pk not in self._names]
            if missing:
                self._names.update(
                    Category.objects.filter(pk__in=missing).values_list("pk", "name")
                )
            self._paths[category.pk] = CATEGORY_PATH_SEPARATOR.join(
                self._names.get(pk, "?") for pk in ids
            )
        return self._paths[category.pk]


def export_rows(clues: QuerySet[Clue]) -> Iterator[list[Cell]]:
    """One list of cells per clue, in `EXPORT_COLUMNS` order, in constant memory."""
    categories = _CategoryPaths()
    queryset = clues.select_related("category", "region").order_by("pk")
    for clue in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield [
            clue.tracking_code,
            clue.get_channel_display(),
            clue.external_id,
            clue.title,
            clue.content,
            categories.full_name(clue.category) if clue.category else "",
            str(clue.region) if clue.region else "",
            clue.place_text,
            _local(clue.reported_at),
            clue.get_status_display(),
            clue.get_priority_display(),
            clue.get_outcome_display() if clue.outcome else "",
            clue.accept_due,
            clue.handle_due,
            clue.answer,
            _local(clue.answered_at),
            clue.get_satisfaction_display() if clue.satisfaction else "",
        ]


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    # Whole seconds, local and naive: what a spreadsheet shows and the importer reads back.
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def write_clues_csv(*, clues: QuerySet[Clue], stream: TextSink, bom: bool = True) -> int:
    """Write `clues` as CSV to a text stream (opened with newline=""); return the count.

    With `bom` a UTF-8 byte-order mark comes first, so Excel reads the file as UTF-8 (the
    stream itself should be UTF-8).
    """
    if bom:
        stream.write("\ufeff")
    writer = csv.writer(stream)
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for cells in export_rows(clues):
        writer.writerow([_csv_cell(value) for value in cells])
        count += 1
    return count


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime(TIME_FORMAT)
    if isinstance(value, dt.date):
        return value.isoformat()
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def write_clues_xlsx(*, clues: QuerySet[Clue], target: str | IO[bytes]) -> int:
    """Write `clues` as an XLSX workbook (openpyxl write-only: rows go to disk as written)
    to a path or a binary stream; return the count."""
    workbook = Workbook(write_only=True)
    sheet: Any = workbook.create_sheet(_("问题线索"))
    sheet.append(list(EXPORT_COLUMNS))
    count = 0
    for cells in export_rows(clues):
        sheet.append([_xlsx_cell(sheet, value) for value in cells])
        count += 1
    workbook.save(target)
    return count


def _xlsx_cell(sheet: Any, value: Cell) -> Any:
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", value)[:XLSX_MAX_CELL_LENGTH]
    if not text.startswith("="):
        return text
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # text, never a formula
    return cell
