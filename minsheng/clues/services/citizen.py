"""What the citizen does on a clue: supply or add information, rate, withdraw.

Intake may act for a citizen who calls the hotline; the event records who acted.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from minsheng.accounts.actors import Actor
from minsheng.clues.choices import Outcome, Satisfaction
from minsheng.clues.errors import ClueValidationError
from minsheng.clues.models import ClueEvent
from minsheng.clues.services.intake import cancel_open_assignments
from minsheng.clues.services.lifecycle import TransitionContext, clue_transition
from minsheng.clues.workflow import Action

MAX_INFO_LENGTH = 5000


def _checked_text(text: str, field: str) -> str:
    text = text.strip()
    if not text:
        raise ClueValidationError(_("请填写内容。"), field=field)
    if len(text) > MAX_INFO_LENGTH:
        raise ClueValidationError(_("内容不能超过%(n)d字。") % {"n": MAX_INFO_LENGTH}, field=field)
    return text


def clue_supply_info(*, clue_id: int, actor: Actor, text: str) -> ClueEvent:
    """The citizen answers the department's question; the handling clock resumes."""
    text = _checked_text(text, "text")
    return clue_transition(
        clue_id=clue_id, action=Action.SUPPLY_INFO, actor=actor, payload={"text": text}
    )


def clue_add_info(*, clue_id: int, actor: Actor, text: str) -> ClueEvent:
    """Add information or evidence to an open clue (status unchanged)."""
    text = _checked_text(text, "text")
    return clue_transition(
        clue_id=clue_id, action=Action.ADD_INFO, actor=actor, payload={"text": text}
    )


def clue_rate(
    *, clue_id: int, actor: Actor, satisfaction: Satisfaction | str, comment: str = ""
) -> ClueEvent:
    """Record the citizen's satisfaction with the answer (once per answer)."""
    if satisfaction not in Satisfaction.values:
        raise ClueValidationError(_("请选择满意度。"), field="satisfaction")

    def step(context: TransitionContext) -> None:
        if context.clue.satisfaction:
            raise ClueValidationError(_("该答复已评价。"), field="satisfaction")
        context.set(satisfaction=satisfaction, satisfaction_comment=comment.strip()[:2000])
        context.payload["satisfaction"] = str(satisfaction)

    return clue_transition(
        clue_id=clue_id, action=Action.RATE, actor=actor, reason=comment.strip(), step=step
    )


def clue_withdraw(*, clue_id: int, actor: Actor, reason: str) -> ClueEvent:
    """The citizen withdraws; any department work on it is cancelled."""

    def step(context: TransitionContext) -> None:
        cancelled = cancel_open_assignments(context.clue, context.at)
        context.set(outcome=Outcome.WITHDRAWN, outcome_note=context.reason, closed_at=context.at)
        if cancelled:
            context.payload["cancelled_assignments"] = cancelled

    return clue_transition(
        clue_id=clue_id, action=Action.WITHDRAW, actor=actor, reason=reason, step=step
    )
