"""Reads for the pages: the pickers' trees and what a citizen may see of a clue.

A citizen proved access to one clue with its code and secret; what they see of its history
is a whitelist of steps in plain words, never internal notes, department-internal steps or
the names of staff.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minsheng.clues.choices import Outcome, RejectionReason, Satisfaction
from minsheng.clues.models import Clue, ClueEvent
from minsheng.clues.selectors import clue_timeline
from minsheng.clues.workflow import (
    IN_HANDLING_STATUSES,
    Action,
    ClueStatus,
)
from minsheng.directory.choices import RegionLevel
from minsheng.directory.models import Category, Department, Region

# Above this many active regions the no-script picker lists the upper three levels only.
FLAT_REGION_LIMIT = 2000

# ----- Pickers -------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionLevelChoices:
    """One select of the cascading region picker: the options and the chosen one."""

    depth: int
    label: str
    options: list[Region]
    selected_id: int | None


def active_regions() -> QuerySet[Region]:
    return Region.objects.filter(is_active=True)


def region_children(*, parent_id: int | None) -> list[Region]:
    """Active children of a region (the roots for None), in code order."""
    regions = active_regions().filter(parent_id=parent_id)
    return list(regions.order_by("code"))


def _level_label(options: list[Region], depth: int) -> str:
    levels = {region.level for region in options}
    if len(levels) == 1:
        return str(RegionLevel(levels.pop()).label)
    return _("第%(n)d级区划") % {"n": depth}


def region_level_choices(
    *, parent_id: int | None, depth: int, selected_id: int | None = None
) -> RegionLevelChoices | None:
    """The select below `parent_id`; None when that region has no active children."""
    options = region_children(parent_id=parent_id)
    if not options:
        return None
    return RegionLevelChoices(depth, _level_label(options, depth), options, selected_id)


def region_chain(region: Region | None) -> list[RegionLevelChoices]:
    """The selects that show `region` chosen: one per ancestor, then its children's."""
    ids = region.ancestor_ids() if region is not None else []
    levels: list[RegionLevelChoices] = []
    parent_id: int | None = None
    for depth, selected_id in enumerate([*ids, None], start=1):
        level = region_level_choices(parent_id=parent_id, depth=depth, selected_id=selected_id)
        if level is None:
            break
        levels.append(level)
        parent_id = selected_id
        if selected_id is None:
            break
    return levels


def region_from_chain(ids: list[int]) -> Region | None:
    """The deepest region of a picked chain, following parents from the first id.

    A chain broken by a stale lower select (the upper one changed without script) stops at
    the break, so the answer is always a region the citizen really chose.
    """
    if not ids:
        return None
    found = active_regions().in_bulk(ids)
    chosen: Region | None = None
    for pk in ids:
        region = found.get(pk)
        if region is None or region.parent_id != (chosen.pk if chosen else region.parent_id):
            break
        chosen = region
    return chosen


def regions_flat() -> list[tuple[int, str]]:
    """Every active region indented by level, for the picker without script."""
    regions = active_regions()
    if regions.count() > FLAT_REGION_LIMIT:
        regions = regions.filter(depth__lte=3)
    return [
        (region.pk, "\u3000" * (region.depth - 1) + region.name)
        for region in regions.order_by("path")
    ]


def category_groups() -> list[tuple[str, list[tuple[int, str]]]]:
    """Active leaf categories grouped under their first level, labelled by the lower levels."""
    categories = list(Category.objects.filter(is_active=True).order_by("sort_order", "path"))
    by_id = {category.pk: category for category in categories}
    has_children = Category.objects.filter(parent=OuterRef("pk"), is_active=True)
    leaf_ids = set(
        Category.objects.filter(is_active=True)
        .exclude(Exists(has_children))
        .values_list("pk", flat=True)
    )
    groups: dict[int, list[tuple[int, str]]] = {}
    for category in categories:
        if category.pk not in leaf_ids:
            continue
        ancestors = [by_id.get(pk) for pk in category.ancestor_ids()]
        if any(ancestor is None for ancestor in ancestors):
            continue  # below an inactive node
        names = [ancestor.name for ancestor in ancestors if ancestor is not None]
        root_id = category.ancestor_ids()[0]
        groups.setdefault(root_id, []).append((category.pk, " / ".join(names[1:]) or names[0]))
    return [(by_id[root_id].name, options) for root_id, options in groups.items()]


def category_leaf(pk: int) -> Category | None:
    """An active category a citizen may pick (a leaf), or None."""
    valid = {pk for _group, options in category_groups() for pk, _label in options}
    return Category.objects.filter(pk=pk).first() if pk in valid else None


# ----- What a citizen sees of a clue ---------------------------------------------------

CITIZEN_STATUS_TEXT: dict[str, str | Promise] = {
    ClueStatus.RECEIVED: gettext_lazy("已受理，正在转交责任单位"),
    ClueStatus.TRIAGED: gettext_lazy("已受理，正在转交责任单位"),
    ClueStatus.RETURNED: gettext_lazy("已受理，正在重新转交责任单位"),
    ClueStatus.REOPENED: gettext_lazy("已重新受理，正在转交责任单位"),
    ClueStatus.DISPATCHED: gettext_lazy("已转办，等待责任单位签收"),
    ClueStatus.ACCEPTED: gettext_lazy("责任单位正在办理"),
    ClueStatus.EXTENSION_REQUESTED: gettext_lazy("责任单位正在办理"),
    ClueStatus.SENT_BACK: gettext_lazy("责任单位正在办理"),
    ClueStatus.REPORTED: gettext_lazy("责任单位正在办理"),
    ClueStatus.APPROVED: gettext_lazy("办理完毕，正在准备答复"),
    ClueStatus.AWAITING_INFO: gettext_lazy("需要您补充材料，办理计时已暂停"),
    ClueStatus.ANSWERED: gettext_lazy("已答复，欢迎评价"),
    ClueStatus.CLOSED: gettext_lazy("已办结"),
    ClueStatus.REJECTED: gettext_lazy("不予受理"),
    ClueStatus.WITHDRAWN: gettext_lazy("已撤回"),
    ClueStatus.MERGED: gettext_lazy("已与相同问题合并办理"),
}

# Statuses in which a department's handling deadline runs and is worth showing.
DEADLINE_STATUSES = frozenset(
    {ClueStatus.DISPATCHED, ClueStatus.REPORTED, ClueStatus.APPROVED}
    | (IN_HANDLING_STATUSES - {ClueStatus.AWAITING_INFO})
)


def citizen_status_text(status: str) -> str:
    return str(CITIZEN_STATUS_TEXT.get(status, gettext_lazy("处理中")))


@dataclass(frozen=True)
class CitizenEvent:
    """One step of the clue's history as the citizen reads it."""

    at: dt.datetime
    title: str
    detail: str = ""


def _department_name(pk: object) -> str:
    if not isinstance(pk, int):
        return ""
    department = Department.objects.filter(pk=pk).only("name").first()
    return department.name if department else ""


def _label(choices: type[Outcome] | type[RejectionReason] | type[Satisfaction], v: str) -> str:
    return str(choices(v).label) if v in choices.values else ""


def _citizen_event(event: ClueEvent) -> CitizenEvent | None:
    """The event in plain words, or None when the citizen does not see it."""
    payload = event.payload or {}
    by_citizen = event.actor_role == "citizen"
    match event.action:
        case Action.RECEIVE:
            return CitizenEvent(event.created_at, _("受理：已收到您的反映"))
        case Action.IMPORT_ANSWERED:
            return CitizenEvent(event.created_at, _("受理并答复"))
        case Action.DISPATCH:
            lead = _department_name(payload.get("lead"))
            detail = _("责任单位：%(name)s") % {"name": lead} if lead else ""
            return CitizenEvent(event.created_at, _("转办：已交由责任单位办理"), detail)
        case Action.ACCEPT:
            return CitizenEvent(event.created_at, _("办理：责任单位已签收，正在办理"))
        case Action.APPROVE_EXTENSION:
            return CitizenEvent(event.created_at, _("办理期限已延长"))
        case Action.REQUEST_INFO:
            return CitizenEvent(event.created_at, _("请您补充材料"), event.reason)
        case Action.SUPPLY_INFO | Action.ADD_INFO:
            title = _("您补充了材料") if by_citizen else _("已记录您补充的材料")
            return CitizenEvent(event.created_at, title, str(payload.get("text", "")))
        case Action.RESUME:
            return CitizenEvent(event.created_at, _("继续办理"))
        case Action.ANSWER:
            return CitizenEvent(event.created_at, _("答复：已答复您"))
        case Action.CLOSE:
            return CitizenEvent(event.created_at, _("办结"))
        case Action.REOPEN:
            detail = event.reason if by_citizen else ""
            return CitizenEvent(event.created_at, _("重新办理"), detail)
        case Action.REJECT:
            reason = _label(RejectionReason, str(payload.get("reason_code", "")))
            return CitizenEvent(event.created_at, _("不予受理"), reason)
        case Action.WITHDRAW:
            return CitizenEvent(event.created_at, _("已撤回"), event.reason if by_citizen else "")
        case Action.MERGE:
            return CitizenEvent(event.created_at, _("已与相同问题合并办理"))
        case Action.RATE:
            rating = _label(Satisfaction, str(payload.get("satisfaction", "")))
            return CitizenEvent(event.created_at, _("评价：%(rating)s") % {"rating": rating})
    return None


def citizen_timeline(clue: Clue) -> list[CitizenEvent]:
    """The clue's history for its citizen: only the whitelisted, citizen-facing steps."""
    entries = (_citizen_event(event) for event in clue_timeline(clue))
    return [entry for entry in entries if entry is not None]


def citizen_outcome(clue: Clue) -> str:
    return _label(Outcome, clue.outcome)
