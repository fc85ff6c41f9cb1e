"""Actors: who is acting, as recorded in events and checked by services."""

from __future__ import annotations

import pytest

from minsheng.accounts.actors import Actor
from minsheng.accounts.roles import Role
from minsheng.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_of_user_carries_role_department_and_name(department):
    # given a department handler
    user = UserFactory.create(role=Role.DEPT_HANDLER, department=department, display_name="李四")
    # when
    actor = Actor.of(user)
    # then
    assert actor.role is Role.DEPT_HANDLER
    assert actor.department_id == department.pk
    assert actor.name == "李四"
    assert actor.user == user
    assert actor.user_id == user.pk


def test_of_user_without_department():
    user = UserFactory.create(role=Role.SUPERVISOR)
    actor = Actor.of(user)
    assert actor.role is Role.SUPERVISOR
    assert actor.department_id is None


def test_system_and_citizen_have_no_user():
    system = Actor.system("triage")
    citizen = Actor.citizen()
    assert (system.role, system.name, system.user_id) == (Role.SYSTEM, "triage", None)
    assert (citizen.role, citizen.name, citizen.user_id) == (Role.CITIZEN, "群众", None)
    assert Actor.citizen("王五").name == "王五"
