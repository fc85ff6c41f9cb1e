"""The one status-changing service: every clue transition and recorded step passes here.

`clue_transition` locks the clue, checks the transition table, the actor's role and
department, runs the action's own changes, applies the deadline effect, saves with
`update_fields`, writes the chained event in the same transaction, and announces the change
after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.accounts.actors import Actor
from minsheng.accounts.roles import Role
from minsheng.clues import permissions
from minsheng.clues.choices import AssignmentRole, AssignmentStatus
from minsheng.clues.errors import (
    ActionForbidden,
    ClueError,
    ClueNotFound,
    ClueValidationError,
    TransitionNotAllowed,
)
from minsheng.clues.models import Assignment, Clue, ClueEvent
from minsheng.clues.services.deadlines import apply_deadline_effect
from minsheng.clues.services.events import next_event
from minsheng.clues.services.rows import rows_insert, rows_update
from minsheng.clues.signals import clue_transitioned
from minsheng.clues.workflow import TRANSITIONS, Action, ClueStatus, DeadlineEffect, Transition

MAX_REASON_LENGTH = 2000


@dataclass
class TransitionContext:
    """What an action's own step sees and fills in, with the clue row locked."""

    clue: Clue
    actor: Actor
    transition: Transition
    at: dt.datetime
    reason: str
    # The assignment that entitles a department actor (None for other roles).
    assignment: Assignment | None
    changed: set[str] = field(default_factory=set)
    payload: dict[str, Any] = field(default_factory=dict)
    extension_days: int = 0

    def set(self, **values: Any) -> None:
        """Set clue fields and remember them for `update_fields`."""
        for name, value in values.items():
            setattr(self.clue, name, value)
            self.changed.add(name)


ActionStep = Callable[[TransitionContext], None]


def check_transition(clue: Clue, transition: Transition, actor: Actor) -> Assignment | None:
    """Raise unless `actor` may take `transition` on `clue` now; return the entitling assignment."""
    if actor.role not in transition.roles:
        raise ActionForbidden(
            _("“%(role)s”无权执行“%(action)s”。")
            % {"role": Role(actor.role).label, "action": transition.action.label}
        )
    assignment = None
    if permissions.is_department_role(actor.role):
        assignment = permissions.department_may_act(actor, clue, transition.action)
        if assignment is None:
            raise ActionForbidden(_("本单位没有该线索的相应承办任务，不能执行此操作。"))
    if clue.status not in transition.sources:
        raise TransitionNotAllowed(
            _("线索当前状态为“%(status)s”，不能执行“%(action)s”。")
            % {"status": ClueStatus(clue.status).label, "action": transition.action.label}
        )
    return assignment


def checked_reason(transition: Transition, reason: str) -> str:
    """The stripped reason; raises when the table requires one or it is too long."""
    reason = reason.strip()
    if transition.reason_required and not reason:
        raise ClueValidationError(_("请填写理由。"), field="reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise ClueValidationError(
            _("理由不能超过%(n)d字。") % {"n": MAX_REASON_LENGTH}, field="reason"
        )
    return reason


def announce_on_commit(event: ClueEvent, *, actor: Actor) -> None:
    """Send `clue_transitioned` for a saved event once the transaction commits."""
    announce_all_on_commit([event], actor=actor)


def announce_all_on_commit(events: Sequence[ClueEvent], *, actor: Actor) -> None:
    """Send `clue_transitioned` for each saved event, in order, once the transaction
    commits (one commit hook for a whole batch)."""
    announced = [
        {
            "clue_id": event.clue_id,
            "event_id": event.pk,
            "action": event.action,
            "from_status": event.from_status,
            "to_status": event.to_status,
            "actor_role": actor.role,
        }
        for event in events
    ]

    def announce() -> None:
        for kwargs in announced:
            clue_transitioned.send(sender=Clue, **kwargs)

    transaction.on_commit(announce)


def lead_assignment(clue: Clue) -> Assignment | None:
    """The current lead assignment (pending, accepted or reported), if any."""
    return (
        clue.assignments.filter(
            role=AssignmentRole.LEAD,
            status__in=[
                AssignmentStatus.PENDING,
                AssignmentStatus.ACCEPTED,
                AssignmentStatus.REPORTED,
            ],
        )
        .order_by("-dispatched_at", "-pk")
        .first()
    )


def clue_transition(
    *,
    clue_id: int,
    action: Action,
    actor: Actor,
    reason: str = "",
    payload: dict[str, Any] | None = None,
    step: ActionStep | None = None,
    at: dt.datetime | None = None,
) -> ClueEvent:
    """Take `action` on the clue as `actor`. Raises a ClueError subclass when not allowed.

    `step` is the action's own change (validation and field updates) and runs after the
    checks, inside the same transaction, before the status and deadlines move.
    """
    transition = TRANSITIONS[action]
    reason = checked_reason(transition, reason)
    at = at or timezone.now()
    with transaction.atomic():
        try:
            clue = Clue.objects.select_for_update().get(pk=clue_id)
        except Clue.DoesNotExist as exc:
            raise ClueNotFound(_("线索不存在。")) from exc
        assignment = check_transition(clue, transition, actor)
        context = TransitionContext(
            clue=clue,
            actor=actor,
            transition=transition,
            at=at,
            reason=reason,
            assignment=assignment,
            payload=dict(payload or {}),
        )
        if step is not None:
            step(context)
        deadline_fields, deadline_record = apply_deadline_effect(
            clue,
            transition.deadline,
            at=at,
            # Only a deadline change touches the lead assignment: skip its query otherwise.
            lead=lead_assignment(clue) if transition.deadline is not DeadlineEffect.NONE else None,
            extension_days=context.extension_days,
        )
        context.changed |= deadline_fields
        context.payload.update(deadline_record)
        from_status = clue.status
        if transition.target is not None and transition.target != clue.status:
            clue.status = transition.target
            context.changed.add("status")
        event = next_event(
            clue,
            action=action,
            actor=actor,
            from_status=from_status,
            to_status=clue.status,
            at=at,
            reason=reason,
            payload=context.payload,
        )
        clue.save(
            update_fields=sorted(
                context.changed | {"last_event_seq", "last_event_hash", "updated_at"}
            )
        )
        event.save(force_insert=True)
        announce_on_commit(event, actor=actor)
    return event


# The clue fields every batch transition reads or writes, whatever its step.
BATCH_READS = ("status", "last_event_seq", "last_event_hash", "updated_at")


@dataclass(frozen=True)
class BatchItem:
    """One clue of a batch transition, with its own step, reason and payload."""

    clue_id: int
    step: ActionStep | None = None
    reason: str = ""
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass
class BatchOutcome:
    """Per clue: the event written, or why the clue was left as it was."""

    events: dict[int, ClueEvent] = field(default_factory=dict)
    errors: dict[int, ClueError] = field(default_factory=dict)


def clue_transition_batch(
    *,
    action: Action,
    actor: Actor,
    items: Sequence[BatchItem],
    at: dt.datetime | None = None,
    reads: Sequence[str] | None = None,
) -> BatchOutcome:
    """Take `action` on many clues in one transaction, with the same table, role and
    status checks and the same chained events as `clue_transition`.

    For the system's bulk steps (marking an import's clues triaged): a few statements per
    batch instead of several per clue. A clue that may not move is left unchanged and its
    error reported; the others proceed. Preconditions: the action has no deadline effect
    and the actor is not a department (whose per-clue assignment checks stay one by one).

    `reads` names the clue fields the items' steps read or change; only those and the
    chain's own fields are loaded (a clue's text is most of its row). None loads them all.
    """
    transition = TRANSITIONS[action]
    if transition.deadline is not DeadlineEffect.NONE or permissions.is_department_role(actor.role):
        raise ValueError(f"{action} cannot be taken in a batch by {actor.role}")
    at = at or timezone.now()
    outcome = BatchOutcome()
    with transaction.atomic():
        locked = Clue.objects.select_for_update()
        if reads is not None:
            locked = locked.only(*BATCH_READS, *reads)
        clues = locked.in_bulk([item.clue_id for item in items])
        moved: list[tuple[Clue, ClueEvent, set[str]]] = []
        for item in items:
            clue = clues.get(item.clue_id)
            if clue is None:
                outcome.errors[item.clue_id] = ClueNotFound(_("线索不存在。"))
                continue
            try:
                moved.append(_batch_step(clue, transition, actor, item, at))
            except ClueError as error:
                outcome.errors[item.clue_id] = error
                clues.pop(item.clue_id)  # its in-memory changes are discarded
        if not moved:
            return outcome
        events = [event for _clue, event, _changed in moved]
        rows_insert(events)
        _write_clue_rows([(clue, changed) for clue, _event, changed in moved])
        outcome.events.update((clue.pk, event) for clue, event, _changed in moved)
        announce_all_on_commit(events, actor=actor)
    return outcome


def _batch_step(
    clue: Clue, transition: Transition, actor: Actor, item: BatchItem, at: dt.datetime
) -> tuple[Clue, ClueEvent, set[str]]:
    """Check and apply one clue's move in memory; raises ClueError to leave it alone."""
    reason = checked_reason(transition, item.reason)
    check_transition(clue, transition, actor)
    context = TransitionContext(
        clue=clue,
        actor=actor,
        transition=transition,
        at=at,
        reason=reason,
        assignment=None,
        payload=dict(item.payload),
    )
    if item.step is not None:
        item.step(context)
    from_status = clue.status
    if transition.target is not None and transition.target != clue.status:
        clue.status = transition.target
        context.changed.add("status")
    event = next_event(
        clue,
        action=transition.action,
        actor=actor,
        from_status=from_status,
        to_status=clue.status,
        at=at,
        reason=reason,
        payload=context.payload,
    )
    return clue, event, context.changed


def _write_clue_rows(rows: Sequence[tuple[Clue, set[str]]]) -> None:
    """One UPDATE statement, executed for every row, with the union of changed fields.

    The rows are locked, so writing a field's unchanged value is harmless.
    """
    names = set().union(*(changed for _clue, changed in rows))
    rows_update(
        [clue for clue, _changed in rows],
        names | {"last_event_seq", "last_event_hash", "updated_at"},
    )
