"""How a demo clue is written down: who reported what, when, and the story of its handling.

A story is a sequence of steps, each a call to one clue service, taken `after` hours after
the step before it (the first one after the clue is received). `services.clues` replays the
stories through the real services on a simulated clock; nothing here writes to the database
directly, and no step ever sets a status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.utils import timezone

from minsheng.accounts.actors import Actor
from minsheng.clues.choices import (
    Channel,
    Conclusion,
    Outcome,
    RejectionReason,
    Satisfaction,
    VerificationMethod,
)
from minsheng.clues.services import citizen, handling, intake, review
from minsheng.directory.choices import Priority
from minsheng.directory.models import Department

# Re-exported so that the data modules import their vocabulary from one place.
__all__ = [
    "Channel",
    "Conclusion",
    "Outcome",
    "Priority",
    "RejectionReason",
    "Satisfaction",
    "VerificationMethod",
]


@dataclass(frozen=True)
class Person:
    """A fictional complainant. Phone numbers and ID numbers are made up but well-formed."""

    name: str
    phone: str
    address: str = ""
    id_number: str = ""


@dataclass(frozen=True, kw_only=True)
class DemoClue:
    """One demo clue: what was reported, and the story of what happened to it since.

    `key` becomes the clue's external id in source "demo", which makes loading idempotent.
    The report was made `days_ago` days before today at `time` (local "HH:MM"), or, for
    the newest clues, `hours_ago` hours before the demo is loaded. `region` is the name of
    a demo region (a district or a street). `by_citizen_account` files the clue as the
    demo citizen user of the web portal.
    """

    key: str
    days_ago: int = 0
    time: str = ""
    hours_ago: float = 0.0
    title: str
    content: str
    category: str  # "一级/二级/三级" in the default taxonomy
    region: str
    place: str
    person: Person | None  # None: reported anonymously
    story: Sequence[Step]
    channel: Channel = Channel.WEB
    priority: Priority = Priority.NORMAL
    by_citizen_account: bool = False
    # Hours between the report and its registration (a hotline call is typed in later).
    receive_after: float = 0.2

    def reported_at(self, now: dt.datetime) -> dt.datetime:
        """When the citizen reported it, for a demo loaded at `now`."""
        if self.hours_ago:
            moment = now - dt.timedelta(hours=self.hours_ago)
            return moment.replace(second=0, microsecond=0)
        local_now = timezone.localtime(now)
        day = local_now.date() - dt.timedelta(days=self.days_ago)
        hour, minute = (int(part) for part in self.time.split(":"))
        return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=local_now.tzinfo)


class StoryContext(Protocol):
    """What a step may use while its clue's story is replayed."""

    clue_id: int

    def staff(self, username: str) -> Actor:
        """The demo account `username` acting."""
        ...

    def lead(self, username: str | None = None) -> Actor:
        """`username`, or else a demo handler of the clue's current lead department."""
        ...

    def handler_of(self, department_name: str) -> Actor:
        """A demo handler of the named department."""
        ...

    def complainant(self) -> Actor:
        """The citizen who reported the clue (their account, or proven by tracking code)."""
        ...

    def clue_id_of(self, key: str) -> int:
        """The id of another demo clue, already loaded."""
        ...

    def department(self, name: str) -> Department: ...

    def now(self) -> dt.datetime: ...


@dataclass(frozen=True, kw_only=True)
class Step:
    """One service call in a story, `after` hours after the previous step.

    Staff steps that would fall at night move to the next morning, except on urgent clues
    (emergency crews work around the clock) and steps taken by the citizen.
    """

    after: float = 2.0

    @property
    def office_hours(self) -> bool:
        return True

    def run(self, story: StoryContext) -> None:
        raise NotImplementedError


# --- Intake -------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Triage(Step):
    priority: Priority | None = None
    reason: str = ""

    def run(self, story: StoryContext) -> None:
        intake.clue_triage(
            clue_id=story.clue_id,
            actor=story.staff("intake"),
            priority=self.priority,
            reason=self.reason,
        )


@dataclass(frozen=True, kw_only=True)
class Dispatch(Step):
    """转办 by the responsibility list, unless `lead` names the department explicitly."""

    lead: str = ""
    co: tuple[str, ...] = ()
    note: str = ""

    def run(self, story: StoryContext) -> None:
        intake.clue_dispatch(
            clue_id=story.clue_id,
            actor=story.staff("intake"),
            lead_department=story.department(self.lead) if self.lead else None,
            co_departments=[story.department(name) for name in self.co],
            note=self.note,
        )


@dataclass(frozen=True, kw_only=True)
class Reject(Step):
    code: RejectionReason
    reason: str

    def run(self, story: StoryContext) -> None:
        intake.clue_reject(
            clue_id=story.clue_id,
            actor=story.staff("intake"),
            reason_code=self.code,
            reason=self.reason,
        )


@dataclass(frozen=True, kw_only=True)
class Merge(Step):
    into: str  # key of the demo clue that carries the handling
    reason: str

    def run(self, story: StoryContext) -> None:
        intake.clue_merge(
            clue_id=story.clue_id,
            actor=story.staff("intake"),
            into_clue_id=story.clue_id_of(self.into),
            reason=self.reason,
        )


# --- Departments --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Accept(Step):
    by: str | None = None

    def run(self, story: StoryContext) -> None:
        handling.clue_accept(clue_id=story.clue_id, actor=story.lead(self.by))


@dataclass(frozen=True, kw_only=True)
class Return(Step):
    reason: str
    suggested_department: str = ""

    def run(self, story: StoryContext) -> None:
        handling.clue_return(
            clue_id=story.clue_id,
            actor=story.lead(),
            reason=self.reason,
            suggested_department=self.suggested_department,
        )


@dataclass(frozen=True, kw_only=True)
class CoAccept(Step):
    department: str

    def run(self, story: StoryContext) -> None:
        handling.clue_co_accept(clue_id=story.clue_id, actor=story.handler_of(self.department))


@dataclass(frozen=True, kw_only=True)
class CoContribute(Step):
    department: str
    text: str

    def run(self, story: StoryContext) -> None:
        handling.clue_co_contribute(
            clue_id=story.clue_id,
            actor=story.handler_of(self.department),
            contribution=self.text,
        )


@dataclass(frozen=True, kw_only=True)
class RequestExtension(Step):
    days: int
    reason: str
    by: str | None = None

    def run(self, story: StoryContext) -> None:
        handling.clue_request_extension(
            clue_id=story.clue_id, actor=story.lead(self.by), days=self.days, reason=self.reason
        )


@dataclass(frozen=True, kw_only=True)
class DecideExtension(Step):
    approve: bool
    days: int | None = None
    reason: str = ""

    def run(self, story: StoryContext) -> None:
        handling.clue_decide_extension(
            clue_id=story.clue_id,
            actor=story.staff("supervisor"),
            approve=self.approve,
            days=self.days,
            reason=self.reason,
        )


@dataclass(frozen=True, kw_only=True)
class RequestInfo(Step):
    question: str

    def run(self, story: StoryContext) -> None:
        handling.clue_request_info(
            clue_id=story.clue_id, actor=story.lead(), question=self.question
        )


@dataclass(frozen=True, kw_only=True)
class Verify(Step):
    """A verification act (核查) recorded by the lead, performed `after` hours in."""

    method: VerificationMethod
    performed_by: str
    findings: str

    def run(self, story: StoryContext) -> None:
        handling.verification_step_record(
            clue_id=story.clue_id,
            actor=story.lead(),
            method=self.method,
            performed_by=self.performed_by,
            performed_at=story.now(),
            findings=self.findings,
        )


@dataclass(frozen=True, kw_only=True)
class Report(Step):
    methods: tuple[VerificationMethod, ...]
    findings: str
    conclusion: Conclusion
    actions_taken: str
    proposed_answer: str

    def run(self, story: StoryContext) -> None:
        handling.clue_report(
            clue_id=story.clue_id,
            actor=story.lead(),
            methods=list(self.methods),
            findings=self.findings,
            conclusion=self.conclusion,
            actions_taken=self.actions_taken,
            proposed_answer=self.proposed_answer,
        )


# --- Review and answer --------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Approve(Step):
    comment: str = ""

    def run(self, story: StoryContext) -> None:
        review.clue_approve(
            clue_id=story.clue_id, actor=story.staff("supervisor"), comment=self.comment
        )


@dataclass(frozen=True, kw_only=True)
class SendBack(Step):
    reason: str

    def run(self, story: StoryContext) -> None:
        review.clue_send_back(
            clue_id=story.clue_id, actor=story.staff("supervisor"), reason=self.reason
        )


@dataclass(frozen=True, kw_only=True)
class Answer(Step):
    """The reply to the citizen: by intake (a call back) or, with `by_lead`, the department."""

    text: str
    by_lead: bool = False

    def run(self, story: StoryContext) -> None:
        actor = story.lead() if self.by_lead else story.staff("intake")
        review.clue_answer(clue_id=story.clue_id, actor=actor, answer=self.text)


@dataclass(frozen=True, kw_only=True)
class Close(Step):
    outcome: Outcome
    note: str = ""
    responsible_body: str = ""

    def run(self, story: StoryContext) -> None:
        review.clue_close(
            clue_id=story.clue_id,
            actor=story.staff("intake"),
            outcome=self.outcome,
            note=self.note,
            responsible_body=self.responsible_body,
        )


@dataclass(frozen=True, kw_only=True)
class Reopen(Step):
    """Reopened by the complainant, or by the supervisor when `by_supervisor`."""

    reason: str
    by_supervisor: bool = False

    @property
    def office_hours(self) -> bool:
        return self.by_supervisor

    def run(self, story: StoryContext) -> None:
        actor = story.staff("supervisor") if self.by_supervisor else story.complainant()
        review.clue_reopen(clue_id=story.clue_id, actor=actor, reason=self.reason)


@dataclass(frozen=True, kw_only=True)
class Urge(Step):
    message: str

    def run(self, story: StoryContext) -> None:
        review.clue_urge(
            clue_id=story.clue_id, actor=story.staff("supervisor"), message=self.message
        )


@dataclass(frozen=True, kw_only=True)
class Escalate(Step):
    message: str
    level: str = "supervise"

    def run(self, story: StoryContext) -> None:
        review.clue_escalate(
            clue_id=story.clue_id,
            actor=story.staff("supervisor"),
            message=self.message,
            level=self.level,
        )


# --- The citizen --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SupplyInfo(Step):
    text: str

    @property
    def office_hours(self) -> bool:
        return False

    def run(self, story: StoryContext) -> None:
        citizen.clue_supply_info(clue_id=story.clue_id, actor=story.complainant(), text=self.text)


@dataclass(frozen=True, kw_only=True)
class Rate(Step):
    satisfaction: Satisfaction
    comment: str = ""

    @property
    def office_hours(self) -> bool:
        return False

    def run(self, story: StoryContext) -> None:
        citizen.clue_rate(
            clue_id=story.clue_id,
            actor=story.complainant(),
            satisfaction=self.satisfaction,
            comment=self.comment,
        )


@dataclass(frozen=True, kw_only=True)
class Withdraw(Step):
    """Withdrawn by the complainant online, or through intake on the phone (`by_phone`)."""

    reason: str
    by_phone: bool = False

    @property
    def office_hours(self) -> bool:
        return self.by_phone

    def run(self, story: StoryContext) -> None:
        actor = story.staff("intake") if self.by_phone else story.complainant()
        citizen.clue_withdraw(clue_id=story.clue_id, actor=actor, reason=self.reason)


def story_hours(steps: Sequence[Step]) -> float:
    """Hours from a clue's registration to the last step of its story."""
    return sum(step.after for step in steps)
