"""The shared user factory."""

from __future__ import annotations

import pytest

from minsheng.accounts.roles import Role
from minsheng.accounts.tests.factories import DEMO_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_defaults_to_an_intake_officer_with_the_demo_password():
    # when
    user = UserFactory.create()
    # then
    user.refresh_from_db()
    assert user.role == Role.INTAKE
    assert user.department is None
    assert user.check_password(DEMO_PASSWORD)
    assert user.is_active


def test_usernames_are_unique():
    first, second = UserFactory.create_batch(2)
    assert first.username != second.username


def test_superuser_trait():
    user = UserFactory.create(superuser=True)
    assert user.is_superuser
    assert user.is_staff
    assert user.role == Role.ADMIN


def test_department_staff(department):
    user = UserFactory.create(role=Role.DEPT_HANDLER, department=department)
    user.full_clean()
    assert user.department == department
