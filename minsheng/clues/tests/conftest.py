"""Fixtures for the clue lifecycle: a small directory, one user per role, and `clue_in`, which
drives a clue to any status through the real services (never by writing `status`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from minsheng.accounts.actors import Actor
from minsheng.accounts.models import User
from minsheng.accounts.roles import Role
from minsheng.clues.choices import Channel, Conclusion, Outcome, VerificationMethod
from minsheng.clues.models import Clue
from minsheng.clues.services import citizen, handling, intake, review
from minsheng.clues.services.intake import ComplainantData
from minsheng.clues.workflow import ClueStatus
from minsheng.directory.choices import DepartmentKind, RegionLevel
from minsheng.directory.models import Category, Department, Region, ResponsibilityRule


@dataclass
class World:
    province: Region
    city: Region
    district: Region
    other_district: Region
    water: Category
    water_outage: Category
    fire: Category
    water_bureau: Department
    district_gov: Department
    fire_brigade: Department
    users: dict[str, User]

    def actor(self, key: str) -> Actor:
        return Actor.of(self.users[key])


def _user(username: str, role: Role, department: Department | None = None) -> User:
    return User.objects.create_user(
        username=username,
        password="test-pass-123",
        role=role,
        department=department,
        display_name=username,
    )


@pytest.fixture
def world(db: None) -> World:
    province = Region.objects.create(code="430000", name="湖南省", level=RegionLevel.PROVINCE)
    city = Region.objects.create(
        code="430100", name="长沙市", level=RegionLevel.PREFECTURE, parent=province
    )
    district = Region.objects.create(
        code="430111", name="雨花区", level=RegionLevel.COUNTY, parent=city
    )
    other_district = Region.objects.create(
        code="430104", name="岳麓区", level=RegionLevel.COUNTY, parent=city
    )
    water = Category.objects.create(name="供水")
    water_outage = Category.objects.create(name="停水", parent=water)
    fire = Category.objects.create(name="消防安全")
    water_bureau = Department.objects.create(
        name="长沙市水务局", kind=DepartmentKind.FUNCTIONAL, region=city
    )
    district_gov = Department.objects.create(
        name="雨花区人民政府", kind=DepartmentKind.GOVERNMENT, region=district
    )
    fire_brigade = Department.objects.create(
        name="长沙市消防救援支队", kind=DepartmentKind.FUNCTIONAL, region=city
    )
    rule = ResponsibilityRule.objects.create(category=water, lead_department=water_bureau)
    rule.co_departments.add(district_gov)
    ResponsibilityRule.objects.create(category=fire, lead_department=fire_brigade)
    users = {
        "intake": _user("intake", Role.INTAKE),
        "handler": _user("handler", Role.DEPT_HANDLER, water_bureau),
        "head": _user("head", Role.DEPT_HEAD, water_bureau),
        "co_handler": _user("co_handler", Role.DEPT_HANDLER, district_gov),
        "other_handler": _user("other_handler", Role.DEPT_HANDLER, fire_brigade),
        "supervisor": _user("supervisor", Role.SUPERVISOR),
        "inspector": _user("inspector", Role.INSPECTOR),
        "admin": _user("admin", Role.ADMIN),
        "analyst": _user("analyst", Role.ANALYST),
        "citizen": _user("citizen", Role.CITIZEN),
    }
    return World(
        province,
        city,
        district,
        other_district,
        water,
        water_outage,
        fire,
        water_bureau,
        district_gov,
        fire_brigade,
        users,
    )


def receive(world: World, **overrides: object) -> Clue:
    values: dict[str, object] = {
        "actor": world.actor("intake"),
        "channel": Channel.WEB,
        "title": "小区停水三天无人处理",
        "content": "雨花区某小区自周一起停水，物业称是市政管网维修，至今没有恢复供水。",
        "category": world.water_outage,
        "region": world.district,
        "complainant": ComplainantData(
            name="张三",
            phone="13812341234",
            id_number="11010519491231002X",
            address="湖南省长沙市雨花区某小区3栋",
        ),
    }
    values.update(overrides)
    return intake.clue_receive(**values).clue  # type: ignore[arg-type]


def _report(world: World, clue: Clue) -> None:
    handling.clue_report(
        clue_id=clue.pk,
        actor=world.actor("handler"),
        methods=[VerificationMethod.ONLINE_INTERVIEW, VerificationMethod.ON_SITE],
        findings="经现场核查，系主管道爆裂抢修导致停水。",
        conclusion=Conclusion.SUBSTANTIATED,
        actions_taken="已完成抢修，恢复供水。",
        proposed_answer="您反映的停水问题已处理，供水已恢复。",
    )


# How to reach each status from "received", one service call per step.
Step = Callable[[World, Clue], object]
PATHS: dict[ClueStatus, list[Step]] = {}


def _triage(w: World, c: Clue) -> object:
    return intake.clue_triage(clue_id=c.pk, actor=w.actor("intake"))


def _dispatch(w: World, c: Clue) -> object:
    return intake.clue_dispatch(clue_id=c.pk, actor=w.actor("intake"))


def _accept(w: World, c: Clue) -> object:
    return handling.clue_accept(clue_id=c.pk, actor=w.actor("handler"))


def _return(w: World, c: Clue) -> object:
    return handling.clue_return(clue_id=c.pk, actor=w.actor("handler"), reason="非本单位职责")


def _request_extension(w: World, c: Clue) -> object:
    return handling.clue_request_extension(
        clue_id=c.pk, actor=w.actor("handler"), days=5, reason="需协调施工单位"
    )


def _request_info(w: World, c: Clue) -> object:
    return handling.clue_request_info(
        clue_id=c.pk, actor=w.actor("handler"), question="请提供具体楼栋号"
    )


def _report_step(w: World, c: Clue) -> object:
    _report(w, c)
    return None


def _send_back(w: World, c: Clue) -> object:
    return review.clue_send_back(clue_id=c.pk, actor=w.actor("supervisor"), reason="核查不充分")


def _approve(w: World, c: Clue) -> object:
    return review.clue_approve(clue_id=c.pk, actor=w.actor("supervisor"))


def _answer(w: World, c: Clue) -> object:
    return review.clue_answer(clue_id=c.pk, actor=w.actor("intake"), answer="供水已恢复。")


def _close(w: World, c: Clue) -> object:
    return review.clue_close(clue_id=c.pk, actor=w.actor("intake"), outcome=Outcome.RESOLVED)


def _reopen(w: World, c: Clue) -> object:
    return review.clue_reopen(clue_id=c.pk, actor=w.actor("supervisor"), reason="群众不满意")


def _reject(w: World, c: Clue) -> object:
    return intake.clue_reject(
        clue_id=c.pk, actor=w.actor("intake"), reason_code="spam", reason="广告信息"
    )


def _withdraw(w: World, c: Clue) -> object:
    return citizen.clue_withdraw(clue_id=c.pk, actor=Actor.citizen(), reason="问题已自行解决")


def _merge(w: World, c: Clue) -> object:
    target = receive(w, title="同一小区停水")
    return intake.clue_merge(
        clue_id=c.pk, actor=w.actor("intake"), into_clue_id=target.pk, reason="重复反映"
    )


S = ClueStatus
PATHS.update(
    {
        S.RECEIVED: [],
        S.TRIAGED: [_triage],
        S.DISPATCHED: [_dispatch],
        S.RETURNED: [_dispatch, _return],
        S.ACCEPTED: [_dispatch, _accept],
        S.EXTENSION_REQUESTED: [_dispatch, _accept, _request_extension],
        S.AWAITING_INFO: [_dispatch, _accept, _request_info],
        S.REPORTED: [_dispatch, _accept, _report_step],
        S.SENT_BACK: [_dispatch, _accept, _report_step, _send_back],
        S.APPROVED: [_dispatch, _accept, _report_step, _approve],
        S.ANSWERED: [_dispatch, _accept, _report_step, _approve, _answer],
        S.CLOSED: [_dispatch, _accept, _report_step, _approve, _answer, _close],
        S.REOPENED: [_dispatch, _accept, _report_step, _approve, _answer, _reopen],
        S.REJECTED: [_reject],
        S.WITHDRAWN: [_withdraw],
        S.MERGED: [_merge],
    }
)
assert set(PATHS) == set(ClueStatus), "every status must be reachable in tests"


@pytest.fixture
def clue_in(world: World) -> Callable[..., Clue]:
    """`clue_in(status)` returns a fresh clue driven to `status` through the services."""

    def make(status: ClueStatus, **overrides: object) -> Clue:
        clue = receive(world, **overrides)
        for step in PATHS[status]:
            step(world, clue)
        clue.refresh_from_db()
        assert clue.status == status
        return clue

    return make


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)
