"""Reads shared by the staff workbenches: a clue as this user may read it, its history and
its files.

Department staff read the masked copy of the text (triage masks phone numbers, ID numbers
and names introduced as such) and the masked identity; intake and supervision read both in
full. Every page that shows a clue to staff goes through `staff_clue_view`, so no page can
forget the masking.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from minsheng.accounts.models import User
from minsheng.accounts.roles import Role
from minsheng.clues import permissions
from minsheng.clues.choices import VerificationMethod
from minsheng.clues.models import Attachment, Clue, ClueEvent, Complainant
from minsheng.clues.selectors import clue_timeline, complainant_identity_for
from minsheng.clues.services.review import ESCALATION_LEVELS
from minsheng.clues.workflow import Action, ClueStatus
from minsheng.directory.models import Department
from minsheng.triage.models import TriageResult
from minsheng.triage.pii import mask_pii


@dataclass(frozen=True)
class StaffClueView:
    """What a staff user reads of one clue: text masked where their role requires it."""

    clue: Clue
    title: str
    content: str
    identity: list[tuple[str, str]]
    identity_masked: bool
    may_reveal: bool


def triage_of(clue: Clue) -> TriageResult | None:
    """The clue's triage result, or None (no query when the caller joined it)."""
    try:
        return clue.triage
    except TriageResult.DoesNotExist:
        return None


def masked_title(clue: Clue) -> str:
    """The title with personal data masked (triage's copy when it made one); what lists
    show to department staff."""
    result = triage_of(clue)
    if result is not None and result.masked_title:
        return result.masked_title
    return mask_pii(clue.title).text


def masked_text_of(clue: Clue) -> tuple[str, str]:
    """The clue's title and content with personal data masked (triage's copy when it has
    one, masked now when triage has not run yet)."""
    result = triage_of(clue)
    if result is not None and result.masked_content:
        return masked_title(clue), result.masked_content
    return mask_pii(clue.title).text, mask_pii(clue.content).text


def identity_rows(values: dict[str, str]) -> list[tuple[str, str]]:
    """Identity values with their labels, the empty ones left out."""
    labels = {field.name: str(field.verbose_name) for field in Complainant._meta.fields}
    return [(labels.get(name, name), value) for name, value in values.items() if value]


def method_labels(values: Iterable[str]) -> list[str]:
    """Verification methods in words, in the order the forms list them (unknown values
    kept as they are, last)."""
    order = {value: n for n, value in enumerate(VerificationMethod.values)}
    return [
        str(VerificationMethod(value).label) if value in order else value
        for value in sorted(values, key=lambda value: order.get(value, len(order)))
    ]


def staff_clue_view(user: User, clue: Clue) -> StaffClueView:
    """The clue as `user` may read it; the caller has already checked access."""
    identity = identity_rows(complainant_identity_for(user, clue))
    sees_all = permissions.sees_identity(user.role)
    if sees_all:
        title, content = clue.title, clue.content
    else:
        title, content = masked_text_of(clue)
    return StaffClueView(
        clue=clue,
        title=title,
        content=content,
        identity=identity,
        identity_masked=not sees_all,
        may_reveal=not sees_all and not clue.is_anonymous and bool(identity),
    )


@dataclass(frozen=True)
class StaffEvent:
    """One step of the clue's history as staff read it."""

    seq: int
    at: dt.datetime
    action: str
    action_label: str
    actor: str
    role_label: str
    from_status: str
    to_status: str
    reason: str
    details: list[tuple[str, str]]


def _status_label(value: str) -> str:
    return str(ClueStatus(value).label) if value in ClueStatus.values else value


def _department_names(events: list[ClueEvent]) -> dict[int, str]:
    ids: set[int] = set()
    for event in events:
        payload = event.payload or {}
        for key in ("lead", "department"):
            if isinstance(payload.get(key), int):
                ids.add(payload[key])
        ids.update(pk for pk in payload.get("co") or [] if isinstance(pk, int))
    return dict(Department.objects.filter(pk__in=ids).values_list("pk", "name"))


def _event_details(event: ClueEvent, departments: dict[int, str]) -> list[tuple[str, str]]:
    """The payload entries worth a line, in words; the rest stays in the audit export."""
    payload = event.payload or {}
    details: list[tuple[str, str]] = []
    if isinstance(payload.get("lead"), int):
        details.append((_("主办"), departments.get(payload["lead"], "")))
    co = [departments.get(pk, "") for pk in payload.get("co") or [] if isinstance(pk, int)]
    if co:
        # Translators: the separator between the items of a list
        details.append((_("协办"), _("、").join(co)))
    if event.action == Action.RETURN and isinstance(payload.get("department"), int):
        details.append((_("退回单位"), departments.get(payload["department"], "")))
    if payload.get("suggested_department"):
        details.append((_("建议转交"), str(payload["suggested_department"])))
    for key, label in (
        ("days", _("申请天数")),
        ("granted_days", _("批准天数")),
        ("other_code", _("关联线索")),
        ("into_code", _("合并至")),
        ("note", _("转办意见")),
    ):
        if payload.get(key) not in (None, ""):
            details.append((label, str(payload[key])))
    if event.action == Action.ESCALATE and payload.get("level"):
        details.append((_("级别"), str(ESCALATION_LEVELS.get(payload["level"], payload["level"]))))
    if event.action == Action.RECORD_VERIFICATION:
        details.append((_("核查方式"), "".join(method_labels([str(payload.get("method", ""))]))))
        if payload.get("evidence"):
            details.append((_("证据文件"), str(payload["evidence"])))
    if payload.get("text"):
        details.append((_("补充内容"), str(payload["text"])))
    if payload.get("answer"):
        details.append((_("答复"), str(payload["answer"])))
    return details


def staff_timeline(user: User, clue: Clue) -> list[StaffEvent]:
    """Every event of the clue, with actor and reason; free text from the citizen is
    masked for department staff, who see identities only through a logged reveal."""
    events = list(clue_timeline(clue))
    departments = _department_names(events)
    masked = not permissions.sees_identity(user.role)
    rows: list[StaffEvent] = []
    for event in events:
        reason = event.reason
        details = _event_details(event, departments)
        by_citizen = event.actor_role == Role.CITIZEN
        if masked and (by_citizen or event.action in (Action.SUPPLY_INFO, Action.ADD_INFO)):
            reason = mask_pii(reason).text
            details = [(label, mask_pii(value).text) for label, value in details]
        actor = event.actor_name
        if masked and by_citizen:
            actor = _("群众")
        rows.append(
            StaffEvent(
                seq=event.seq,
                at=event.created_at,
                action=event.action,
                action_label=str(Action(event.action).label)
                if event.action in Action.values
                else event.action,
                actor=actor,
                role_label=str(Role(event.actor_role).label)
                if event.actor_role in Role.values
                else event.actor_role,
                from_status=_status_label(event.from_status),
                to_status=_status_label(event.to_status),
                reason=reason,
                details=details,
            )
        )
    return rows


@dataclass(frozen=True)
class ClueFiles:
    """The clue's files: what the citizen sent and the departments' evidence."""

    from_citizen: list[Attachment]
    evidence: list[Attachment]


def clue_files(clue: Clue) -> ClueFiles:
    attachments = list(
        Attachment.objects.filter(clue=clue).select_related("uploaded_by").order_by("pk")
    )
    evidence = [a for a in attachments if a.report_id is not None or _by_staff(a)]
    return ClueFiles(
        from_citizen=[a for a in attachments if a not in evidence],
        evidence=evidence,
    )


def _by_staff(attachment: Attachment) -> bool:
    user = attachment.uploaded_by
    return user is not None and user.role != Role.CITIZEN
