"""How the workflow tests take each action: one call of the real service with valid arguments.

`PERFORMERS` maps every action of the transition table to a callable that takes it on a clue as
a given actor; `REPRESENTATIVE` names the actor each action is usually taken by. Tests build
their parameters from `TRANSITIONS`, so an action added to the table without a performer here
fails `test_every_action_has_a_performer` rather than going untested.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from minsheng.accounts.actors import Actor
from minsheng.accounts.roles import Role
from minsheng.clues.choices import (
    Conclusion,
    Outcome,
    RejectionReason,
    Satisfaction,
    VerificationMethod,
)
from minsheng.clues.models import Clue, ClueEvent, Tag
from minsheng.clues.services import citizen, curation, handling, identity, intake, review
from minsheng.clues.tests.conftest import World, receive
from minsheng.clues.workflow import TRANSITIONS, Action, ClueStatus
from minsheng.directory.choices import Priority

Performer = Callable[[World, Clue, Actor], Any]

# The world's user key (or "citizen"/"system") that acts in each role.
ROLE_KEYS: dict[Role, str] = {
    Role.CITIZEN: "citizen",
    Role.INTAKE: "intake",
    Role.DEPT_HANDLER: "handler",
    Role.DEPT_HEAD: "head",
    Role.SUPERVISOR: "supervisor",
    Role.INSPECTOR: "inspector",
    Role.ADMIN: "admin",
    Role.ANALYST: "analyst",
    Role.SYSTEM: "system",
}


def actor_for(world: World, key: str) -> Actor:
    """`citizen` is a citizen proven by tracking code and secret; `system` is the platform."""
    if key == "citizen":
        return Actor.citizen()
    if key == "system":
        return Actor.system()
    return world.actor(key)


def actor_in_role(world: World, role: Role) -> Actor:
    return actor_for(world, ROLE_KEYS[role])


def _report(world: World, clue: Clue, actor: Actor) -> ClueEvent:
    return handling.clue_report(
        clue_id=clue.pk,
        actor=actor,
        methods=[VerificationMethod.ON_SITE],
        findings="经现场核查，系主管道爆裂抢修导致停水。",
        conclusion=Conclusion.SUBSTANTIATED,
        actions_taken="已完成抢修，恢复供水。",
        proposed_answer="您反映的停水问题已处理，供水已恢复。",
    )


def _link(world: World, clue: Clue, actor: Actor) -> ClueEvent:
    other = receive(world, title="相邻小区也停水")
    return curation.clue_link(clue_id=clue.pk, actor=actor, other_clue_id=other.pk, score=0.8)


def _set_tags(world: World, clue: Clue, actor: Actor) -> ClueEvent:
    Tag.objects.get_or_create(slug=Tag.TYPICAL, defaults={"name": "典型案例"})
    return curation.clue_set_tags(clue_id=clue.pk, actor=actor, tags=[Tag.TYPICAL])


def _merge(world: World, clue: Clue, actor: Actor) -> ClueEvent:
    target = receive(world, title="同一小区停水（重复反映）")
    return intake.clue_merge(
        clue_id=clue.pk, actor=actor, into_clue_id=target.pk, reason="与另一线索重复"
    )


PERFORMERS: dict[Action, Performer] = {
    Action.TRIAGE: lambda w, c, a: intake.clue_triage(clue_id=c.pk, actor=a),
    Action.DISPATCH: lambda w, c, a: intake.clue_dispatch(clue_id=c.pk, actor=a),
    Action.ACCEPT: lambda w, c, a: handling.clue_accept(clue_id=c.pk, actor=a),
    Action.RETURN: lambda w, c, a: handling.clue_return(
        clue_id=c.pk, actor=a, reason="非本单位职责", suggested_department="雨花区住建局"
    ),
    Action.REQUEST_EXTENSION: lambda w, c, a: handling.clue_request_extension(
        clue_id=c.pk, actor=a, days=5, reason="需协调施工单位"
    ),
    Action.APPROVE_EXTENSION: lambda w, c, a: handling.clue_decide_extension(
        clue_id=c.pk, actor=a, approve=True
    ),
    Action.DENY_EXTENSION: lambda w, c, a: handling.clue_decide_extension(
        clue_id=c.pk, actor=a, approve=False, reason="理由不充分"
    ),
    Action.REQUEST_INFO: lambda w, c, a: handling.clue_request_info(
        clue_id=c.pk, actor=a, question="请提供具体楼栋号"
    ),
    Action.SUPPLY_INFO: lambda w, c, a: citizen.clue_supply_info(
        clue_id=c.pk, actor=a, text="3栋2单元"
    ),
    Action.RESUME: lambda w, c, a: handling.clue_resume(
        clue_id=c.pk, actor=a, reason="群众逾期未补充，按现有材料办理"
    ),
    Action.REPORT: _report,
    Action.SEND_BACK: lambda w, c, a: review.clue_send_back(
        clue_id=c.pk, actor=a, reason="核查不充分"
    ),
    Action.APPROVE: lambda w, c, a: review.clue_approve(clue_id=c.pk, actor=a),
    Action.ANSWER: lambda w, c, a: review.clue_answer(clue_id=c.pk, actor=a, answer="供水已恢复。"),
    Action.CLOSE: lambda w, c, a: review.clue_close(
        clue_id=c.pk, actor=a, outcome=Outcome.RESOLVED
    ),
    Action.REOPEN: lambda w, c, a: review.clue_reopen(clue_id=c.pk, actor=a, reason="群众不满意"),
    Action.REJECT: lambda w, c, a: intake.clue_reject(
        clue_id=c.pk, actor=a, reason_code=RejectionReason.SPAM, reason="广告信息"
    ),
    Action.WITHDRAW: lambda w, c, a: citizen.clue_withdraw(
        clue_id=c.pk, actor=a, reason="问题已自行解决"
    ),
    Action.MERGE: _merge,
    Action.CO_ACCEPT: lambda w, c, a: handling.clue_co_accept(clue_id=c.pk, actor=a),
    Action.CO_RETURN: lambda w, c, a: handling.clue_co_return(
        clue_id=c.pk, actor=a, reason="不属于本单位职责"
    ),
    Action.CO_CONTRIBUTE: lambda w, c, a: handling.clue_co_contribute(
        clue_id=c.pk, actor=a, contribution="街道已配合通知住户。"
    ),
    Action.RECORD_VERIFICATION: lambda w, c, a: handling.verification_step_record(
        clue_id=c.pk,
        actor=a,
        method=VerificationMethod.ON_SITE,
        performed_by="王工",
        performed_at=timezone.now(),
        findings="现场查看，3栋确实停水。",
    ),
    Action.REVEAL_IDENTITY: lambda w, c, a: identity.complainant_reveal(
        clue_id=c.pk, actor=a, reason="需电话联系反映人核实地址"
    ),
    Action.URGE: lambda w, c, a: review.clue_urge(clue_id=c.pk, actor=a, message="请尽快办理"),
    Action.ESCALATE: lambda w, c, a: review.clue_escalate(
        clue_id=c.pk, actor=a, message="群众多次反映，挂牌督办", level="listed"
    ),
    Action.RATE: lambda w, c, a: citizen.clue_rate(
        clue_id=c.pk, actor=a, satisfaction=Satisfaction.SATISFIED
    ),
    Action.ADD_INFO: lambda w, c, a: citizen.clue_add_info(
        clue_id=c.pk, actor=a, text="补充：停水范围包括4栋。"
    ),
    Action.UPDATE_DETAILS: lambda w, c, a: intake.clue_update_details(
        clue_id=c.pk, actor=a, priority=Priority.HIGH
    ),
    Action.LINK: _link,
    Action.SET_TAGS: _set_tags,
    Action.SET_PUBLIC: lambda w, c, a: curation.clue_set_public(
        clue_id=c.pk, actor=a, public=True, reason="典型案例，公开答复"
    ),
}

# Who usually takes each action (a key of `World.users`, or "citizen").
REPRESENTATIVE: dict[Action, str] = {
    Action.TRIAGE: "intake",
    Action.DISPATCH: "intake",
    Action.ACCEPT: "handler",
    Action.RETURN: "handler",
    Action.REQUEST_EXTENSION: "handler",
    Action.APPROVE_EXTENSION: "supervisor",
    Action.DENY_EXTENSION: "supervisor",
    Action.REQUEST_INFO: "handler",
    Action.SUPPLY_INFO: "citizen",
    Action.RESUME: "handler",
    Action.REPORT: "handler",
    Action.SEND_BACK: "supervisor",
    Action.APPROVE: "supervisor",
    Action.ANSWER: "intake",
    Action.CLOSE: "intake",
    Action.REOPEN: "supervisor",
    Action.REJECT: "intake",
    Action.WITHDRAW: "citizen",
    Action.MERGE: "intake",
    Action.CO_ACCEPT: "co_handler",
    Action.CO_RETURN: "co_handler",
    Action.CO_CONTRIBUTE: "co_handler",
    Action.RECORD_VERIFICATION: "handler",
    # The inspector needs no assignment, so it may reveal in every status.
    Action.REVEAL_IDENTITY: "inspector",
    Action.URGE: "supervisor",
    Action.ESCALATE: "supervisor",
    Action.RATE: "citizen",
    Action.ADD_INFO: "citizen",
    Action.UPDATE_DETAILS: "intake",
    Action.LINK: "intake",
    Action.SET_TAGS: "supervisor",
    Action.SET_PUBLIC: "supervisor",
}

# Extra steps that must happen before an action can be taken from a status reached by
# `clue_in` (the co-handler contributes only after signing for its part).
PREPARE: dict[Action, Performer] = {
    Action.CO_CONTRIBUTE: lambda w, c, a: handling.clue_co_accept(
        clue_id=c.pk, actor=w.actor("co_handler")
    ),
}


def perform(action: Action, world: World, clue: Clue, actor: Actor) -> Any:
    return PERFORMERS[action](world, clue, actor)


# Statuses (as `clue_in` reaches them) in which the water bureau holds no live assignment:
# there a department actor is refused by the department check before any status check.
NO_DEPARTMENT_ASSIGNMENT = frozenset(
    {
        ClueStatus.RECEIVED,
        ClueStatus.TRIAGED,
        ClueStatus.RETURNED,
        ClueStatus.REJECTED,
        ClueStatus.WITHDRAWN,
        ClueStatus.MERGED,
    }
)

STATUS_CHANGING = [action for action, t in TRANSITIONS.items() if t.target is not None]
RECORDED_STEPS = [action for action, t in TRANSITIONS.items() if t.target is None]


def snapshot(clue: Clue) -> dict[str, Any]:
    """What a refused action must leave exactly as it was."""
    clue.refresh_from_db()
    return {
        "status": clue.status,
        "last_event_seq": clue.last_event_seq,
        "last_event_hash": clue.last_event_hash,
        "events": clue.events.count(),
        "accept_due": clue.accept_due,
        "handle_due": clue.handle_due,
        "outcome": clue.outcome,
        "satisfaction": clue.satisfaction,
        "is_public": clue.is_public,
        "assignments": sorted(clue.assignments.values_list("pk", "status")),
        "links": clue.links_out.count(),
        "tags": sorted(clue.tags.values_list("slug", flat=True)),
        "updated_at": clue.updated_at,
    }


def ordered(statuses: frozenset[ClueStatus] | set[ClueStatus]) -> list[ClueStatus]:
    """Statuses in declaration order, so parameter lists (and test ids) are deterministic."""
    return [status for status in ClueStatus if status in statuses]
