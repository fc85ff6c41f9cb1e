"""Reads of the supervisor console (督查): the boards, their rows, and one clue in full.

The boards are one declarative registry, `BOARDS`: a slug, a label, a description and the
queryset of the clues on it, grouped into the console's `SECTIONS`. The home page, the
counts and the paginated lists read nothing else, so a later feature (automatic escalation,
inspections, typical cases) adds its boards, and a section of its own, by appending to
these two tuples.

Supervisors see identities in full, so nothing here is masked; the clue page still reads the
clue through `staff_clue_view`, like every staff page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Count, F, OuterRef, Prefetch, QuerySet, Subquery, Value, When
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.models import User
from minsheng.clues.choices import AssignmentRole
from minsheng.clues.models import (
    Assignment,
    Attachment,
    Clue,
    ClueEvent,
    Tag,
    VerificationReport,
    VerificationStep,
)
from minsheng.clues.selectors import clues_visible_to
from minsheng.clues.services.deadlines import (
    DeadlineState,
    clue_sla,
    deadline_state,
    remaining_working_days,
)
from minsheng.clues.workflow import (
    IN_HANDLING_STATUSES,
    OPEN_STATUSES,
    Action,
    ClueStatus,
    allowed_actions,
)
from minsheng.directory.selectors import EffectiveSLA
from minsheng.web.selectors import staff
from minsheng.workcal.services import add_working_days

StrOrPromise = str | Promise

SUPERVISOR_PAGE_SIZE = 50

# In the department's hands: dispatched (waiting to be signed for) or being handled.
DEPARTMENT_STATUSES = frozenset({ClueStatus.DISPATCHED}) | IN_HANDLING_STATUSES

# The actions the console offers; the transition table decides which apply to a clue now.
CONSOLE_ACTIONS = frozenset(
    {
        Action.APPROVE,
        Action.SEND_BACK,
        Action.APPROVE_EXTENSION,
        Action.DENY_EXTENSION,
        Action.ANSWER,
        Action.CLOSE,
        Action.URGE,
        Action.ESCALATE,
        Action.SET_TAGS,
    }
)


def due_soon_days() -> int:
    """Working days before the handling deadline from which a clue counts as due soon on
    the boards: settings.MINSHENG["SUPERVISION_DUE_SOON_DAYS"], else the warning days used
    when no SLA policy matches. One office-wide threshold, not each SLA policy's
    `warn_days` as the department queue uses: that would need every clue's policy looked
    up, and the board counts must stay a single query."""
    configured = getattr(settings, "MINSHENG", {})
    if "SUPERVISION_DUE_SOON_DAYS" in configured:
        return int(configured["SUPERVISION_DUE_SOON_DAYS"])
    return EffectiveSLA.from_settings().warn_days


# ----- The boards ----------------------------------------------------------------------


@dataclass(frozen=True)
class BoardScope:
    """What every board starts from: the clues the user may see, and the day it is."""

    clues: QuerySet[Clue]
    today: dt.date
    due_soon_days: int

    @property
    def due_soon_before(self) -> dt.date:
        """The first day that is no longer "due soon": a deadline before it has at most
        `due_soon_days` working days left (the rule of `deadline_state`)."""
        return add_working_days(self.today, self.due_soon_days + 1)

    def running_clocks(self) -> QuerySet[Clue]:
        """Clues in a department's hands whose handling clock runs; a clock paused while
        the citizen is asked for information cannot fall due."""
        return self.clues.filter(
            status__in=DEPARTMENT_STATUSES,
            paused_since__isnull=True,
            handle_due__isnull=False,
        )


@dataclass(frozen=True)
class Section:
    """A group of boards on the console's home page."""

    slug: str
    label: StrOrPromise


@dataclass(frozen=True)
class Board:
    """A list of clues a supervisor watches. `queryset` narrows the scope's clues and
    orders them as the list shows them."""

    slug: str
    label: StrOrPromise
    description: StrOrPromise
    queryset: Callable[[BoardScope], QuerySet[Clue]]
    section: str


def _soonest_deadline_first(clues: QuerySet[Clue]) -> QuerySet[Clue]:
    return clues.order_by(F("handle_due").asc(nulls_last=True), "pk")


def _due_soon(scope: BoardScope) -> QuerySet[Clue]:
    return _soonest_deadline_first(
        scope.running_clocks().filter(
            handle_due__gte=scope.today, handle_due__lt=scope.due_soon_before
        )
    )


def _overdue(scope: BoardScope) -> QuerySet[Clue]:
    return _soonest_deadline_first(scope.running_clocks().filter(handle_due__lt=scope.today))


def _awaiting_review(scope: BoardScope) -> QuerySet[Clue]:
    latest_report = VerificationReport.objects.filter(clue=OuterRef("pk")).order_by("-submitted_at")
    return (
        scope.clues.filter(status=ClueStatus.REPORTED)
        .annotate(last_report_at=Subquery(latest_report.values("submitted_at")[:1]))
        .order_by(F("last_report_at").asc(nulls_last=True), "pk")
    )


def _in_status(status: ClueStatus) -> Callable[[BoardScope], QuerySet[Clue]]:
    def clues(scope: BoardScope) -> QuerySet[Clue]:
        return _soonest_deadline_first(scope.clues.filter(status=status))

    return clues


def _reopened(scope: BoardScope) -> QuerySet[Clue]:
    return scope.clues.filter(status=ClueStatus.REOPENED).order_by("received_at", "pk")


def _returned_repeatedly(scope: BoardScope) -> QuerySet[Clue]:
    return scope.clues.filter(status__in=OPEN_STATUSES, return_count__gt=1).order_by(
        "-return_count", "received_at", "pk"
    )


SECTIONS: tuple[Section, ...] = (
    Section("deadlines", _("办理期限")),
    Section("decisions", _("待督查决定")),
    Section("attention", _("重点关注")),
)

BOARDS: tuple[Board, ...] = (
    Board(
        "overdue",
        _("已超期"),
        _("承办单位手中、已过办结期限的线索（暂停计时的除外）。"),
        _overdue,
        "deadlines",
    ),
    Board(
        "due-soon",
        _("即将到期"),
        _("承办单位手中、距办结期限不超过预警工作日的线索。"),
        _due_soon,
        "deadlines",
    ),
    Board(
        "awaiting-review",
        _("待审核"),
        _("承办单位已报结、等待审核的线索，先报先审。"),
        _awaiting_review,
        "decisions",
    ),
    Board(
        "extension-requests",
        _("延期待审批"),
        _("承办单位申请延期、等待批准或驳回的线索。"),
        _in_status(ClueStatus.EXTENSION_REQUESTED),
        "decisions",
    ),
    Board(
        "awaiting-answer",
        _("审核通过待答复"),
        _("结果已审核通过、尚未答复群众的线索。"),
        _in_status(ClueStatus.APPROVED),
        "decisions",
    ),
    Board(
        "returned-repeatedly",
        _("多次退回"),
        _("被承办单位退回两次及以上、仍未办结的线索。"),
        _returned_repeatedly,
        "attention",
    ),
    Board(
        "reopened",
        _("已重启"),
        _("答复后因群众不满意等原因重启、等待重新转办的线索。"),
        _reopened,
        "attention",
    ),
)

BOARDS_BY_SLUG = {board.slug: board for board in BOARDS}


def board_by_slug(slug: str) -> Board | None:
    return BOARDS_BY_SLUG.get(slug)


def board_scope(user: User, *, today: dt.date | None = None) -> BoardScope:
    return BoardScope(
        clues=clues_visible_to(user),
        today=today or timezone.localdate(),
        due_soon_days=due_soon_days(),
    )


def board_counts(
    user: User, *, today: dt.date | None = None, boards: Iterable[Board] = BOARDS
) -> dict[str, int]:
    """How many clues each board holds, counted in one query (one UNION ALL of counts)."""
    boards = list(boards)
    if not boards:
        return {}
    scope = board_scope(user, today=today)
    counts = [
        board.queryset(scope)
        .order_by()
        .annotate(board=Value(index))
        .values("board")
        .annotate(n=Count("pk", distinct=True))
        .values_list("board", "n")
        for index, board in enumerate(boards)
    ]
    rows = dict(counts[0].union(*counts[1:], all=True))
    return {board.slug: rows.get(index, 0) for index, board in enumerate(boards)}


@dataclass(frozen=True)
class BoardSection:
    """A section of the home page with its boards and their counts."""

    section: Section
    boards: list[tuple[Board, int]]


def console_sections(user: User, *, today: dt.date | None = None) -> list[BoardSection]:
    counts = board_counts(user, today=today)
    sections = [
        BoardSection(
            section,
            [(board, counts[board.slug]) for board in BOARDS if board.section == section.slug],
        )
        for section in SECTIONS
    ]
    return [section for section in sections if section.boards]


# ----- The rows of a board -------------------------------------------------------------


def _latest_lead_department() -> Subquery:
    lead = Assignment.objects.filter(clue=OuterRef("pk"), role=AssignmentRole.LEAD).order_by(
        "-dispatched_at", "-pk"
    )
    return Subquery(lead.values("department__name")[:1])


def board_clues(user: User, board: Board, *, today: dt.date | None = None) -> QuerySet[Clue]:
    """The board's clues with the lead department's name joined (one query per page)."""
    return board.queryset(board_scope(user, today=today)).annotate(
        lead_department_name=_latest_lead_department()
    )


# The shared stylesheet's classes for each state; the words are always printed beside.
_STATE_CSS = {
    DeadlineState.NORMAL: "due-normal",
    DeadlineState.DUE_SOON: "due-soon",
    DeadlineState.OVERDUE: "due-overdue",
}
_ROW_CSS = {
    DeadlineState.DUE_SOON: "row-due-soon",
    DeadlineState.OVERDUE: "row-overdue",
}


@dataclass(frozen=True)
class Deadline:
    """The handling deadline as the console shows it: date, working days left, and (while a
    department's clock runs) normal, due soon or overdue, always with words."""

    due: dt.date | None
    remaining_days: int | None
    state: DeadlineState | None
    paused: bool
    past: bool

    @property
    def css(self) -> str:
        return _STATE_CSS.get(self.state, "") if self.state is not None else ""

    @property
    def row_css(self) -> str:
        return _ROW_CSS.get(self.state, "") if self.state is not None else ""

    @property
    def remaining_text(self) -> str:
        if self.due is None or self.remaining_days is None:
            return ""
        if self.paused:
            return gettext("计时暂停")
        if self.past:
            late = -self.remaining_days
            if late <= 0:
                return gettext("已过期限")
            return ngettext("超期 %(n)d 个工作日", "超期 %(n)d 个工作日", late) % {"n": late}
        if self.remaining_days == 0:
            return gettext("今日到期")
        return ngettext("剩余 %(n)d 个工作日", "剩余 %(n)d 个工作日", self.remaining_days) % {
            "n": self.remaining_days
        }


def clue_deadline(clue: Clue, *, today: dt.date | None = None) -> Deadline:
    today = today or timezone.localdate()
    due = clue.handle_due
    if due is None:
        return Deadline(due=None, remaining_days=None, state=None, paused=False, past=False)
    paused = clue.paused_since is not None
    running = clue.status in DEPARTMENT_STATUSES and not paused
    # Once answered (or ended) the deadline is history: its date stays, no days are counted.
    counting = clue.status in DEPARTMENT_STATUSES | {ClueStatus.REPORTED, ClueStatus.APPROVED}
    return Deadline(
        due=due,
        remaining_days=remaining_working_days(due, today=today) if counting else None,
        state=deadline_state(due, warn_days=due_soon_days(), today=today) if running else None,
        paused=paused,
        past=today > due,
    )


@dataclass(frozen=True)
class BoardRow:
    clue: Clue
    lead_department: str
    deadline: Deadline


def board_rows(clues: Iterable[Clue], *, today: dt.date | None = None) -> list[BoardRow]:
    """Rows of clues read through `board_clues` (no further queries)."""
    today = today or timezone.localdate()
    return [
        BoardRow(
            clue=clue,
            lead_department=getattr(clue, "lead_department_name", None) or "",
            deadline=clue_deadline(clue, today=today),
        )
        for clue in clues
    ]


# ----- One clue in full ----------------------------------------------------------------


@dataclass(frozen=True)
class ReportView:
    """A verification report with its methods in words and its evidence."""

    report: VerificationReport
    methods: list[str]
    evidence: list[Attachment]


@dataclass(frozen=True)
class ExtensionRequest:
    """The pending extension request and how much extension the SLA still allows."""

    days: int
    reason: str
    requested_at: dt.datetime
    requested_by: str
    extended_days: int
    limit_days: int

    @property
    def grantable_days(self) -> int:
        return max(0, min(self.days, self.limit_days - self.extended_days))


@dataclass(frozen=True)
class Supervision:
    """What supervision has done on the clue so far: reminders and formal escalation."""

    urge_count: int
    last_urged_at: dt.datetime | None
    escalation_level: str
    escalated_at: dt.datetime | None


@dataclass(frozen=True)
class ClueDossier:
    """Everything the supervisor's clue page shows."""

    view: staff.StaffClueView
    events: list[staff.StaffEvent]
    files: staff.ClueFiles
    assignments: list[Assignment]
    reports: list[ReportView]
    deadline: Deadline
    extension_request: ExtensionRequest | None
    supervision: Supervision
    is_typical: bool

    @property
    def proposed_answer(self) -> str:
        """The latest report's proposed answer to the citizen (the answer form's start)."""
        return self.reports[0].report.proposed_answer if self.reports else ""


def clue_with_card_rows(clue_id: int) -> Clue:
    """The clue with the rows its card shows joined; the caller has checked access."""
    return Clue.objects.select_related("category", "region", "triage").get(pk=clue_id)


def _assignments(clue: Clue) -> list[Assignment]:
    steps = VerificationStep.objects.select_related("recorded_by").order_by("performed_at", "pk")
    lead_first = Case(When(role=AssignmentRole.LEAD, then=Value(0)), default=Value(1))
    return list(
        clue.assignments.select_related("department")
        .prefetch_related(Prefetch("steps", queryset=steps))
        .order_by("dispatched_at", lead_first, "pk")
    )


def _reports(clue: Clue) -> list[ReportView]:
    evidence = Attachment.objects.order_by("pk")
    reports = (
        clue.reports.select_related("assignment__department", "submitted_by")
        .prefetch_related(Prefetch("evidence", queryset=evidence))
        .order_by("-submitted_at", "-pk")
    )
    return [
        ReportView(
            report=report,
            methods=staff.method_labels(report.methods),
            evidence=list(report.evidence.all()),
        )
        for report in reports
    ]


SUPERVISION_ACTIONS = (Action.REQUEST_EXTENSION, Action.URGE, Action.ESCALATE)


def _supervision_events(clue: Clue) -> list[ClueEvent]:
    return list(clue.events.filter(action__in=SUPERVISION_ACTIONS).order_by("seq"))


def _extension_request(clue: Clue, events: list[ClueEvent]) -> ExtensionRequest | None:
    if clue.status != ClueStatus.EXTENSION_REQUESTED:
        return None
    requests = [event for event in events if event.action == Action.REQUEST_EXTENSION]
    if not requests:
        return None
    latest = requests[-1]
    return ExtensionRequest(
        days=int(latest.payload.get("days") or 0),
        reason=latest.reason,
        requested_at=latest.created_at,
        requested_by=latest.actor_name,
        extended_days=clue.extension_days,
        limit_days=clue_sla(clue).extension_limit_days,
    )


def _supervision(events: list[ClueEvent]) -> Supervision:
    urges = [event for event in events if event.action == Action.URGE]
    escalations = [event for event in events if event.action == Action.ESCALATE]
    # 挂牌督办 outranks 督办: once listed, a later plain escalation does not lower it.
    levels = [str(event.payload.get("level") or "supervise") for event in escalations]
    level = "listed" if "listed" in levels else (levels[-1] if levels else "")
    return Supervision(
        urge_count=len(urges),
        last_urged_at=urges[-1].created_at if urges else None,
        escalation_level=level,
        escalated_at=escalations[-1].created_at if escalations else None,
    )


def clue_dossier(user: User, clue: Clue, *, today: dt.date | None = None) -> ClueDossier:
    events = _supervision_events(clue)
    return ClueDossier(
        view=staff.staff_clue_view(user, clue),
        events=staff.staff_timeline(user, clue),
        files=staff.clue_files(clue),
        assignments=_assignments(clue),
        reports=_reports(clue),
        deadline=clue_deadline(clue, today=today),
        extension_request=_extension_request(clue, events),
        supervision=_supervision(events),
        is_typical=clue.tags.filter(slug=Tag.TYPICAL).exists(),
    )


def console_actions(user: User, clue: Clue) -> frozenset[Action]:
    """The console's actions the transition table allows this user on the clue now."""
    return frozenset(allowed_actions(clue.status, user.role)) & CONSOLE_ACTIONS
