"""Replaying the demo clues' stories through the real clue services.

Each demo clue is received and then taken through its story one service call at a time, on
a simulated clock that starts when the citizen reported it (see `minsheng.demo.clock`). A
clue is loaded in one transaction, keyed by source "demo" and its external id: a clue that
exists is skipped, so loading twice creates nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from minsheng.accounts.actors import Actor
from minsheng.accounts.models import User
from minsheng.accounts.roles import Role
from minsheng.clues import permissions
from minsheng.clues.choices import AssignmentRole, Channel
from minsheng.clues.errors import ClueError
from minsheng.clues.models import Clue
from minsheng.clues.services.intake import ComplainantData, clue_receive
from minsheng.clues.workflow import OPEN_STATUSES, ClueStatus
from minsheng.demo.clock import ClockError, SimulatedClock, simulated_time
from minsheng.demo.data.accounts import ACCOUNTS
from minsheng.demo.services.summary import DemoLoadError, SectionSummary
from minsheng.demo.story import DemoClue
from minsheng.directory.choices import Priority
from minsheng.directory.models import Category, Department, Region
from minsheng.directory.selectors import category_by_path

DEMO_SOURCE = "demo"


@dataclass
class _Replay:
    """The `StoryContext` of one clue being replayed."""

    clue_id: int
    clock: SimulatedClock
    accounts: Mapping[str, User]
    departments: Mapping[str, Department]
    handlers: Mapping[int, User]  # department id → its demo handler
    loaded: Mapping[str, int]  # demo key → clue id
    complainant_actor: Actor

    def staff(self, username: str) -> Actor:
        try:
            return Actor.of(self.accounts[username])
        except KeyError as exc:
            raise DemoLoadError(f"没有演示账号 {username}。") from exc

    def lead(self, username: str | None = None) -> Actor:
        if username:
            return self.staff(username)
        assignment = (
            Clue.objects.get(pk=self.clue_id)
            .assignments.filter(
                role=AssignmentRole.LEAD, status__in=permissions.LIVE_ASSIGNMENT_STATUSES
            )
            .order_by("-dispatched_at", "-pk")
            .first()
        )
        if assignment is None:
            raise DemoLoadError("线索没有主办单位，故事中的承办步骤无法执行。")
        return self._handler(assignment.department_id)

    def handler_of(self, department_name: str) -> Actor:
        return self._handler(self.department(department_name).pk)

    def _handler(self, department_id: int) -> Actor:
        user = self.handlers.get(department_id)
        if user is None:
            name = Department.objects.get(pk=department_id).name
            raise DemoLoadError(f"单位“{name}”没有演示承办人账号。")
        return Actor.of(user)

    def complainant(self) -> Actor:
        return self.complainant_actor

    def clue_id_of(self, key: str) -> int:
        try:
            return self.loaded[key]
        except KeyError as exc:
            raise DemoLoadError(f"演示线索 {key} 尚未载入（须排在引用它的线索之前）。") from exc

    def department(self, name: str) -> Department:
        try:
            return self.departments[name]
        except KeyError as exc:
            raise DemoLoadError(f"没有名为“{name}”的承办单位。") from exc

    def now(self) -> dt.datetime:
        return self.clock.now()


@dataclass(frozen=True)
class _Directory:
    """What the stories refer to by name, fetched once."""

    categories: Mapping[str, Category]
    regions: Mapping[str, Region]
    departments: Mapping[str, Department]
    accounts: Mapping[str, User]
    handlers: Mapping[int, User]

    @classmethod
    def fetch(cls, clues: Iterable[DemoClue], accounts: Mapping[str, User]) -> _Directory:
        categories = {}
        for path in {clue.category for clue in clues}:
            category = category_by_path(path=path)
            if category is None:
                raise DemoLoadError(f"分类“{path}”不在分类体系中。")
            categories[path] = category
        regions: dict[str, Region] = {}
        for region in Region.objects.all():
            if region.name in regions:
                raise DemoLoadError(f"区划名称“{region.name}”不唯一，演示线索无法按名称引用。")
            regions[region.name] = region
        departments = {department.name: department for department in Department.objects.all()}
        handlers: dict[int, User] = {}
        for account in ACCOUNTS:
            user = accounts.get(account.username)
            if account.role is Role.DEPT_HANDLER and user is not None and user.department_id:
                handlers.setdefault(user.department_id, user)
        return cls(categories, regions, departments, accounts, handlers)


def _receive(demo: DemoClue, directory: _Directory, reported_at: dt.datetime) -> Clue:
    region = directory.regions.get(demo.region)
    if region is None:
        raise DemoLoadError(f"区划“{demo.region}”不在演示区划中。")
    citizen_user = directory.accounts["citizen"] if demo.by_citizen_account else None
    if citizen_user is not None:
        actor = Actor.of(citizen_user)
    elif demo.channel == Channel.WEB:
        actor = Actor.citizen(demo.person.name if demo.person else "")
    else:  # the hotline: intake types the call in
        actor = Actor.of(directory.accounts["intake"])
    person = demo.person
    return clue_receive(
        actor=actor,
        channel=demo.channel,
        title=demo.title,
        content=demo.content,
        reported_at=reported_at,
        category=directory.categories[demo.category],
        region=region,
        place_text=demo.place,
        priority=demo.priority,
        is_anonymous=person is None,
        complainant=ComplainantData(
            name=person.name,
            phone=person.phone,
            id_number=person.id_number,
            address=person.address,
        )
        if person is not None
        else None,
        citizen_user=citizen_user,
        source=DEMO_SOURCE,
        external_id=demo.key,
    ).clue


def _complainant_actor(demo: DemoClue, directory: _Directory) -> Actor:
    if demo.by_citizen_account:
        return Actor.of(directory.accounts["citizen"])
    return Actor.citizen(demo.person.name if demo.person else "")


def demo_timeline(demo: DemoClue, real_now: dt.datetime) -> list[dt.datetime]:
    """When the clue is registered, then when each step of its story happens.

    Raises ClockError when a step would happen after `real_now` (a data error).
    """
    clock = SimulatedClock(start=demo.reported_at(real_now), limit=real_now)
    moments = [clock.advance(hours=demo.receive_after)]
    for step in demo.story:
        clock.advance(hours=step.after)
        if step.office_hours and demo.priority != Priority.URGENT:
            clock.to_office_hours()
        moments.append(clock.now())
    return moments


def _replay(
    demo: DemoClue, directory: _Directory, loaded: Mapping[str, int], real_now: dt.datetime
) -> int:
    """Receive the clue and play its story at the times of its timeline; returns its id."""
    registered, *step_moments = demo_timeline(demo, real_now)
    clock = SimulatedClock(start=registered, limit=real_now)
    with simulated_time(clock), transaction.atomic():
        clue = _receive(demo, directory, demo.reported_at(real_now))
        replay = _Replay(
            clue_id=clue.pk,
            clock=clock,
            accounts=directory.accounts,
            departments=directory.departments,
            handlers=directory.handlers,
            loaded=loaded,
            complainant_actor=_complainant_actor(demo, directory),
        )
        for number, (step, moment) in enumerate(zip(demo.story, step_moments, strict=True), 1):
            clock.move_to(moment)
            try:
                step.run(replay)
            except (ClueError, DemoLoadError) as exc:
                message = getattr(exc, "message", str(exc))
                raise DemoLoadError(
                    f"演示线索 {demo.key} 第 {number} 步（{type(step).__name__}）失败：{message}"
                ) from exc
    return clue.pk


def demo_clues_load(clues: Iterable[DemoClue], accounts: Mapping[str, User]) -> SectionSummary:
    """Load the demo clues that are not loaded yet, each in its own transaction.

    Preconditions: reference data and accounts are loaded.
    """
    clues = list(clues)
    section = SectionSummary(name="演示线索")
    directory = _Directory.fetch(clues, accounts)
    loaded = dict(Clue.objects.filter(source=DEMO_SOURCE).values_list("external_id", "pk"))
    real_now = timezone.now()
    for demo in clues:
        if demo.key in loaded:
            section.count(created=False)
            continue
        try:
            loaded[demo.key] = _replay(demo, directory, loaded, real_now)
        except ClockError as exc:
            raise DemoLoadError(f"演示线索 {demo.key} 的时间安排有误：{exc}") from exc
        except ClueError as exc:
            raise DemoLoadError(f"演示线索 {demo.key} 无法登记：{exc.message}") from exc
        section.count(created=True)
    return section


def demo_clue_statuses() -> dict[str, int]:
    """Demo clues by status, in the order of the lifecycle."""
    counts = dict(
        Clue.objects.filter(source=DEMO_SOURCE)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: counts[status] for status in ClueStatus.values if status in counts}


def demo_overdue_count(today: dt.date | None = None) -> int:
    """Open demo clues past their acceptance or handling deadline (paused ones excluded)."""
    today = today or timezone.localdate()
    return (
        Clue.objects.filter(source=DEMO_SOURCE, status__in=OPEN_STATUSES, paused_since=None)
        .filter(Q(handle_due__lt=today) | Q(status=ClueStatus.DISPATCHED, accept_due__lt=today))
        .count()
    )
