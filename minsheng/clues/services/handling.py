"""Department work (承办): accept or return, extensions, asking the citizen, verification,
the result report, and the co-handlers' part."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minsheng.accounts.actors import Actor
from minsheng.clues import permissions
from minsheng.clues.choices import (
    AssignmentRole,
    AssignmentStatus,
    Conclusion,
    VerificationMethod,
)
from minsheng.clues.errors import ActionForbidden, ClueValidationError
from minsheng.clues.models import (
    Assignment,
    Clue,
    ClueEvent,
    VerificationReport,
    VerificationStep,
)
from minsheng.clues.services.attachments import (
    CheckedFile,
    attachment_room_check,
    attachment_store,
    attachments_check,
)
from minsheng.clues.services.intake import cancel_open_assignments
from minsheng.clues.services.lifecycle import TransitionContext, clue_transition
from minsheng.clues.workflow import Action

MAX_EXTENSION_REQUEST_DAYS = 60

# Files from a form: the open file and the name the uploader gave it.
UploadedFiles = Sequence[tuple[IO[bytes], str]]


def _entitling_assignment(context: TransitionContext) -> Assignment:
    assert context.assignment is not None, "department actions run with an assignment"
    return context.assignment


def _move_assignment(
    assignment: Assignment,
    expected: Sequence[AssignmentStatus],
    to: AssignmentStatus,
    **fields: object,
) -> None:
    if assignment.status not in expected:
        raise ClueValidationError(
            _("本单位的承办任务当前为“%(status)s”，不能执行此操作。")
            % {"status": AssignmentStatus(assignment.status).label}
        )
    assignment.status = to
    for name, value in fields.items():
        setattr(assignment, name, value)
    assignment.save(update_fields=["status", *fields])


def _sign_for_assignment(context: TransitionContext) -> None:
    """签收: the entitling assignment (lead or co-handler) moves from pending to accepted."""
    assignment = _entitling_assignment(context)
    _move_assignment(
        assignment,
        [AssignmentStatus.PENDING],
        AssignmentStatus.ACCEPTED,
        accepted_at=context.at,
    )
    context.payload.update(
        assignment=assignment.pk,
        on_time=timezone.localdate(context.at) <= assignment.accept_due,
    )


def clue_accept(*, clue_id: int, actor: Actor) -> ClueEvent:
    """签收 by the lead department."""
    return clue_transition(
        clue_id=clue_id, action=Action.ACCEPT, actor=actor, step=_sign_for_assignment
    )


def _give_back_assignment(context: TransitionContext) -> Assignment:
    """The entitling assignment (lead or co-handler) is handed back with the reason."""
    assignment = _entitling_assignment(context)
    _move_assignment(
        assignment,
        [AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED],
        AssignmentStatus.RETURNED,
        return_reason=context.reason,
        finished_at=context.at,
    )
    context.payload["assignment"] = assignment.pk
    return assignment


def clue_return(
    *, clue_id: int, actor: Actor, reason: str, suggested_department: str = ""
) -> ClueEvent:
    """The lead returns a misrouted clue to intake; co-handling is cancelled with it."""

    def step(context: TransitionContext) -> None:
        assignment = _give_back_assignment(context)
        cancelled = cancel_open_assignments(context.clue, context.at)
        context.set(return_count=context.clue.return_count + 1)
        context.payload.update(
            department=assignment.department_id,
            suggested_department=suggested_department.strip()[:100],
            cancelled_assignments=cancelled,
        )

    return clue_transition(
        clue_id=clue_id, action=Action.RETURN, actor=actor, reason=reason, step=step
    )


def clue_request_extension(*, clue_id: int, actor: Actor, days: int, reason: str) -> ClueEvent:
    """The lead asks for more working days; a reviewer decides."""
    if not 0 < days <= MAX_EXTENSION_REQUEST_DAYS:
        raise ClueValidationError(
            ngettext(
                "延期天数应为1至%(n)d个工作日。",
                "延期天数应为1至%(n)d个工作日。",
                MAX_EXTENSION_REQUEST_DAYS,
            )
            % {"n": MAX_EXTENSION_REQUEST_DAYS},
            field="days",
        )

    def step(context: TransitionContext) -> None:
        context.payload.update(days=days, assignment=_entitling_assignment(context).pk)

    return clue_transition(
        clue_id=clue_id, action=Action.REQUEST_EXTENSION, actor=actor, reason=reason, step=step
    )


def _requested_extension_days(clue_id: int) -> int:
    request = (
        ClueEvent.objects.filter(clue_id=clue_id, action=Action.REQUEST_EXTENSION)
        .order_by("-seq")
        .first()
    )
    return int(request.payload.get("days", 0)) if request else 0


def clue_decide_extension(
    *, clue_id: int, actor: Actor, approve: bool, days: int | None = None, reason: str = ""
) -> ClueEvent:
    """Grant at most the days asked (fewer is allowed), within the SLA's limit, or deny."""
    if not approve:
        return clue_transition(
            clue_id=clue_id, action=Action.DENY_EXTENSION, actor=actor, reason=reason
        )

    def step(context: TransitionContext) -> None:
        requested = _requested_extension_days(clue_id)
        granted = days if days is not None else requested
        if not 0 < granted <= requested:
            raise ClueValidationError(
                ngettext(
                    "批准的延期天数应为1至%(n)d个工作日（不超过申请天数）。",
                    "批准的延期天数应为1至%(n)d个工作日（不超过申请天数）。",
                    requested,
                )
                % {"n": requested},
                field="days",
            )
        context.extension_days = granted
        context.payload.update(requested_days=requested, granted_days=granted)

    return clue_transition(
        clue_id=clue_id, action=Action.APPROVE_EXTENSION, actor=actor, reason=reason, step=step
    )


def clue_request_info(*, clue_id: int, actor: Actor, question: str) -> ClueEvent:
    """Ask the citizen for information; the handling clock pauses until it comes."""
    return clue_transition(
        clue_id=clue_id, action=Action.REQUEST_INFO, actor=actor, reason=question
    )


def clue_resume(*, clue_id: int, actor: Actor, reason: str) -> ClueEvent:
    """Restart the clock without the citizen's answer (it is not coming, or not needed)."""
    return clue_transition(clue_id=clue_id, action=Action.RESUME, actor=actor, reason=reason)


def verification_step_record(
    *,
    clue_id: int,
    actor: Actor,
    method: VerificationMethod | str,
    performed_by: str,
    performed_at: dt.datetime,
    findings: str,
    files: UploadedFiles = (),
) -> VerificationStep:
    """Record one verification act by the lead or a co-handler while the clue is in hand,
    with its evidence files.

    Preconditions: the actor's department holds an accepted (or contributed) assignment in
    the current round. Every file is checked by its content before anything is written;
    the step and its evidence are stored together or not at all (errors name `files`).
    """
    if method not in VerificationMethod.values:
        raise ClueValidationError(_("核查方式无效。"), field="method")
    if not findings.strip():
        raise ClueValidationError(_("请填写核查情况。"), field="findings")
    if not performed_by.strip():
        raise ClueValidationError(_("请填写核查人。"), field="performed_by")
    if performed_at > timezone.now() + dt.timedelta(minutes=5):
        raise ClueValidationError(_("核查时间不能晚于当前时间。"), field="performed_at")
    if actor.user is None or not permissions.is_department_role(actor.role):
        raise ActionForbidden(_("只有承办单位可以记录核查情况。"))
    recorder = actor.user
    checked = attachments_check(files=files, field="files")
    recorded: list[VerificationStep] = []

    def step(context: TransitionContext) -> None:
        assignment = _entitling_assignment(context)
        if assignment.status not in (AssignmentStatus.ACCEPTED, AssignmentStatus.CONTRIBUTED):
            raise ActionForbidden(_("本单位没有该线索正在办理的承办任务。"))
        attachment_room_check(context.clue, len(checked), field="files")
        verification = VerificationStep.objects.create(
            assignment=assignment,
            method=method,
            performed_by=performed_by.strip()[:100],
            performed_at=performed_at,
            findings=findings.strip(),
            recorded_by=recorder,
        )
        _store_evidence(context.clue, actor, checked, verification_step=verification)
        recorded.append(verification)
        context.payload.update(
            verification_step=verification.pk,
            method=str(method),
            assignment=assignment.pk,
            evidence=len(checked),
        )

    clue_transition(clue_id=clue_id, action=Action.RECORD_VERIFICATION, actor=actor, step=step)
    return recorded[0]


def _store_evidence(
    clue: Clue,
    actor: Actor,
    checked: Sequence[CheckedFile],
    *,
    report: VerificationReport | None = None,
    verification_step: VerificationStep | None = None,
) -> None:
    """Store files already checked, in the transition's transaction (all or nothing): the
    transition has locked the clue and found the actor's assignment, and the caller made
    room for them, so `attachment_add`'s checks would only repeat per file."""
    for file in checked:
        attachment_store(
            clue=clue,
            actor=actor,
            checked=file,
            report=report,
            verification_step=verification_step,
        )


def clue_report(
    *,
    clue_id: int,
    actor: Actor,
    methods: Sequence[str],
    findings: str,
    conclusion: Conclusion | str,
    actions_taken: str = "",
    proposed_answer: str = "",
    files: UploadedFiles = (),
) -> ClueEvent:
    """The lead submits its verification report for review, with optional evidence files.

    Every file is checked by its content first; the report, its files and the transition
    are written together or not at all (errors name `files`).
    """
    if not methods or any(method not in VerificationMethod.values for method in methods):
        raise ClueValidationError(_("请选择核查方式。"), field="methods")
    if conclusion not in Conclusion.values:
        raise ClueValidationError(_("请选择核查结论。"), field="conclusion")
    if not findings.strip():
        raise ClueValidationError(_("请填写核查情况。"), field="findings")
    if not proposed_answer.strip():
        raise ClueValidationError(_("请填写拟答复群众的意见。"), field="proposed_answer")
    if actor.user is None:
        raise ActionForbidden(_("报送需要登录的承办人。"))
    user = actor.user
    checked = attachments_check(files=files, field="files")

    def step(context: TransitionContext) -> None:
        assignment = _entitling_assignment(context)
        _move_assignment(assignment, [AssignmentStatus.ACCEPTED], AssignmentStatus.REPORTED)
        attachment_room_check(context.clue, len(checked), field="files")
        report = VerificationReport.objects.create(
            clue=context.clue,
            assignment=assignment,
            methods=sorted(set(methods)),
            findings=findings.strip(),
            conclusion=conclusion,
            actions_taken=actions_taken.strip(),
            proposed_answer=proposed_answer.strip(),
            submitted_by=user,
            submitted_at=context.at,
        )
        _store_evidence(context.clue, actor, checked, report=report)
        context.payload.update(report=report.pk, conclusion=str(conclusion), methods=report.methods)
        if checked:
            context.payload["evidence_files"] = len(checked)

    return clue_transition(clue_id=clue_id, action=Action.REPORT, actor=actor, step=step)


def clue_co_accept(*, clue_id: int, actor: Actor) -> ClueEvent:
    """签收 by a co-handling department."""
    return clue_transition(
        clue_id=clue_id, action=Action.CO_ACCEPT, actor=actor, step=_sign_for_assignment
    )


def clue_co_return(*, clue_id: int, actor: Actor, reason: str) -> ClueEvent:
    """A co-handler says the clue is not its business; the lead carries on."""

    def step(context: TransitionContext) -> None:
        _give_back_assignment(context)

    return clue_transition(
        clue_id=clue_id, action=Action.CO_RETURN, actor=actor, reason=reason, step=step
    )


def clue_co_contribute(*, clue_id: int, actor: Actor, contribution: str) -> ClueEvent:
    """A co-handler hands its part of the result to the lead."""
    if not contribution.strip():
        raise ClueValidationError(_("请填写协办意见。"), field="contribution")

    def step(context: TransitionContext) -> None:
        assignment = _entitling_assignment(context)
        if assignment.role != AssignmentRole.CO:
            raise ActionForbidden(_("只有协办单位可以提交协办意见。"))
        _move_assignment(
            assignment,
            [AssignmentStatus.ACCEPTED],
            AssignmentStatus.CONTRIBUTED,
            contribution=contribution.strip(),
        )
        context.payload["assignment"] = assignment.pk

    return clue_transition(clue_id=clue_id, action=Action.CO_CONTRIBUTE, actor=actor, step=step)
