"""The user admin: role, department, display name and phone beside Django's fields."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minsheng.accounts.models import User
from minsheng.accounts.roles import Role
from minsheng.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:accounts_user_changelist"


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory.create(superuser=True, username="root"))
    return client


def test_changelist_loads_for_a_superuser(superuser_client, department):
    # given staff of several roles
    UserFactory.create(username="handler", role=Role.DEPT_HANDLER, department=department)
    UserFactory.create(username="intake", role=Role.INTAKE)
    # when
    response = superuser_client.get(reverse(CHANGELIST))
    # then
    assert response.status_code == 200
    content = response.content.decode()
    for text in ("handler", "承办人", department.name, "受理员"):
        assert text in content


def test_changelist_filters_by_role_and_department(superuser_client, department):
    UserFactory.create(username="handler", role=Role.DEPT_HANDLER, department=department)
    UserFactory.create(username="intake", role=Role.INTAKE)
    url = reverse(CHANGELIST)

    by_role = superuser_client.get(url, {"role__exact": Role.DEPT_HANDLER})
    by_department = superuser_client.get(url, {"department__id__exact": department.pk})

    assert [user.username for user in by_role.context["cl"].result_list] == ["handler"]
    assert [user.username for user in by_department.context["cl"].result_list] == ["handler"]


def test_changelist_searches_display_name_phone_and_department(superuser_client, department):
    UserFactory.create(
        username="handler", display_name="赵六", phone="13812341234", department=department,
        role=Role.DEPT_HEAD,
    )  # fmt: skip
    UserFactory.create(username="intake")
    url = reverse(CHANGELIST)
    for query in ("赵六", "13812341234", "住房和城乡建设厅"):
        response = superuser_client.get(url, {"q": query})
        assert [user.username for user in response.context["cl"].result_list] == ["handler"]


def test_changelist_query_count_does_not_grow_with_users(
    superuser_client, department, django_assert_max_num_queries
):
    # given a first page of users with departments
    UserFactory.create_batch(3, role=Role.DEPT_HANDLER, department=department)
    url = reverse(CHANGELIST)
    superuser_client.get(url)
    with django_assert_max_num_queries(100) as few:
        superuser_client.get(url)
    # when ten more are added, then the page costs the same number of queries
    UserFactory.create_batch(10, role=Role.DEPT_HANDLER, department=department)
    with django_assert_max_num_queries(len(few.captured_queries)):
        superuser_client.get(url)


def test_change_form_shows_the_minsheng_fields(superuser_client):
    user = UserFactory.create()
    response = superuser_client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert response.status_code == 200
    for field in ("role", "department", "display_name", "phone"):
        assert f'name="{field}"' in response.content.decode()


def test_adding_department_staff_without_department_is_refused(superuser_client, department):
    # given the add form for a department handler
    url = reverse("admin:accounts_user_add")
    data = {
        "username": "newhandler",
        "usable_password": "true",
        "password1": "a-Long-pass-2026",
        "password2": "a-Long-pass-2026",
        "role": Role.DEPT_HANDLER,
        "department": "",
        "display_name": "钱七",
        "phone": "",
    }
    # when submitted without a department, then the form shows the model's error
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    assert "承办单位人员必须指定所属单位。" in response.content.decode()
    assert not User.objects.filter(username="newhandler").exists()
    # when submitted with one, then the user is created
    response = superuser_client.post(url, {**data, "department": department.pk})
    assert response.status_code == 302
    created = User.objects.get(username="newhandler")
    assert (created.role, created.department, created.display_name) == (
        Role.DEPT_HANDLER,
        department,
        "钱七",
    )
    assert created.check_password("a-Long-pass-2026")


def test_non_staff_users_are_sent_to_the_login(client):
    client.force_login(UserFactory.create(role=Role.INTAKE))
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302
