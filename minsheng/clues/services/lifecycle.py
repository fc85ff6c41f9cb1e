"""The one status-changing service: every clue transition and recorded step passes here.

`clue_transition` locks the clue, checks the transition table, the actor's role and
department, runs the action's own changes, applies the deadline effect, saves with
`update_fields`, writes the chained event in the same transaction, and announces the change
after commit.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field
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
) -> BatchOutcome:
    """Take `action` on many clues in one transaction, with the same table, role and
    status checks and the same chained events as `clue_transition`.

    For the system's bulk steps (marking an import's clues triaged): a few statements per
    batch instead of several per clue. A clue that may not move is left unchanged and its
    error reported; the others proceed. Preconditions: the action has no deadline effect
    and the actor is not a department (whose per-clue assignment checks stay one by one).
    """
    transition = TRANSITIONS[action]
    if transition.deadline is not DeadlineEffect.NONE or permissions.is_department_role(actor.role):
        raise ValueError(f"{action} cannot be taken in a batch by {actor.role}")
    at = at or timezone.now()
    outcome = BatchOutcome()
    with transaction.atomic():
        clues = Clue.objects.select_for_update().in_bulk([item.clue_id for item in items])
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
        insert_rows(events)
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
    update_rows(
        [clue for clue, _changed in rows],
        names | {"last_event_seq", "last_event_hash", "updated_at"},
    )


# Statement writers for the batch paths. Django's bulk_create and bulk_update compile every
# value of every row through the ORM (bulk_update adds a CASE per row), which costs more than
# the rest of a triage batch; these prepare each value with its field's own conversion and
# send one statement for many rows.

# Rows per INSERT statement where the backend sets no lower limit: PostgreSQL takes at
# most 65,535 parameters in one statement.
ROWS_PER_INSERT = 500

# Per field type, the Python types its values already have in the database: a field's
# conversion is skipped for these (a subclass, a lazy string, a Decimal still go through it).
_INTEGER_TYPES = (
    models.AutoField,
    models.BigAutoField,
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
)
_PLAIN_VALUES: dict[type[Field[Any, Any]], frozenset[type]] = {
    **dict.fromkeys((models.CharField, models.TextField), frozenset({str, type(None)})),
    **dict.fromkeys(_INTEGER_TYPES, frozenset({int, type(None)})),
    models.FloatField: frozenset({float, type(None)}),
}


def _value_preparer(
    field: Field[Any, Any], connection: BaseDatabaseWrapper
) -> Callable[[Any], Any]:
    """The field's `get_db_prep_save`, skipped for values already in their database type."""
    prepare = functools.partial(field.get_db_prep_save, connection=connection)
    if isinstance(field, models.JSONField):
        # What JSONField.get_db_prep_save comes to for a list or dict, without its layers.
        adapt, encoder = connection.ops.adapt_json_value, field.encoder
        return lambda value: (
            adapt(value, encoder) if type(value) in (dict, list) else prepare(value)
        )
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    plain = _PLAIN_VALUES.get(type(target))
    if plain is None:
        return prepare
    return lambda value: value if type(value) in plain else prepare(value)


def _row_reader(
    fields: Sequence[Field[Any, Any]], connection: BaseDatabaseWrapper, *, adding: bool
) -> Callable[[models.Model], list[Any]]:
    """Read one object's database values for `fields`, as Django's save would (`pre_save`
    included, for `auto_now` and the like)."""
    preparers = [_value_preparer(field, connection) for field in fields]
    readers: list[Callable[[models.Model], Any]] = [
        functools.partial(field.pre_save, add=adding)
        if type(field).pre_save is not Field.pre_save
        else operator.attrgetter(field.attname)
        for field in fields
    ]
    pairs = list(zip(readers, preparers, strict=True))
    return lambda obj: [prepare(read(obj)) for read, prepare in pairs]


def insert_rows(objs: Sequence[models.Model]) -> None:
    """INSERT new objects of one model (database-assigned pks), many rows per statement,
    and set their pks.

    Like `bulk_create` (no signals, no `save()`), with the pks returned in insertion order
    as `bulk_create` relies on for SQLite and PostgreSQL.
    """
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    fields = [
        field
        for field in meta.concrete_fields
        if not field.generated and field is not meta.auto_field
    ]
    read = _row_reader(fields, connection, adding=True)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    head = f"INSERT INTO {quote(meta.db_table)} ({columns}) "
    tail = f" RETURNING {quote(meta.pk.column)}"
    # VALUES lists rather than bulk_create's PostgreSQL UNNEST of one array per column:
    # psycopg quotes every element of a text or jsonb array in Python, which measured slower
    # than the server's parsing of the longer statement (bench/triage_pipeline.py).
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(1, min(ROWS_PER_INSERT, connection.ops.bulk_batch_size(fields, objs)))
    with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            chunk = objs[start : start + size]
            sql = f"{head}VALUES {', '.join([row_sql] * len(chunk))}{tail}"
            params = [value for obj in chunk for value in read(obj)]
            cursor.execute(sql, params)
            for obj, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = connection.alias


def update_rows(objs: Sequence[models.Model], names: Iterable[str]) -> None:
    """UPDATE the fields `names` of saved objects of one model: one statement, executed for
    every row (the caller holds the rows, locked or its own)."""
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    fields = [field for name in sorted(names) if isinstance(field := meta.get_field(name), Field)]
    read = _row_reader(fields, connection, adding=False)
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {assignments} "  # noqa: S608 - names from _meta
        f"WHERE {quote(meta.pk.column)} = %s"
    )
    with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
        cursor.executemany(sql, [[*read(obj), obj.pk] for obj in objs])
