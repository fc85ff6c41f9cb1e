"""Each action's own rules: reasons, honest outcomes, reopening, rating once.

Routing (dispatch, return, merge) is in `test_routing`, deadlines in `test_deadlines`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from minsheng.accounts.actors import Actor
from minsheng.clues.choices import (
    CLOSING_OUTCOMES,
    Outcome,
    RejectionReason,
    Satisfaction,
)
from minsheng.clues.errors import ClueValidationError
from minsheng.clues.models import Clue
from minsheng.clues.services import citizen, curation, handling, identity, intake, review
from minsheng.clues.services.lifecycle import MAX_REASON_LENGTH
from minsheng.clues.tests.conftest import World, _report, receive
from minsheng.clues.tests.workflow.actions import REPRESENTATIVE, actor_for, ordered
from minsheng.clues.workflow import TRANSITIONS, Action, ClueStatus

S = ClueStatus

# --- Reasons ----------------------------------------------------------------------------

# Each action that needs a reason, taken with the given reason (the other inputs valid).
WithReason = Callable[[World, Clue, Actor, str], Any]
WITH_REASON: dict[Action, WithReason] = {
    Action.RETURN: lambda w, c, a, r: handling.clue_return(clue_id=c.pk, actor=a, reason=r),
    Action.REJECT: lambda w, c, a, r: intake.clue_reject(
        clue_id=c.pk, actor=a, reason_code=RejectionReason.SPAM, reason=r
    ),
    Action.WITHDRAW: lambda w, c, a, r: citizen.clue_withdraw(clue_id=c.pk, actor=a, reason=r),
    Action.SEND_BACK: lambda w, c, a, r: review.clue_send_back(clue_id=c.pk, actor=a, reason=r),
    Action.REQUEST_EXTENSION: lambda w, c, a, r: handling.clue_request_extension(
        clue_id=c.pk, actor=a, days=5, reason=r
    ),
    Action.DENY_EXTENSION: lambda w, c, a, r: handling.clue_decide_extension(
        clue_id=c.pk, actor=a, approve=False, reason=r
    ),
    Action.REQUEST_INFO: lambda w, c, a, r: handling.clue_request_info(
        clue_id=c.pk, actor=a, question=r
    ),
    Action.RESUME: lambda w, c, a, r: handling.clue_resume(clue_id=c.pk, actor=a, reason=r),
    Action.REOPEN: lambda w, c, a, r: review.clue_reopen(clue_id=c.pk, actor=a, reason=r),
    Action.MERGE: lambda w, c, a, r: intake.clue_merge(
        clue_id=c.pk, actor=a, into_clue_id=receive(w).pk, reason=r
    ),
    Action.CO_RETURN: lambda w, c, a, r: handling.clue_co_return(clue_id=c.pk, actor=a, reason=r),
    Action.REVEAL_IDENTITY: lambda w, c, a, r: identity.complainant_reveal(
        clue_id=c.pk, actor=a, reason=r
    ),
    Action.URGE: lambda w, c, a, r: review.clue_urge(clue_id=c.pk, actor=a, message=r),
    Action.ESCALATE: lambda w, c, a, r: review.clue_escalate(clue_id=c.pk, actor=a, message=r),
    Action.SET_PUBLIC: lambda w, c, a, r: curation.clue_set_public(
        clue_id=c.pk, actor=a, public=True, reason=r
    ),
}
REASON_REQUIRED = [action for action, t in TRANSITIONS.items() if t.reason_required]


def test_every_action_needing_a_reason_is_tried_without_one() -> None:
    assert set(WITH_REASON) == set(REASON_REQUIRED)
    # the actions the product asked to justify are among them
    assert {
        Action.RETURN, Action.REJECT, Action.WITHDRAW, Action.SEND_BACK,
        Action.REQUEST_EXTENSION, Action.REQUEST_INFO, Action.REOPEN, Action.MERGE,
        Action.REVEAL_IDENTITY, Action.URGE, Action.ESCALATE,
    } <= set(REASON_REQUIRED)  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("blank", ["", "   \n\t "], ids=["empty", "whitespace"])
@pytest.mark.parametrize("action", REASON_REQUIRED, ids=str)
def test_reason_is_required(
    world: World, clue_in: Callable[..., Clue], action: Action, blank: str
) -> None:
    # given a clue where the action may be taken, by a role that may take it
    source = ordered(TRANSITIONS[action].sources)[0]
    clue = clue_in(source)
    events_before = clue.events.count()

    # when it is taken without a reason
    with pytest.raises(ClueValidationError) as refused:
        WITH_REASON[action](world, clue, actor_for(world, REPRESENTATIVE[action]), blank)

    # then the reason field is named, and nothing happened
    assert refused.value.field == "reason"
    clue.refresh_from_db()
    assert clue.status == source
    assert clue.events.count() == events_before


@pytest.mark.django_db
def test_reason_has_a_maximum_length(world: World, clue_in: Callable[..., Clue]) -> None:
    clue = clue_in(S.RECEIVED)
    with pytest.raises(ClueValidationError) as refused:
        intake.clue_reject(
            clue_id=clue.pk,
            actor=world.actor("intake"),
            reason_code=RejectionReason.SPAM,
            reason="长" * (MAX_REASON_LENGTH + 1),
        )
    assert refused.value.field == "reason"


@pytest.mark.django_db
def test_reason_is_recorded_stripped(world: World, clue_in: Callable[..., Clue]) -> None:
    clue = clue_in(S.DISPATCHED)
    event = review.clue_urge(clue_id=clue.pk, actor=world.actor("supervisor"), message="  请尽快  ")
    assert event.reason == "请尽快"


# --- Closing with an honest outcome ---------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["", "   "], ids=["empty", "whitespace"])
def test_outside_remit_must_name_the_responsible_body(
    world: World, clue_in: Callable[..., Clue], body: str
) -> None:
    clue = clue_in(S.ANSWERED)
    with pytest.raises(ClueValidationError) as refused:
        review.clue_close(
            clue_id=clue.pk,
            actor=world.actor("intake"),
            outcome=Outcome.OUTSIDE_REMIT,
            responsible_body=body,
        )
    assert refused.value.field == "responsible_body"
    clue.refresh_from_db()
    assert clue.status == S.ANSWERED


@pytest.mark.django_db
@pytest.mark.parametrize("outcome", sorted(CLOSING_OUTCOMES), ids=str)
def test_close_with_each_honest_outcome(
    world: World, clue_in: Callable[..., Clue], outcome: Outcome
) -> None:
    # given an answered clue
    clue = clue_in(S.ANSWERED)
    # when closed with a closing outcome (naming the body when outside the remit)
    event = review.clue_close(
        clue_id=clue.pk,
        actor=world.actor("intake"),
        outcome=outcome,
        note="  已电话回访  ",
        responsible_body=" 长沙市住房和城乡建设局 ",
    )
    # then the outcome, note, body and closing time are on record
    clue.refresh_from_db()
    assert clue.status == S.CLOSED
    assert clue.outcome == outcome
    assert clue.outcome_note == "已电话回访"
    assert clue.responsible_body == "长沙市住房和城乡建设局"
    assert clue.closed_at == event.created_at
    assert event.payload["outcome"] == outcome


@pytest.mark.django_db
@pytest.mark.parametrize(
    "outcome",
    [*sorted(set(Outcome) - CLOSING_OUTCOMES), "", "fixed"],
    ids=lambda value: str(value) or "blank",
)
def test_close_with_an_outcome_that_follows_from_another_transition_is_refused(
    world: World, clue_in: Callable[..., Clue], outcome: str
) -> None:
    # given an answered clue, when closed as withdrawn/merged/invalid or nonsense
    clue = clue_in(S.ANSWERED)
    with pytest.raises(ClueValidationError) as refused:
        review.clue_close(clue_id=clue.pk, actor=world.actor("intake"), outcome=outcome)
    # then it is refused: those outcomes belong to withdraw, merge and reject
    assert refused.value.field == "outcome"
    clue.refresh_from_db()
    assert (clue.status, clue.outcome) == (S.ANSWERED, "")


# --- Reopen -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_reopen_counts_and_clears_the_outcome(world: World, clue_in: Callable[..., Clue]) -> None:
    # given a clue closed as resolved
    clue = clue_in(S.CLOSED)
    assert clue.outcome == Outcome.RESOLVED
    assert clue.closed_at is not None

    # when the citizen, unsatisfied, reopens it
    event = review.clue_reopen(clue_id=clue.pk, actor=Actor.citizen(), reason="问题没有解决")

    # then it is back with intake, counted, without an outcome or a running clock
    clue.refresh_from_db()
    assert clue.status == S.REOPENED
    assert clue.reopen_count == 1
    assert (clue.outcome, clue.outcome_note) == ("", "")
    assert clue.closed_at is None
    assert clue.handle_due is None
    assert event.payload["previous_outcome"] == Outcome.RESOLVED

    # when it goes round again and is reopened once more (from answered)
    intake.clue_dispatch(clue_id=clue.pk, actor=world.actor("intake"))
    handling.clue_accept(clue_id=clue.pk, actor=world.actor("handler"))
    _report(world, clue)
    review.clue_approve(clue_id=clue.pk, actor=world.actor("supervisor"))
    review.clue_answer(clue_id=clue.pk, actor=world.actor("intake"), answer="已再次处理。")
    review.clue_reopen(clue_id=clue.pk, actor=world.actor("supervisor"), reason="答复不准确")

    # then the count goes on
    clue.refresh_from_db()
    assert clue.reopen_count == 2


# --- Rating -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_answer_is_rated_once(world: World, clue_in: Callable[..., Clue]) -> None:
    # given an answered clue the citizen has rated
    clue = clue_in(S.ANSWERED)
    citizen.clue_rate(clue_id=clue.pk, actor=Actor.citizen(), satisfaction=Satisfaction.SATISFIED)

    # when rated again (even by intake on the phone), then it is refused
    with pytest.raises(ClueValidationError) as refused:
        citizen.clue_rate(
            clue_id=clue.pk, actor=world.actor("intake"), satisfaction=Satisfaction.UNSATISFIED
        )
    assert refused.value.field == "satisfaction"

    # and after closing too
    review.clue_close(clue_id=clue.pk, actor=world.actor("intake"), outcome=Outcome.RESOLVED)
    with pytest.raises(ClueValidationError):
        citizen.clue_rate(
            clue_id=clue.pk, actor=Actor.citizen(), satisfaction=Satisfaction.UNSATISFIED
        )
    clue.refresh_from_db()
    assert clue.satisfaction == Satisfaction.SATISFIED
    assert clue.events.filter(action=Action.RATE).count() == 1


@pytest.mark.django_db
def test_rating_must_be_a_known_level(world: World, clue_in: Callable[..., Clue]) -> None:
    clue = clue_in(S.ANSWERED)
    with pytest.raises(ClueValidationError) as refused:
        citizen.clue_rate(clue_id=clue.pk, actor=Actor.citizen(), satisfaction="great")
    assert refused.value.field == "satisfaction"
