"""The clue lifecycle: statuses, actions and the one table of allowed transitions.

Nothing else in Minsheng changes a clue's status: `services.lifecycle.clue_transition` looks
the action up here, checks the source status and the actor's role, applies the deadline
effect and writes the event. Each edge says why it exists; keep the table tight.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.roles import Role


class ClueStatus(models.TextChoices):
    # Intake (受理)
    RECEIVED = "received", _("已接收")
    TRIAGED = "triaged", _("已分拣")
    RETURNED = "returned", _("已退回待重新转办")
    REOPENED = "reopened", _("已重启")
    # Department work (承办)
    DISPATCHED = "dispatched", _("已转办待签收")
    ACCEPTED = "accepted", _("办理中")
    EXTENSION_REQUESTED = "extension_requested", _("延期申请中")
    AWAITING_INFO = "awaiting_info", _("待群众补充材料")
    SENT_BACK = "sent_back", _("退回重办")
    # Review and answer (审核、答复)
    REPORTED = "reported", _("已报结待审核")
    APPROVED = "approved", _("审核通过待答复")
    ANSWERED = "answered", _("已答复")
    # Ends
    CLOSED = "closed", _("已办结")
    REJECTED = "rejected", _("不予受理")
    WITHDRAWN = "withdrawn", _("已撤回")
    MERGED = "merged", _("已合并")


S = ClueStatus

TERMINAL_STATUSES = frozenset({S.CLOSED, S.REJECTED, S.WITHDRAWN, S.MERGED})
# Statuses in which a department is working and its handling clock runs (or is paused).
IN_HANDLING_STATUSES = frozenset({S.ACCEPTED, S.EXTENSION_REQUESTED, S.AWAITING_INFO, S.SENT_BACK})
# Statuses waiting for intake to route the clue.
INTAKE_QUEUE_STATUSES = frozenset({S.RECEIVED, S.TRIAGED, S.RETURNED, S.REOPENED})
OPEN_STATUSES = frozenset(set(S) - TERMINAL_STATUSES)


class Action(models.TextChoices):
    RECEIVE = "receive", _("接收")
    IMPORT_ANSWERED = "import_answered", _("导入已答复历史")
    TRIAGE = "triage", _("分拣")
    DISPATCH = "dispatch", _("转办")
    ACCEPT = "accept", _("签收")
    RETURN = "return", _("退回（非本单位职责）")
    REQUEST_EXTENSION = "request_extension", _("申请延期")
    APPROVE_EXTENSION = "approve_extension", _("批准延期")
    DENY_EXTENSION = "deny_extension", _("驳回延期")
    REQUEST_INFO = "request_info", _("请群众补充材料")
    SUPPLY_INFO = "supply_info", _("群众补充材料")
    RESUME = "resume", _("恢复办理")
    REPORT = "report", _("报送办理结果")
    SEND_BACK = "send_back", _("退回重办")
    APPROVE = "approve", _("审核通过")
    ANSWER = "answer", _("答复群众")
    CLOSE = "close", _("办结")
    REOPEN = "reopen", _("重启")
    REJECT = "reject", _("不予受理")
    WITHDRAW = "withdraw", _("撤回")
    MERGE = "merge", _("合并")
    # Steps that record something without changing the clue's status.
    CO_ACCEPT = "co_accept", _("协办签收")
    CO_RETURN = "co_return", _("协办退回")
    CO_CONTRIBUTE = "co_contribute", _("提交协办意见")
    RECORD_VERIFICATION = "record_verification", _("记录核查情况")
    REVEAL_IDENTITY = "reveal_identity", _("查看反映人信息")
    URGE = "urge", _("催办")
    ESCALATE = "escalate", _("督办")
    RATE = "rate", _("满意度评价")
    ADD_INFO = "add_info", _("补充信息")
    UPDATE_DETAILS = "update_details", _("修改分类或区划")
    LINK = "link", _("关联线索")
    SET_TAGS = "set_tags", _("设置标签")
    SET_PUBLIC = "set_public", _("设置公开")


class DeadlineEffect(enum.Enum):
    """What a transition does to the deadlines (all counted in working days)."""

    NONE = "none"
    START = "start"  # dispatch: accept and handle deadlines start from now
    CLEAR = "clear"  # back to intake: no department clock runs until the next dispatch
    STOP = "stop"  # ended: the clock stops; deadlines stay on record for statistics
    EXTEND = "extend"  # approved extension: handle deadline moves by the granted days
    PAUSE = "pause"  # waiting for the citizen: the clock stops
    RESUME = "resume"  # the clock restarts; the handle deadline moves by the paused days
    REWORK = "rework"  # sent back: at least the SLA's rework days from now


CITIZEN = Role.CITIZEN
INTAKE = Role.INTAKE
HANDLER = Role.DEPT_HANDLER
HEAD = Role.DEPT_HEAD
SUPERVISOR = Role.SUPERVISOR
INSPECTOR = Role.INSPECTOR
ADMIN = Role.ADMIN
SYSTEM = Role.SYSTEM

DEPARTMENT = frozenset({HANDLER, HEAD})
ROUTERS = frozenset({INTAKE, SUPERVISOR, ADMIN})
REVIEWERS = frozenset({SUPERVISOR, ADMIN})


@dataclass(frozen=True)
class Transition:
    """One allowed move. `target` None means the status stays (a recorded step)."""

    action: Action
    sources: frozenset[ClueStatus]
    target: ClueStatus | None
    roles: frozenset[Role]
    deadline: DeadlineEffect
    reason_required: bool
    why: str


def _t(
    action: Action,
    sources: set[ClueStatus] | frozenset[ClueStatus],
    target: ClueStatus | None,
    roles: set[Role] | frozenset[Role],
    deadline: DeadlineEffect = DeadlineEffect.NONE,
    *,
    reason: bool = False,
    why: str,
) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles), deadline, reason, why)


D = DeadlineEffect

TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in [
        _t(
            Action.TRIAGE,
            {S.RECEIVED},
            S.TRIAGED,
            {INTAKE, SYSTEM, ADMIN},
            why="AI or an operator has classified the clue; it waits for routing.",
        ),
        _t(
            Action.DISPATCH,
            {S.RECEIVED, S.TRIAGED, S.RETURNED, S.REOPENED},
            S.DISPATCHED,
            ROUTERS | {SYSTEM},
            D.START,
            why="转办: the clue goes to its lead (and co-handling) departments.",
        ),
        _t(Action.ACCEPT, {S.DISPATCHED}, S.ACCEPTED, DEPARTMENT, why="签收 by the lead."),
        _t(
            Action.RETURN,
            {S.DISPATCHED, S.ACCEPTED},
            S.RETURNED,
            DEPARTMENT,
            D.CLEAR,
            reason=True,
            why="The lead says the clue is misrouted (also found after accepting).",
        ),
        _t(
            Action.REQUEST_EXTENSION,
            {S.ACCEPTED, S.SENT_BACK},
            S.EXTENSION_REQUESTED,
            DEPARTMENT,
            reason=True,
            why="The lead needs more working days.",
        ),
        _t(
            Action.APPROVE_EXTENSION,
            {S.EXTENSION_REQUESTED},
            S.ACCEPTED,
            REVIEWERS,
            D.EXTEND,
            why="Granted within the SLA's extension limit.",
        ),
        _t(
            Action.DENY_EXTENSION,
            {S.EXTENSION_REQUESTED},
            S.ACCEPTED,
            REVIEWERS,
            reason=True,
            why="Refused; the deadline stands.",
        ),
        _t(
            Action.REQUEST_INFO,
            {S.ACCEPTED, S.SENT_BACK},
            S.AWAITING_INFO,
            DEPARTMENT,
            D.PAUSE,
            reason=True,
            why="The department asks the citizen for information; the clock pauses.",
        ),
        _t(
            Action.SUPPLY_INFO,
            {S.AWAITING_INFO},
            S.ACCEPTED,
            {CITIZEN, INTAKE},
            D.RESUME,
            why="The citizen answered (online, or by phone through intake); the clock resumes.",
        ),
        _t(
            Action.RESUME,
            {S.AWAITING_INFO},
            S.ACCEPTED,
            DEPARTMENT | REVIEWERS | {SYSTEM},
            D.RESUME,
            reason=True,
            why="No answer came, or it is no longer needed; the clock resumes.",
        ),
        _t(
            Action.REPORT,
            {S.ACCEPTED, S.SENT_BACK},
            S.REPORTED,
            DEPARTMENT,
            why="The lead submits the verification report and result.",
        ),
        _t(
            Action.SEND_BACK,
            {S.REPORTED},
            S.SENT_BACK,
            REVIEWERS,
            D.REWORK,
            reason=True,
            why="The reviewer finds the result insufficient.",
        ),
        _t(
            Action.APPROVE,
            {S.REPORTED},
            S.APPROVED,
            REVIEWERS,
            why="The reviewer accepts the result.",
        ),
        _t(
            Action.ANSWER,
            {S.APPROVED},
            S.ANSWERED,
            ROUTERS | DEPARTMENT,
            why="The reply reaches the citizen.",
        ),
        _t(
            Action.CLOSE,
            {S.ANSWERED},
            S.CLOSED,
            ROUTERS | {SYSTEM},
            D.STOP,
            why="Closed with an honest outcome, after rating or when the rating window ends.",
        ),
        _t(
            Action.REOPEN,
            {S.ANSWERED, S.CLOSED},
            S.REOPENED,
            {CITIZEN} | ROUTERS,
            D.CLEAR,
            reason=True,
            why="The citizen is unsatisfied, or a supervisor finds the answer wrong.",
        ),
        _t(
            Action.REJECT,
            {S.RECEIVED, S.TRIAGED, S.RETURNED, S.REOPENED},
            S.REJECTED,
            ROUTERS,
            D.STOP,
            reason=True,
            why="Invalid: spam, out of scope, abusive, unworkable; the reason is recorded.",
        ),
        _t(
            Action.WITHDRAW,
            OPEN_STATUSES - {S.ANSWERED},
            S.WITHDRAWN,
            {CITIZEN, INTAKE},
            D.STOP,
            reason=True,
            why="The citizen withdraws (online, or by phone through intake).",
        ),
        _t(
            Action.MERGE,
            INTAKE_QUEUE_STATUSES | {S.DISPATCHED},
            S.MERGED,
            ROUTERS,
            D.STOP,
            reason=True,
            why="A duplicate: it is handled through the clue it is merged into.",
        ),
        # Recorded steps that leave the status as it is.
        _t(
            Action.CO_ACCEPT,
            {S.DISPATCHED, S.ACCEPTED, S.EXTENSION_REQUESTED, S.AWAITING_INFO, S.SENT_BACK},
            None,
            DEPARTMENT,
            why="A co-handler signs for its part.",
        ),
        _t(
            Action.CO_RETURN,
            {S.DISPATCHED, S.ACCEPTED},
            None,
            DEPARTMENT,
            reason=True,
            why="A co-handler says the clue is not its business.",
        ),
        _t(
            Action.CO_CONTRIBUTE,
            IN_HANDLING_STATUSES,
            None,
            DEPARTMENT,
            why="A co-handler gives its part of the result to the lead.",
        ),
        _t(
            Action.RECORD_VERIFICATION,
            IN_HANDLING_STATUSES,
            None,
            DEPARTMENT,
            why="Each verification act (method, who, when, findings, evidence) is on record "
            "for the reviewer and the audit, by the lead or a co-handler.",
        ),
        _t(
            Action.REVEAL_IDENTITY,
            set(S),
            None,
            DEPARTMENT | {INSPECTOR},
            reason=True,
            why="Department staff see identity masked; an explicit, reasoned reveal is logged.",
        ),
        _t(
            Action.URGE,
            {S.DISPATCHED} | IN_HANDLING_STATUSES | {S.REPORTED, S.APPROVED},
            None,
            REVIEWERS | {SYSTEM},
            reason=True,
            why="催办: a reminder to the department.",
        ),
        _t(
            Action.ESCALATE,
            {S.DISPATCHED} | IN_HANDLING_STATUSES | {S.REPORTED, S.APPROVED},
            None,
            REVIEWERS | {SYSTEM},
            reason=True,
            why="督办: formal supervision of the clue.",
        ),
        _t(
            Action.RATE,
            {S.ANSWERED, S.CLOSED},
            None,
            {CITIZEN, INTAKE},
            why="The citizen's satisfaction (by phone through intake too).",
        ),
        _t(
            Action.ADD_INFO,
            OPEN_STATUSES,
            None,
            {CITIZEN, INTAKE},
            why="The citizen adds information or evidence to an open clue.",
        ),
        _t(
            Action.UPDATE_DETAILS,
            INTAKE_QUEUE_STATUSES,
            None,
            ROUTERS | {SYSTEM},
            why="Intake corrects category, region, priority or place before routing.",
        ),
        _t(
            Action.LINK,
            OPEN_STATUSES,
            None,
            ROUTERS | {SYSTEM},
            why="Intake links a likely duplicate or similar clue without merging it.",
        ),
        _t(
            Action.SET_TAGS,
            set(S),
            None,
            REVIEWERS,
            why="Supervisors mark important typical clues (典型案例) and other labels.",
        ),
        _t(
            Action.SET_PUBLIC,
            {S.ANSWERED, S.CLOSED},
            None,
            REVIEWERS,
            reason=True,
            why="Only an answered clue may be published, and who decided it is recorded.",
        ),
    ]
}

# Actions that create a clue; their source is "nothing yet".
CREATION_ACTIONS: dict[Action, ClueStatus] = {
    Action.RECEIVE: S.RECEIVED,
    Action.IMPORT_ANSWERED: S.ANSWERED,
}


def allowed_actions(status: ClueStatus | str, role: Role | str) -> list[Action]:
    """Actions a role may take on a clue in `status` (for menus; the service re-checks)."""
    return [
        action
        for action, transition in TRANSITIONS.items()
        if status in transition.sources and role in transition.roles
    ]
