"""The explicit, logged reveal of a complainant's identity to department staff."""

from __future__ import annotations

from django.utils.translation import gettext as _

from minsheng.accounts.actors import Actor
from minsheng.clues.errors import ClueValidationError
from minsheng.clues.models import Complainant
from minsheng.clues.services.lifecycle import TransitionContext, clue_transition
from minsheng.clues.workflow import Action

IDENTITY_FIELDS = ("name", "phone", "id_number", "email", "address")


def identity_values(complainant: Complainant | None) -> dict[str, str]:
    if complainant is None:
        return dict.fromkeys(IDENTITY_FIELDS, "")
    return {name: getattr(complainant, name) for name in IDENTITY_FIELDS}


def complainant_reveal(*, clue_id: int, actor: Actor, reason: str) -> dict[str, str]:
    """Return the unmasked identity and record who saw it, when and why.

    Preconditions: a department actor with an assignment on the clue (or an inspector),
    and a reason; the reveal is an event in the clue's chain.
    """
    revealed: dict[str, str] = {}

    def step(context: TransitionContext) -> None:
        complainant = Complainant.objects.filter(clue_id=context.clue.pk).first()
        if complainant is None:
            raise ClueValidationError(_("该线索为匿名反映，没有反映人信息。"))
        revealed.update(identity_values(complainant))
        context.payload["fields"] = [name for name, value in revealed.items() if value]

    clue_transition(
        clue_id=clue_id, action=Action.REVEAL_IDENTITY, actor=actor, reason=reason, step=step
    )
    return revealed
