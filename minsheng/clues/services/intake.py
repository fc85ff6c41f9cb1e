"""Intake (受理): receiving clues, triage corrections, dispatch (转办), rejection and merging."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.accounts.actors import Actor
from minsheng.accounts.models import User
from minsheng.accounts.roles import Role
from minsheng.clues.choices import (
    AssignmentRole,
    AssignmentStatus,
    Channel,
    ContactPreference,
    LinkKind,
    Outcome,
    RejectionReason,
)
from minsheng.clues.errors import ActionForbidden, ClueNotFound, ClueValidationError
from minsheng.clues.models import Assignment, Clue, ClueEvent, ClueLink, Complainant
from minsheng.clues.services.codes import hash_query_secret, new_query_secret, new_tracking_code
from minsheng.clues.services.deadlines import dispatch_deadlines
from minsheng.clues.services.events import next_event
from minsheng.clues.services.fingerprints import clue_fingerprint
from minsheng.clues.services.lifecycle import (
    ActionStep,
    BatchItem,
    BatchOutcome,
    TransitionContext,
    announce_on_commit,
    clue_transition,
    clue_transition_batch,
)
from minsheng.clues.workflow import TERMINAL_STATUSES, Action, ClueStatus
from minsheng.directory.choices import Priority
from minsheng.directory.models import Category, Department, Region
from minsheng.directory.routing import RoutingConflict, route
from minsheng.privacy.validators import is_valid_id_number, is_valid_phone, normalize_phone

MAX_TITLE_LENGTH = 200
MAX_CONTENT_LENGTH = 20000
RECEIVING_ROLES = frozenset({Role.CITIZEN, Role.INTAKE, Role.ADMIN, Role.SYSTEM})


@dataclass(frozen=True)
class ComplainantData:
    """Identity as given by the complainant; validated by `clue_receive`."""

    name: str = ""
    phone: str = ""
    id_number: str = ""
    email: str = ""
    address: str = ""
    contact_preference: str = ContactPreference.PHONE
    external_user: str = ""

    def is_empty(self) -> bool:
        return not any((self.name, self.phone, self.id_number, self.email, self.address))


@dataclass(frozen=True)
class ReceivedClue:
    """The new clue and its query secret, which exists in clear only here, shown once."""

    clue: Clue
    query_secret: str


def _validate_complainant(data: ComplainantData) -> ComplainantData:
    phone = normalize_phone(data.phone) if data.phone else ""
    if phone and not is_valid_phone(phone):
        raise ClueValidationError(_("手机或电话号码格式不正确。"), field="phone")
    id_number = data.id_number.strip().upper()
    if id_number and not is_valid_id_number(id_number):
        raise ClueValidationError(_("身份证号码不正确（校验位不符）。"), field="id_number")
    if data.contact_preference not in ContactPreference.values:
        raise ClueValidationError(_("联系方式偏好无效。"), field="contact_preference")
    return ComplainantData(
        name=data.name.strip()[:60],
        phone=phone,
        id_number=id_number,
        email=data.email.strip()[:254],
        address=data.address.strip()[:200],
        contact_preference=data.contact_preference,
        external_user=data.external_user.strip()[:60],
    )


def _validate_text(title: str, content: str) -> tuple[str, str]:
    title, content = title.strip(), content.strip()
    if not title:
        raise ClueValidationError(_("请填写标题。"), field="title")
    if len(title) > MAX_TITLE_LENGTH:
        raise ClueValidationError(
            _("标题不能超过%(n)d字。") % {"n": MAX_TITLE_LENGTH}, field="title"
        )
    if not content:
        raise ClueValidationError(_("请填写问题描述。"), field="content")
    if len(content) > MAX_CONTENT_LENGTH:
        raise ClueValidationError(
            _("问题描述不能超过%(n)d字。") % {"n": MAX_CONTENT_LENGTH}, field="content"
        )
    return title, content


def _validate_coordinates(
    latitude: Decimal | None, longitude: Decimal | None
) -> tuple[Decimal | None, Decimal | None]:
    if (latitude is None) != (longitude is None):
        raise ClueValidationError(_("经纬度需同时填写。"), field="latitude")
    if latitude is not None and not Decimal(-90) <= latitude <= Decimal(90):
        raise ClueValidationError(_("纬度超出范围。"), field="latitude")
    if longitude is not None and not Decimal(-180) <= longitude <= Decimal(180):
        raise ClueValidationError(_("经度超出范围。"), field="longitude")
    return latitude, longitude


def clue_receive(
    *,
    actor: Actor,
    channel: Channel | str,
    title: str,
    content: str,
    reported_at: dt.datetime | None = None,
    category: Category | None = None,
    region: Region | None = None,
    place_text: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    priority: Priority | str = Priority.NORMAL,
    is_anonymous: bool = False,
    complainant: ComplainantData | None = None,
    citizen_user: User | None = None,
    source: str = "",
    external_id: str = "",
) -> ReceivedClue:
    """Accept a new clue: validate, store it with its identity apart, write the first event.

    Preconditions: the actor is a citizen (web), intake, an administrator or the system.
    Anonymous clues store no identity. The query secret is returned once and kept hashed.
    """
    if actor.role not in RECEIVING_ROLES:
        raise ActionForbidden(_("无权登记线索。"))
    if channel not in Channel.values:
        raise ClueValidationError(_("来源渠道无效。"), field="channel")
    if priority not in Priority.values:
        raise ClueValidationError(_("优先级无效。"), field="priority")
    title, content = _validate_text(title, content)
    latitude, longitude = _validate_coordinates(latitude, longitude)
    identity = None
    if complainant is not None and not is_anonymous and not complainant.is_empty():
        identity = _validate_complainant(complainant)
    now = timezone.now()
    reported_at = reported_at or now
    if reported_at > now + dt.timedelta(minutes=5):
        raise ClueValidationError(_("反映时间不能晚于当前时间。"), field="reported_at")
    secret = new_query_secret()
    for attempt in range(5):
        try:
            with transaction.atomic():
                clue = Clue(
                    tracking_code=new_tracking_code(timezone.localdate(now)),
                    query_secret_hash=hash_query_secret(secret),
                    channel=channel,
                    source=source,
                    external_id=external_id,
                    fingerprint=clue_fingerprint(
                        title=title, content=content, reported_at=reported_at
                    ),
                    title=title,
                    content=content,
                    category=category,
                    region=region,
                    place_text=place_text.strip()[:200],
                    latitude=latitude,
                    longitude=longitude,
                    reported_at=reported_at,
                    received_at=now,
                    is_anonymous=is_anonymous or identity is None,
                    citizen=citizen_user,
                    priority=priority,
                    status=ClueStatus.RECEIVED,
                )
                clue.save(force_insert=True)
                if identity is not None:
                    Complainant.objects.create(clue=clue, **identity.__dict__)
                event = next_event(
                    clue,
                    action=Action.RECEIVE,
                    actor=actor,
                    from_status="",
                    to_status=ClueStatus.RECEIVED,
                    at=now,
                    payload={"channel": str(channel), "anonymous": clue.is_anonymous},
                )
                event.save(force_insert=True)
                clue.save(update_fields=["last_event_seq", "last_event_hash"])
                announce_on_commit(event, actor=actor)
            return ReceivedClue(clue=clue, query_secret=secret)
        except IntegrityError:
            if attempt == 4 or (
                external_id and Clue.objects.filter(source=source, external_id=external_id).exists()
            ):
                raise
    raise AssertionError("unreachable")


def clue_reset_query_secret(*, clue_id: int, actor: Actor) -> str:
    """Issue a new query secret (e.g. for an imported clue, or a citizen who lost it)."""
    if actor.role not in {Role.INTAKE, Role.ADMIN}:
        raise ActionForbidden(_("无权重置查询码。"))
    secret = new_query_secret()
    Clue.objects.filter(pk=clue_id).update(query_secret_hash=hash_query_secret(secret))
    return secret


def _apply_details(
    context: TransitionContext,
    *,
    category: Category | None,
    region: Region | None,
    priority: str | None,
    place_text: str | None,
) -> None:
    """Record old and new values of the fields that intake may correct."""
    clue = context.clue
    changes: dict[str, Any] = {}
    if category is not None and category.pk != clue.category_id:
        changes["category"] = {"from": clue.category_id, "to": category.pk}
        context.set(category=category)
    if region is not None and region.pk != clue.region_id:
        changes["region"] = {"from": clue.region_id, "to": region.pk}
        context.set(region=region)
    if priority is not None and priority != clue.priority:
        if priority not in Priority.values:
            raise ClueValidationError(_("优先级无效。"), field="priority")
        changes["priority"] = {"from": clue.priority, "to": priority}
        context.set(priority=priority)
    if place_text is not None and place_text.strip() != clue.place_text:
        changes["place_text"] = {"from": clue.place_text, "to": place_text.strip()[:200]}
        context.set(place_text=place_text.strip()[:200])
    context.payload["changes"] = changes


def clue_triage(
    *,
    clue_id: int,
    actor: Actor,
    category: Category | None = None,
    region: Region | None = None,
    priority: str | None = None,
    place_text: str | None = None,
    reason: str = "",
    suggestions: dict[str, Any] | None = None,
) -> ClueEvent:
    """Mark a received clue as triaged, with any corrections and the AI's suggestions."""
    step = _triage_step(
        category=category,
        region=region,
        priority=priority,
        place_text=place_text,
        suggestions=suggestions,
    )
    return clue_transition(
        clue_id=clue_id, action=Action.TRIAGE, actor=actor, reason=reason, step=step
    )


def _triage_step(
    *,
    category: Category | None,
    region: Region | None,
    priority: str | None,
    place_text: str | None,
    suggestions: dict[str, Any] | None,
) -> ActionStep:
    """The TRIAGE action's own change, one clue at a time or in a batch."""

    def step(context: TransitionContext) -> None:
        _apply_details(
            context, category=category, region=region, priority=priority, place_text=place_text
        )
        if suggestions:
            context.payload["suggestions"] = suggestions

    return step


# The clue fields the TRIAGE step reads or changes (see `_apply_details`).
TRIAGE_READS = ("category", "region", "priority", "place_text")


@dataclass(frozen=True)
class TriageDecision:
    """One clue's corrections and suggestions in a batch triage."""

    clue_id: int
    category: Category | None = None
    region: Region | None = None
    priority: str | None = None
    suggestions: dict[str, Any] | None = None


def clue_triage_batch(*, actor: Actor, decisions: Sequence[TriageDecision]) -> BatchOutcome:
    """Mark many received clues triaged at once (the AI's batches): the same checks and
    events as `clue_triage`, a few statements for the whole batch. A clue that is no longer
    received is left alone and named in the outcome's errors."""
    return clue_transition_batch(
        action=Action.TRIAGE,
        actor=actor,
        reads=TRIAGE_READS,
        items=[
            BatchItem(
                decision.clue_id,
                _triage_step(
                    category=decision.category,
                    region=decision.region,
                    priority=decision.priority,
                    place_text=None,
                    suggestions=decision.suggestions,
                ),
            )
            for decision in decisions
        ],
    )


def clue_update_details(
    *,
    clue_id: int,
    actor: Actor,
    category: Category | None = None,
    region: Region | None = None,
    priority: str | None = None,
    place_text: str | None = None,
    reason: str = "",
) -> ClueEvent:
    """Correct category, region, priority or place of a clue still with intake."""

    def step(context: TransitionContext) -> None:
        _apply_details(
            context, category=category, region=region, priority=priority, place_text=place_text
        )
        if not context.payload["changes"]:
            raise ClueValidationError(_("没有需要修改的内容。"))

    return clue_transition(
        clue_id=clue_id, action=Action.UPDATE_DETAILS, actor=actor, reason=reason, step=step
    )


def clue_dispatch(
    *,
    clue_id: int,
    actor: Actor,
    lead_department: Department | None = None,
    co_departments: Sequence[Department] = (),
    note: str = "",
) -> ClueEvent:
    """转办: send the clue to its lead and co-handling departments.

    Without an explicit lead the responsibility list decides (and the event says which
    rule); an explicit choice is recorded as such, with the rule's suggestion beside it.
    """

    def step(context: TransitionContext) -> None:
        clue = context.clue
        try:
            decision = route(clue.category, clue.region)
        except RoutingConflict as conflict:
            if lead_department is None:
                raise ClueValidationError(str(conflict), field="lead_department") from conflict
            decision = None
        lead = lead_department or (decision.lead if decision else None)
        if lead is None:
            raise ClueValidationError(
                _("责任清单中没有匹配的条目，请指定主办单位。"), field="lead_department"
            )
        co_handlers = (
            list(co_departments)
            if lead_department
            else list(decision.co_handlers if decision else [])
        )
        departments = [lead, *co_handlers]
        if not all(department.is_active for department in departments):
            raise ClueValidationError(_("所选单位已停用。"), field="lead_department")
        if len({department.pk for department in departments}) != len(departments):
            raise ClueValidationError(_("主办单位与协办单位不能重复。"), field="co_departments")
        accept_due, handle_due = dispatch_deadlines(clue, context.at)
        rule = decision.rule if decision and lead_department is None else None
        for department, role in [(lead, AssignmentRole.LEAD)] + [
            (department, AssignmentRole.CO) for department in co_handlers
        ]:
            Assignment.objects.create(
                clue=clue,
                department=department,
                role=role,
                rule=rule,
                dispatched_at=context.at,
                accept_due=accept_due,
                handle_due=handle_due,
                note=note,
            )
        context.set(extension_days=0, paused_working_days=0)
        context.payload.update(
            lead=lead.pk,
            co=[department.pk for department in co_handlers],
            rule=rule.pk if rule else None,
            routing="manual" if lead_department else "responsibility_list",
            suggested_rule=decision.rule.pk if decision and decision.rule else None,
            explanation=decision.explanation if decision else "",
            note=note,
        )

    return clue_transition(clue_id=clue_id, action=Action.DISPATCH, actor=actor, step=step)


def cancel_open_assignments(clue: Clue, at: dt.datetime) -> list[int]:
    """Cancel assignments still pending or in progress (the clue left the departments)."""
    open_assignments = clue.assignments.filter(
        status__in=[
            AssignmentStatus.PENDING,
            AssignmentStatus.ACCEPTED,
            AssignmentStatus.CONTRIBUTED,
            AssignmentStatus.REPORTED,
        ]
    )
    ids = list(open_assignments.values_list("pk", flat=True))
    open_assignments.update(status=AssignmentStatus.CANCELLED, finished_at=at)
    return ids


def clue_reject(
    *, clue_id: int, actor: Actor, reason_code: RejectionReason | str, reason: str
) -> ClueEvent:
    """Reject an invalid clue (spam, out of scope...), recording the reason."""
    if reason_code not in RejectionReason.values:
        raise ClueValidationError(_("请选择不予受理的原因。"), field="reason_code")

    def step(context: TransitionContext) -> None:
        context.set(outcome=Outcome.INVALID, outcome_note=reason.strip(), closed_at=context.at)
        context.payload["reason_code"] = str(reason_code)

    return clue_transition(
        clue_id=clue_id, action=Action.REJECT, actor=actor, reason=reason, step=step
    )


def clue_merge(*, clue_id: int, actor: Actor, into_clue_id: int, reason: str) -> ClueEvent:
    """Merge a duplicate into the clue that will carry the handling."""
    if into_clue_id == clue_id:
        raise ClueValidationError(_("不能合并到自身。"), field="into_clue")

    def step(context: TransitionContext) -> None:
        target = Clue.objects.filter(pk=into_clue_id).first()
        if target is None:
            raise ClueValidationError(_("目标线索不存在。"), field="into_clue")
        if target.status in TERMINAL_STATUSES:
            raise ClueValidationError(_("目标线索已结束，不能合并。"), field="into_clue")
        context.set(merged_into=target, outcome=Outcome.MERGED, closed_at=context.at)
        cancelled = cancel_open_assignments(context.clue, context.at)
        ClueLink.objects.get_or_create(
            from_clue=context.clue,
            to_clue=target,
            defaults={"kind": LinkKind.DUPLICATE, "created_by": actor.user},
        )
        context.payload.update(into=target.pk, into_code=target.tracking_code)
        if cancelled:
            context.payload["cancelled_assignments"] = cancelled

    return clue_transition(
        clue_id=clue_id, action=Action.MERGE, actor=actor, reason=reason, step=step
    )


def clue_correct_and_dispatch(
    *,
    clue_id: int,
    actor: Actor,
    category: Category | None = None,
    region: Region | None = None,
    priority: str | None = None,
    lead_department: Department | None = None,
    co_departments: Sequence[Department] = (),
    note: str = "",
) -> ClueEvent:
    """The intake screen's one action: correct what the operator changed (an UPDATE_DETAILS
    event, only for fields that differ), then dispatch; both or neither."""
    with transaction.atomic():
        clue = Clue.objects.select_for_update().filter(pk=clue_id).first()
        if clue is None:
            raise ClueNotFound(_("线索不存在。"))
        corrections: dict[str, Any] = {}
        if category is not None and category.pk != clue.category_id:
            corrections["category"] = category
        if region is not None and region.pk != clue.region_id:
            corrections["region"] = region
        if priority and priority != clue.priority:
            corrections["priority"] = priority
        if corrections:
            clue_update_details(clue_id=clue_id, actor=actor, **corrections)
        return clue_dispatch(
            clue_id=clue_id,
            actor=actor,
            lead_department=lead_department,
            co_departments=co_departments,
            note=note,
        )
