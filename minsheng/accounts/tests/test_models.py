"""The user model: one role, and a department for department staff."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from minsheng.accounts.models import User
from minsheng.accounts.roles import DEPARTMENT_ROLES, Role
from minsheng.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OTHER_ROLES = sorted(set(Role) - DEPARTMENT_ROLES)


@pytest.mark.parametrize("role", sorted(DEPARTMENT_ROLES))
def test_department_roles_require_a_department(role):
    # given department staff without a department
    user = UserFactory.build(role=role, department=None)
    # when / then
    with pytest.raises(ValidationError) as caught:
        user.clean()
    assert caught.value.message_dict == {"department": ["承办单位人员必须指定所属单位。"]}


@pytest.mark.parametrize("role", sorted(DEPARTMENT_ROLES))
def test_department_roles_with_a_department_are_valid(role, department):
    user = UserFactory.build(role=role, department=department)
    user.clean()
    assert user.is_department_staff


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_need_no_department(role):
    user = UserFactory.build(role=role, department=None)
    user.clean()
    assert not user.is_department_staff


def test_str_prefers_the_display_name():
    assert str(UserFactory.build(username="zhangsan", display_name="张三")) == "张三"
    assert str(UserFactory.build(username="zhangsan", display_name="")) == "zhangsan"


def test_new_users_are_citizens_by_default():
    assert User(username="someone").role == Role.CITIZEN
