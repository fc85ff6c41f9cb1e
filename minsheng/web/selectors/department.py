"""Reads of the department workbench (承办): the department's assignments with their
deadlines counted in working days, and one clue as its department works on it.

Everything here is limited to the requesting user's department; the clue page's caller
has already checked that the user may see the clue (`accessible_clue`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields

from django.conf import settings
from django.db.models import Case, Count, F, Q, QuerySet, When
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.models import User
from minsheng.clues import permissions
from minsheng.clues.choices import AssignmentRole, AssignmentStatus
from minsheng.clues.models import (
    Assignment,
    Clue,
    VerificationReport,
    VerificationStep,
)
from minsheng.clues.services.deadlines import (
    DeadlineState,
    clue_sla,
    deadline_state,
    remaining_working_days,
)
from minsheng.clues.workflow import IN_HANDLING_STATUSES, Action, allowed_actions
from minsheng.directory.models import Category, SLAPolicy
from minsheng.directory.selectors import EffectiveSLA
from minsheng.web.selectors import staff

DEPARTMENT_PAGE_SIZE = 25
# The signing deadline is a day or two long, so it warns only this many working days
# before it falls due (0: on its last day). settings.MINSHENG["DEPARTMENT_ACCEPT_WARN_DAYS"].
DEFAULT_ACCEPT_WARN_DAYS = 0

S = AssignmentStatus


@dataclass(frozen=True)
class StatusFilter:
    """One choice of the queue's status filter and the assignment statuses it covers."""

    value: str
    label: Promise
    statuses: frozenset[AssignmentStatus]


STATUS_FILTERS = (
    StatusFilter("pending", _("待签收"), frozenset({S.PENDING})),
    StatusFilter("in_hand", _("办理中"), frozenset({S.ACCEPTED})),
    # The department's part is handed in: the lead reported, or a co-handler contributed.
    StatusFilter("reported", _("已报送"), frozenset({S.REPORTED, S.CONTRIBUTED})),
    StatusFilter("finished", _("已结束"), frozenset({S.COMPLETED, S.RETURNED, S.CANCELLED})),
)
STATUS_FILTER_ALL = "all"
# Without a status filter the queue shows what is not finished.
UNFINISHED_STATUSES = frozenset(status for group in STATUS_FILTERS[:3] for status in group.statuses)


def accept_warn_days() -> int:
    options = getattr(settings, "MINSHENG", {})
    return int(options.get("DEPARTMENT_ACCEPT_WARN_DAYS", DEFAULT_ACCEPT_WARN_DAYS))


# ----- The queue -----------------------------------------------------------------------


def department_queue(user: User, *, status: str = "", role: str = "") -> QuerySet[Assignment]:
    """The user's department's assignments, the nearest deadline first (the signing
    deadline while pending, the handling deadline after); unknown filter values are
    ignored. One query per page, with the clue, its category and triage joined."""
    if not user.is_active or not permissions.is_department_role(user.role):
        return Assignment.objects.none()
    if user.department_id is None:
        return Assignment.objects.none()
    assignments = Assignment.objects.filter(department_id=user.department_id).select_related(
        "clue", "clue__category", "clue__triage"
    )
    chosen = next((group for group in STATUS_FILTERS if group.value == status), None)
    if chosen is not None:
        assignments = assignments.filter(status__in=chosen.statuses)
    elif status != STATUS_FILTER_ALL:
        assignments = assignments.filter(status__in=UNFINISHED_STATUSES)
    if role in AssignmentRole.values:
        assignments = assignments.filter(role=role)
    due = Case(When(status=S.PENDING, then=F("accept_due")), default=F("handle_due"))
    return assignments.order_by(due, "pk")


def queue_counts(user: User) -> dict[str, int]:
    """How many of the department's assignments are in each status group (one query)."""
    if not permissions.is_department_role(user.role) or user.department_id is None:
        return {group.value: 0 for group in STATUS_FILTERS}
    return Assignment.objects.filter(department_id=user.department_id).aggregate(
        **{
            group.value: Count("pk", filter=Q(status__in=group.statuses))
            for group in STATUS_FILTERS
        }
    )


class WarnDays:
    """The SLA warning period (预警提前) for any category and priority, from one query.

    Resolves exactly as `directory.selectors.sla_for` does — the deepest category policy
    wins, then one for exactly this priority — so a page of rows costs one query, not one
    per row.
    """

    def __init__(self) -> None:
        self._policies = list(SLAPolicy.objects.select_related("category"))
        self._default = EffectiveSLA.from_settings().warn_days

    def __call__(self, category: Category | None, priority: str) -> int:
        ancestors = set(category.ancestor_ids()) if category is not None else set()
        candidates = [
            policy
            for policy in self._policies
            if (policy.category_id is None or policy.category_id in ancestors)
            and policy.priority in (priority, "")
        ]
        best = max(
            candidates,
            key=lambda p: (p.category.depth if p.category else 0, bool(p.priority), -p.pk),
            default=None,
        )
        return best.warn_days if best is not None else self._default


# The shared stylesheet's classes for each state; the words are always printed beside.
_DUE_CSS: dict[str, str] = {
    DeadlineState.NORMAL.value: "due-normal",
    DeadlineState.DUE_SOON.value: "due-soon",
    DeadlineState.OVERDUE.value: "due-overdue",
}
_ROW_CSS: dict[str, str] = {
    DeadlineState.DUE_SOON.value: "row-due-soon",
    DeadlineState.OVERDUE.value: "row-overdue",
}


@dataclass(frozen=True)
class DueInfo:
    """Where one assignment's running deadline stands, in words as well as colour."""

    due: dt.date
    kind: Promise
    days_left: int
    state: str
    label: Promise

    @property
    def overdue_days(self) -> int:
        return -self.days_left

    @property
    def css(self) -> str:
        return _DUE_CSS.get(self.state, "")

    @property
    def row_css(self) -> str:
        return _ROW_CSS.get(self.state, "")


PAUSED = "paused"


def assignment_due(
    assignment: Assignment, *, warn_days: int, today: dt.date | None = None
) -> DueInfo | None:
    """The deadline the department is working against: signing while pending, handling
    while accepted; none once its part is handed in or over. While the clue waits for the
    citizen the clock stands still, and the page says so instead of counting."""
    today = today or timezone.localdate()
    if assignment.status == S.PENDING:
        due, kind, warn = assignment.accept_due, _("签收期限"), accept_warn_days()
    elif assignment.status == S.ACCEPTED:
        due, kind, warn = assignment.handle_due, _("办结期限"), warn_days
    else:
        return None
    days_left = remaining_working_days(due, today=today)
    if assignment.status == S.ACCEPTED and assignment.clue.paused_since is not None:
        return DueInfo(due, kind, days_left, PAUSED, _("计时暂停"))
    state = deadline_state(due, warn_days=warn, today=today)
    return DueInfo(due, kind, days_left, state.value, state.label)


@dataclass(frozen=True)
class QueueRow:
    """One line of the department's queue."""

    assignment: Assignment
    clue: Clue
    title: str
    due: DueInfo | None


def queue_rows(
    assignments: Iterable[Assignment], *, today: dt.date | None = None
) -> list[QueueRow]:
    """The page's rows with masked titles and deadlines (one query for the SLA policies)."""
    warn_days = WarnDays()
    rows = []
    for assignment in assignments:
        clue = assignment.clue
        rows.append(
            QueueRow(
                assignment=assignment,
                clue=clue,
                title=staff.masked_title(clue),
                due=assignment_due(
                    assignment, warn_days=warn_days(clue.category, clue.priority), today=today
                ),
            )
        )
    return rows


# ----- One clue ------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentActions:
    """What the department may do on the clue now; the services check it all again."""

    accept: bool = False
    return_clue: bool = False
    extension: bool = False
    request_info: bool = False
    resume: bool = False
    step: bool = False
    report: bool = False
    co_accept: bool = False
    co_return: bool = False
    contribute: bool = False
    reveal: bool = False

    def offers(self, name: str) -> bool:
        return bool(getattr(self, name, False))

    @property
    def any_work(self) -> bool:
        """Any action besides the identity reveal."""
        return any(getattr(self, f.name) for f in fields(self) if f.name != "reveal")


@dataclass(frozen=True)
class ReportEntry:
    """A result report as the page shows it, with its methods in words."""

    report: VerificationReport
    method_labels: list[str]


@dataclass(frozen=True)
class DepartmentClue:
    """One clue as the user's department works on it."""

    round: list[Assignment]
    mine: Assignment | None
    leads_round: bool
    due: DueInfo | None
    steps: list[VerificationStep]
    reports: list[ReportEntry]
    actions: DepartmentActions
    round_methods: list[str]

    def contribution_visible(self, assignment: Assignment) -> bool:
        """Co-handlers' contributions go to the lead; each co-handler sees its own."""
        return self.leads_round or (
            self.mine is not None and assignment.department_id == self.mine.department_id
        )

    @property
    def visible_contributions(self) -> list[Assignment]:
        return [
            a
            for a in self.round
            if a.role == AssignmentRole.CO and a.contribution and self.contribution_visible(a)
        ]


def current_round(clue: Clue) -> list[Assignment]:
    """The assignments of the latest dispatch, lead first, departments joined."""
    assignments = list(
        clue.assignments.select_related("department").order_by("-dispatched_at", "pk")
    )
    if not assignments:
        return []
    latest = assignments[0].dispatched_at
    this_round = [a for a in assignments if a.dispatched_at == latest]
    return sorted(this_round, key=lambda a: (a.role != AssignmentRole.LEAD, a.pk))


def _my_assignment(round_: list[Assignment], department_id: int | None) -> Assignment | None:
    """The department's assignment in this round, a live one first (as the services pick)."""
    mine = [a for a in round_ if department_id is not None and a.department_id == department_id]
    live = [a for a in mine if a.status in permissions.LIVE_ASSIGNMENT_STATUSES]
    candidates = live or mine
    return max(candidates, key=lambda a: a.pk) if candidates else None


def department_actions(
    user: User, clue: Clue, mine: Assignment | None, *, may_reveal: bool
) -> DepartmentActions:
    """The actions to offer: the transition table for the status and role, and the state
    of the department's own assignment in the current round."""
    if mine is None or mine.status not in permissions.LIVE_ASSIGNMENT_STATUSES:
        return DepartmentActions()
    allowed = set(allowed_actions(clue.status, user.role))
    lead = mine.role == AssignmentRole.LEAD
    co = mine.role == AssignmentRole.CO
    status = mine.status

    def can(action: Action, when: bool, *statuses: AssignmentStatus) -> bool:
        return action in allowed and when and status in statuses

    return DepartmentActions(
        accept=can(Action.ACCEPT, lead, S.PENDING),
        return_clue=can(Action.RETURN, lead, S.PENDING, S.ACCEPTED),
        extension=can(Action.REQUEST_EXTENSION, lead, S.ACCEPTED),
        request_info=can(Action.REQUEST_INFO, lead, S.ACCEPTED),
        resume=can(Action.RESUME, lead, S.ACCEPTED),
        step=clue.status in IN_HANDLING_STATUSES and status in (S.ACCEPTED, S.CONTRIBUTED),
        report=can(Action.REPORT, lead, S.ACCEPTED),
        co_accept=can(Action.CO_ACCEPT, co, S.PENDING),
        co_return=can(Action.CO_RETURN, co, S.PENDING, S.ACCEPTED),
        contribute=can(Action.CO_CONTRIBUTE, co, S.ACCEPTED),
        reveal=Action.REVEAL_IDENTITY in allowed and may_reveal,
    )


def department_clue(
    user: User, clue: Clue, *, may_reveal: bool, today: dt.date | None = None
) -> DepartmentClue:
    """The round, the department's own assignment and deadline, the verification so far
    and the actions on offer. `may_reveal` comes from the staff clue view."""
    round_ = current_round(clue)
    mine = _my_assignment(round_, user.department_id)
    steps = list(
        VerificationStep.objects.filter(assignment__clue=clue)
        .select_related("assignment__department", "recorded_by")
        .prefetch_related("evidence")
        .order_by("performed_at", "pk")
    )
    reports = [
        ReportEntry(report, staff.method_labels(report.methods))
        for report in VerificationReport.objects.filter(clue=clue)
        .select_related("assignment__department", "submitted_by")
        .prefetch_related("evidence")
        .order_by("submitted_at", "pk")
    ]
    round_ids = {a.pk for a in round_}
    round_methods = sorted({s.method for s in steps if s.assignment_id in round_ids})
    due = None
    if mine is not None:
        due = assignment_due(mine, warn_days=clue_sla(clue).warn_days, today=today)
    return DepartmentClue(
        round=round_,
        mine=mine,
        leads_round=mine is not None and mine.role == AssignmentRole.LEAD,
        due=due,
        steps=steps,
        reports=reports,
        actions=department_actions(user, clue, mine, may_reveal=may_reveal),
        round_methods=round_methods,
    )
