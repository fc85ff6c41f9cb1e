"""Reads of the intake workbench: the queue and its counts, the AI's suggestions, and two
clues side by side for linking or merging duplicates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minsheng.accounts.models import User
from minsheng.clues.choices import LinkKind
from minsheng.clues.models import Clue, ClueLink, Complainant
from minsheng.clues.selectors import clues_visible_to
from minsheng.clues.workflow import (
    INTAKE_QUEUE_STATUSES,
    TERMINAL_STATUSES,
    Action,
    ClueStatus,
    allowed_actions,
)
from minsheng.directory.choices import Priority
from minsheng.directory.models import Department
from minsheng.triage.models import TriageResult
from minsheng.web.selectors.staff import StaffClueView, staff_clue_view, triage_of

INTAKE_PAGE_SIZE = 50
# Queue orderings by the `sort` parameter; the first is the default.
INTAKE_SORTS = ("-received", "received", "priority")
_PRIORITY_RANK = {"urgent": 0, "high": 1, "normal": 2, "low": 3}


def intake_queue(
    user: User, *, status: str = "", priority: str = "", sort: str = ""
) -> QuerySet[Clue]:
    """Clues waiting for intake that `user` may see, with their triage and directory rows
    joined (one query per page); unknown filter values are ignored."""
    clues = (
        clues_visible_to(user)
        .filter(status__in=INTAKE_QUEUE_STATUSES)
        .select_related("triage", "category", "region")
    )
    if status in INTAKE_QUEUE_STATUSES:
        clues = clues.filter(status=status)
    if priority in Priority.values:
        clues = clues.filter(priority=priority)
    if sort == "received":
        return clues.order_by("received_at", "pk")
    if sort == "priority":
        rank = Case(
            *(When(priority=value, then=Value(n)) for value, n in _PRIORITY_RANK.items()),
            default=Value(len(_PRIORITY_RANK)),
            output_field=IntegerField(),
        )
        return clues.order_by(rank, "-received_at", "-pk")
    return clues.order_by("-received_at", "-pk")


@dataclass(frozen=True)
class StatusCount:
    """How many clues wait for intake in one status (the summary above the queue)."""

    status: str
    label: str
    count: int


def intake_status_counts(user: User) -> list[StatusCount]:
    """Waiting clues per intake status that `user` may see, in workflow order, zeros
    included; one query whatever the queue's length."""
    rows = (
        clues_visible_to(user)
        .filter(status__in=INTAKE_QUEUE_STATUSES)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = dict(rows)
    return [
        StatusCount(status.value, str(status.label), counts.get(status.value, 0))
        for status in ClueStatus
        if status in INTAKE_QUEUE_STATUSES
    ]


@dataclass(frozen=True)
class IntakeSuggestion:
    """The AI's suggestions for one queue row, in the words the table shows."""

    category: str
    probability: float | None
    lead_name: str
    urgency: str
    duplicates: int


def intake_suggestion(result: TriageResult | None) -> IntakeSuggestion | None:
    if result is None:
        return None
    top = result.categories[0] if result.categories else {}
    probability = top.get("probability")
    level = str(result.urgency.get("level") or "")
    return IntakeSuggestion(
        category=str(top.get("label") or ""),
        probability=float(probability) if probability is not None else None,
        lead_name=str(result.routing.get("lead_name") or ""),
        urgency=str(Priority(level).label) if level in Priority.values else level,
        duplicates=sum(1 for d in result.duplicates if d.get("kind") == "duplicate"),
    )


def intake_display_title(clue: Clue) -> str:
    """The masked title when triage made one (intake lists must not spread identities)."""
    result = triage_of(clue)
    return result.masked_title if result is not None and result.masked_title else clue.title


def intake_departments() -> QuerySet[Department]:
    return Department.objects.filter(is_active=True).order_by("name")


def departments_by_id(ids: list[int]) -> dict[int, Department]:
    return {department.pk: department for department in Department.objects.filter(pk__in=ids)}


# ----- Duplicates: candidates, lookup and the side-by-side comparison --------------------


@dataclass(frozen=True)
class CompareCandidate:
    """A clue worth comparing with the one on screen: suggested by triage, or linked."""

    clue_id: int
    tracking_code: str
    kind: str
    score: float | None
    same_complainant: bool
    link_kind: str

    @property
    def link_label(self) -> str:
        return str(LinkKind(self.link_kind).label) if self.link_kind in LinkKind.values else ""


def compare_candidates(clue: Clue) -> list[CompareCandidate]:
    """The triage's likely duplicates and similar clues (best first), then clues already
    linked to this one in either direction; one query for the links."""
    links: dict[int, tuple[str, str]] = {}
    for link in ClueLink.objects.filter(Q(from_clue=clue) | Q(to_clue=clue)).select_related(
        "from_clue", "to_clue"
    ):
        other = link.to_clue if link.from_clue_id == clue.pk else link.from_clue
        links.setdefault(other.pk, (other.tracking_code, link.kind))
    candidates: list[CompareCandidate] = []
    result = triage_of(clue)
    for entry in result.duplicates if result is not None else []:
        other_id = _clue_id_of(entry)
        if other_id is None or other_id == clue.pk:
            continue
        score = entry.get("score")
        candidates.append(
            CompareCandidate(
                clue_id=other_id,
                tracking_code=str(entry.get("tracking_code") or links.get(other_id, ("",))[0]),
                kind=str(entry.get("kind") or LinkKind.SIMILAR),
                score=float(score) if score is not None else None,
                same_complainant=bool(entry.get("same_complainant")),
                link_kind=links.pop(other_id, ("", ""))[1],
            )
        )
    candidates.extend(
        CompareCandidate(pk, code, kind, None, False, kind) for pk, (code, kind) in links.items()
    )
    return candidates


def _clue_id_of(entry: dict[str, object]) -> int | None:
    value = entry.get("clue_id")
    if isinstance(value, int):
        return value
    return int(str(value)) if str(value).isdigit() else None


@dataclass(frozen=True)
class Similarity:
    """What triage said about a pair of clues."""

    score: float | None
    kind: str
    same_complainant: bool


def triage_similarity(clue: Clue, other: Clue) -> Similarity | None:
    """The triage's score for the pair, from either clue's result (the newer clue's triage
    usually names the older one, not the other way round)."""
    for result, target in ((triage_of(clue), other.pk), (triage_of(other), clue.pk)):
        for entry in result.duplicates if result is not None else []:
            if _clue_id_of(entry) == target:
                score = entry.get("score")
                return Similarity(
                    score=float(score) if score is not None else None,
                    kind=str(entry.get("kind") or LinkKind.SIMILAR),
                    same_complainant=bool(entry.get("same_complainant")),
                )
    return None


class SameComplainant:
    """The verdict of comparing two clues' complainants."""

    YES = "yes"  # the same phone number or ID number
    NAME_ONLY = "name_only"  # only the names agree: perhaps namesakes
    NO = "no"
    UNKNOWN = "unknown"  # anonymous, or nothing to compare on both sides


# Identity fields compared, strongest first; phone and ID number identify a person.
_IDENTIFYING_FIELDS = ("phone", "id_number")
_COMPARED_FIELDS = (*_IDENTIFYING_FIELDS, "name")
_IDENTITY_LABELS = {
    "phone": gettext_lazy("手机号码"),
    "id_number": gettext_lazy("身份证号"),
    "name": gettext_lazy("姓名"),
}


@dataclass(frozen=True)
class ComplainantMatch:
    """Whether two clues come from the same person, without the values themselves, so
    that it can be shown to anyone who may see both clues."""

    verdict: str
    matched: list[str]

    @property
    def text(self) -> str:
        # Translators: the separator between the items of a list
        fields = _("、").join(self.matched)
        return {
            SameComplainant.YES: _("是（%(fields)s一致）") % {"fields": fields},
            SameComplainant.NAME_ONLY: _("无法确定：仅姓名相同，可能是同名的不同人"),
            SameComplainant.NO: _("否"),
        }.get(self.verdict, _("无法判断：匿名反映或未留可比对的身份信息"))


def _normalized(field: str, value: str) -> str:
    value = value.strip()
    return value.upper() if field == "id_number" else value


def complainant_match(clue: Clue, other: Clue) -> ComplainantMatch:
    """Compare phone, ID number and name of the two complainants (one query)."""
    rows = {c.clue_id: c for c in Complainant.objects.filter(clue_id__in=[clue.pk, other.pk])}
    mine, theirs = rows.get(clue.pk), rows.get(other.pk)
    if mine is None or theirs is None:
        return ComplainantMatch(SameComplainant.UNKNOWN, [])
    compared: list[str] = []
    matched: list[str] = []
    for field in _COMPARED_FIELDS:
        a = _normalized(field, getattr(mine, field))
        b = _normalized(field, getattr(theirs, field))
        if a and b:
            compared.append(field)
            if a == b:
                matched.append(field)
    labels = [str(_IDENTITY_LABELS[field]) for field in matched]
    if not compared:
        return ComplainantMatch(SameComplainant.UNKNOWN, [])
    if any(field in matched for field in _IDENTIFYING_FIELDS):
        return ComplainantMatch(SameComplainant.YES, labels)
    if matched:
        return ComplainantMatch(SameComplainant.NAME_ONLY, labels)
    return ComplainantMatch(SameComplainant.NO, [])


def link_between(clue: Clue, other: Clue) -> ClueLink | None:
    """The link recorded between the two clues, in either direction."""
    pair = Q(from_clue=clue, to_clue=other) | Q(from_clue=other, to_clue=clue)
    return ClueLink.objects.filter(pair).order_by("-created_at", "-pk").first()


def link_blocker(user: User, clue: Clue) -> str:
    """Why `user` may not link `clue` now ('' when they may); `clue_link` checks again."""
    if Action.LINK in allowed_actions(clue.status, user.role):
        return ""
    return _("本线索状态为“%(status)s”，不能再关联其他线索。") % {
        "status": clue.get_status_display()
    }


def merge_blocker(user: User, clue: Clue, into: Clue) -> str:
    """Why `user` may not merge `clue` into `into` now ('' when they may).

    Mirrors the preconditions of `clues.services.intake.clue_merge` (the transition
    table's sources and roles for MERGE, a target that has not ended, not itself), which
    the service checks again on the server.
    """
    if into.pk == clue.pk:
        return _("不能合并到自身。")
    if Action.MERGE not in allowed_actions(clue.status, user.role):
        return _("本线索状态为“%(status)s”，不能合并。") % {"status": clue.get_status_display()}
    if into.status in TERMINAL_STATUSES:
        return _("对比线索已结束（%(status)s），不能合并到该线索。") % {
            "status": into.get_status_display()
        }
    return ""


# Clue fields shown side by side and marked when both clues agree.
COMPARED_CLUE_FIELDS = ("category_id", "region_id", "place_text", "channel", "status")


@dataclass(frozen=True)
class ClueComparison:
    """Two clues side by side as `user` may read them, and what may be done with the pair."""

    this: StaffClueView
    other: StaffClueView
    similarity: Similarity | None
    complainant: ComplainantMatch
    link: ClueLink | None
    same: frozenset[str]
    link_blocker: str
    merge_blocker: str

    @property
    def suggested_kind(self) -> str:
        if self.link is not None:
            return self.link.kind
        return self.similarity.kind if self.similarity is not None else LinkKind.SIMILAR


def clue_comparison(user: User, clue: Clue, other: Clue) -> ClueComparison:
    """The comparison of `clue` (on screen) with `other`; the caller has checked that the
    user may see both. Identity and text go through `staff_clue_view`, masked by role."""
    return ClueComparison(
        this=staff_clue_view(user, clue),
        other=staff_clue_view(user, other),
        similarity=triage_similarity(clue, other),
        complainant=complainant_match(clue, other),
        link=link_between(clue, other),
        same=frozenset(
            name
            for name in COMPARED_CLUE_FIELDS
            if getattr(clue, name) not in (None, "") and getattr(clue, name) == getattr(other, name)
        ),
        link_blocker=link_blocker(user, clue),
        merge_blocker=merge_blocker(user, clue, other),
    )


@dataclass(frozen=True)
class BackInIntake:
    """Why a clue is back in the intake queue: who sent it back, when, and what they said."""

    action: str
    at: dt.datetime
    reason: str
    department: str
    suggested_department: str


def back_in_intake(clue: Clue) -> BackInIntake | None:
    """The latest return or reopening of a returned or reopened clue, for the operator who
    must route it again (None for other statuses)."""
    if clue.status not in (ClueStatus.RETURNED, ClueStatus.REOPENED):
        return None
    event = clue.events.filter(action__in=[Action.RETURN, Action.REOPEN]).order_by("-seq").first()
    if event is None:
        return None
    payload = event.payload or {}
    department_id = payload.get("department")
    department = (
        Department.objects.filter(pk=department_id).values_list("name", flat=True).first()
        if isinstance(department_id, int)
        else None
    )
    return BackInIntake(
        action=event.action,
        at=event.created_at,
        reason=event.reason,
        department=department or "",
        suggested_department=str(payload.get("suggested_department") or ""),
    )
