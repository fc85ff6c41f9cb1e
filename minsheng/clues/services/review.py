"""Supervision of results (审核) and the answer to the citizen: approve or send back, answer,
close with an honest outcome, reopen, urge (催办) and escalate (督办)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from minsheng.accounts.actors import Actor
from minsheng.clues.choices import (
    CLOSING_OUTCOMES,
    AssignmentRole,
    AssignmentStatus,
    Outcome,
)
from minsheng.clues.errors import ClueValidationError
from minsheng.clues.models import ClueEvent
from minsheng.clues.services.lifecycle import TransitionContext, clue_transition, lead_assignment
from minsheng.clues.workflow import Action

# Lazy: the labels are read in the language of each request, not the one active at import.
ESCALATION_LEVELS = {
    "supervise": pgettext_lazy("escalation level", "督办"),
    "listed": gettext_lazy("挂牌督办"),
}


def clue_approve(*, clue_id: int, actor: Actor, comment: str = "") -> ClueEvent:
    """Accept the lead's report; the assignments are complete."""

    def step(context: TransitionContext) -> None:
        clue = context.clue
        clue.assignments.filter(role=AssignmentRole.LEAD, status=AssignmentStatus.REPORTED).update(
            status=AssignmentStatus.COMPLETED, finished_at=context.at
        )
        clue.assignments.filter(
            role=AssignmentRole.CO,
            status__in=[AssignmentStatus.ACCEPTED, AssignmentStatus.CONTRIBUTED],
        ).update(status=AssignmentStatus.COMPLETED, finished_at=context.at)
        clue.assignments.filter(role=AssignmentRole.CO, status=AssignmentStatus.PENDING).update(
            status=AssignmentStatus.CANCELLED, finished_at=context.at
        )
        report = clue.reports.order_by("-submitted_at").first()
        context.payload["report"] = report.pk if report else None

    return clue_transition(
        clue_id=clue_id, action=Action.APPROVE, actor=actor, reason=comment, step=step
    )


def clue_send_back(*, clue_id: int, actor: Actor, reason: str) -> ClueEvent:
    """The reviewer returns the result for rework, with reasons."""

    def step(context: TransitionContext) -> None:
        lead = lead_assignment(context.clue)
        if lead is not None and lead.status == AssignmentStatus.REPORTED:
            lead.status = AssignmentStatus.ACCEPTED
            lead.save(update_fields=["status"])
        context.set(send_back_count=context.clue.send_back_count + 1)
        context.payload["assignment"] = lead.pk if lead else None

    return clue_transition(
        clue_id=clue_id, action=Action.SEND_BACK, actor=actor, reason=reason, step=step
    )


def clue_answer(*, clue_id: int, actor: Actor, answer: str) -> ClueEvent:
    """The reply reaches the citizen (答复)."""
    answer = answer.strip()
    if not answer:
        raise ClueValidationError(_("请填写答复意见。"), field="answer")

    def step(context: TransitionContext) -> None:
        lead = (
            context.clue.assignments.filter(
                role=AssignmentRole.LEAD, status=AssignmentStatus.COMPLETED
            )
            .order_by("-finished_at")
            .first()
        )
        context.set(
            answer=answer,
            answered_at=context.at,
            answered_by=lead.department if lead else None,
            satisfaction="",
            satisfaction_comment="",
        )
        context.payload["answer"] = answer

    return clue_transition(clue_id=clue_id, action=Action.ANSWER, actor=actor, step=step)


def clue_close(
    *,
    clue_id: int,
    actor: Actor,
    outcome: Outcome | str,
    note: str = "",
    responsible_body: str = "",
) -> ClueEvent:
    """Close an answered clue, recording honestly how it ended.

    "Outside our remit" must name the body that is responsible, so the citizen knows where
    to go and statistics never count it as fixed.
    """
    if outcome not in CLOSING_OUTCOMES:
        raise ClueValidationError(_("请选择办结结果。"), field="outcome")
    responsible_body = responsible_body.strip()
    if outcome == Outcome.OUTSIDE_REMIT and not responsible_body:
        raise ClueValidationError(_("请写明有权处理的机关。"), field="responsible_body")

    def step(context: TransitionContext) -> None:
        context.set(
            outcome=outcome,
            outcome_note=note.strip(),
            responsible_body=responsible_body[:100],
            closed_at=context.at,
        )
        context.payload.update(outcome=str(outcome), responsible_body=responsible_body)

    return clue_transition(clue_id=clue_id, action=Action.CLOSE, actor=actor, step=step)


def clue_reopen(*, clue_id: int, actor: Actor, reason: str) -> ClueEvent:
    """Reopen after an unsatisfied citizen (or a supervisor's finding); back to intake."""

    def step(context: TransitionContext) -> None:
        context.payload["previous_outcome"] = context.clue.outcome
        context.set(
            reopen_count=context.clue.reopen_count + 1,
            outcome="",
            outcome_note="",
            closed_at=None,
        )

    return clue_transition(
        clue_id=clue_id, action=Action.REOPEN, actor=actor, reason=reason, step=step
    )


def clue_urge(*, clue_id: int, actor: Actor, message: str) -> ClueEvent:
    """催办: a recorded reminder to the department."""
    return clue_transition(clue_id=clue_id, action=Action.URGE, actor=actor, reason=message)


def clue_escalate(
    *, clue_id: int, actor: Actor, message: str, level: str = "supervise"
) -> ClueEvent:
    """督办 (or 挂牌督办 for `level="listed"`): formal supervision, recorded on the clue."""
    if level not in ESCALATION_LEVELS:
        raise ClueValidationError(_("督办级别无效。"), field="level")
    return clue_transition(
        clue_id=clue_id,
        action=Action.ESCALATE,
        actor=actor,
        reason=message,
        payload={"level": level},
    )
