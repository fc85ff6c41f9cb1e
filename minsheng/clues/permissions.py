"""Who may do what to which clue: role predicates and the department check."""

from __future__ import annotations

from django.db.models import Max

from minsheng.accounts.actors import Actor
from minsheng.accounts.roles import ALL_CLUES_ROLES, DEPARTMENT_ROLES, IDENTITY_ROLES, Role
from minsheng.clues.choices import AssignmentRole, AssignmentStatus
from minsheng.clues.models import Assignment, Clue
from minsheng.clues.workflow import Action

# Department actions and the assignment the actor's department must hold for them.
LEAD_ACTIONS = frozenset(
    {
        Action.ACCEPT,
        Action.RETURN,
        Action.REQUEST_EXTENSION,
        Action.REQUEST_INFO,
        Action.REPORT,
        Action.ANSWER,
        Action.RESUME,
    }
)
CO_ACTIONS = frozenset({Action.CO_ACCEPT, Action.CO_RETURN, Action.CO_CONTRIBUTE})
LIVE_ASSIGNMENT_STATUSES = frozenset(
    {
        AssignmentStatus.PENDING,
        AssignmentStatus.ACCEPTED,
        AssignmentStatus.CONTRIBUTED,
        AssignmentStatus.REPORTED,
        AssignmentStatus.COMPLETED,
    }
)


def sees_all_clues(role: Role | str) -> bool:
    return role in ALL_CLUES_ROLES


def sees_identity(role: Role | str) -> bool:
    """Intake and supervision roles see the complainant unmasked; departments see it masked."""
    return role in IDENTITY_ROLES


def is_department_role(role: Role | str) -> bool:
    return role in DEPARTMENT_ROLES


def department_assignment(
    clue: Clue, department_id: int | None, *, role: AssignmentRole | None = None
) -> Assignment | None:
    """The department's live assignment in the clue's current dispatch round (optionally as
    lead or co-handler)."""
    if department_id is None:
        return None
    # Only the current dispatch round counts: after a reopen and re-dispatch, a department
    # that led an earlier round is no longer entitled to act.
    current_round = clue.assignments.aggregate(latest=Max("dispatched_at"))["latest"]
    assignments = clue.assignments.filter(
        dispatched_at=current_round,
        department_id=department_id,
        status__in=LIVE_ASSIGNMENT_STATUSES,
    )
    if role is not None:
        assignments = assignments.filter(role=role)
    return assignments.order_by("-dispatched_at", "-pk").first()


def required_assignment_role(action: Action) -> AssignmentRole | None:
    if action in LEAD_ACTIONS:
        return AssignmentRole.LEAD
    if action in CO_ACTIONS:
        return AssignmentRole.CO
    return None


def department_may_act(actor: Actor, clue: Clue, action: Action) -> Assignment | None:
    """The assignment that entitles a department actor to `action`, or None if it has none."""
    return department_assignment(clue, actor.department_id, role=required_assignment_role(action))
