from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from minsheng.accounts.tests.factories import UserFactory
from minsheng.directory.models import ResponsibilityRule
from minsheng.directory.tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    RegionFactory,
    ResponsibilityRuleFactory,
    SLAPolicyFactory,
)

pytestmark = pytest.mark.django_db

MODELS = ["region", "department", "category", "responsibilityrule", "slapolicy"]


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory.create(superuser=True))
    return client


@pytest.fixture
def some_data():
    rule = ResponsibilityRuleFactory.create(
        category=CategoryFactory.create(parent=CategoryFactory.create()),
        region=RegionFactory.create(parent=RegionFactory.create()),
        co_departments=[DepartmentFactory.create()],
    )
    ResponsibilityRuleFactory.create(category=None, region=None)
    SLAPolicyFactory.create()
    SLAPolicyFactory.create(category=None, priority="urgent")
    return rule


@pytest.mark.parametrize("model", MODELS)
def test_changelist_and_add_pages_load(superuser_client, some_data, model):
    # when
    changelist = superuser_client.get(reverse(f"admin:directory_{model}_changelist"))
    add = superuser_client.get(reverse(f"admin:directory_{model}_add"))

    # then
    assert changelist.status_code == 200
    assert add.status_code == 200


@pytest.mark.parametrize("model", ["region", "department", "category"])
def test_changelist_search_and_autocomplete_work(superuser_client, some_data, model):
    # when
    search = superuser_client.get(reverse(f"admin:directory_{model}_changelist"), {"q": "测试"})
    autocomplete = superuser_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "directory", "model_name": "responsibilityrule", "field_name": _fk(model)},
    )

    # then
    assert search.status_code == 200
    assert autocomplete.status_code == 200


def _fk(model: str) -> str:
    return {"region": "region", "department": "lead_department", "category": "category"}[model]


def test_category_changelist_filters_by_level(superuser_client, some_data):
    # when
    response = superuser_client.get(reverse("admin:directory_category_changelist"), {"depth": "2"})

    # then
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_rule_change_page_loads(superuser_client, some_data):
    # when
    response = superuser_client.get(
        reverse("admin:directory_responsibilityrule_change", args=[some_data.pk])
    )

    # then
    assert response.status_code == 200


def test_rule_changelist_warns_about_conflicts(superuser_client):
    # given
    first = ResponsibilityRuleFactory.create()
    second = ResponsibilityRuleFactory.create(category=first.category, region=first.region)

    # when
    response = superuser_client.get(reverse("admin:directory_responsibilityrule_changelist"))

    # then
    warnings = [str(message) for message in get_messages(response.wsgi_request)]
    assert len(warnings) == 1
    assert f"#{first.pk}" in warnings[0]
    assert f"#{second.pk}" in warnings[0]


def test_rule_changelist_without_conflicts_has_no_warning(superuser_client, some_data):
    # when
    response = superuser_client.get(reverse("admin:directory_responsibilityrule_changelist"))

    # then
    assert list(get_messages(response.wsgi_request)) == []


class TestRuleForm:
    def _post(self, client, **data):
        payload = {"basis": "", "is_active": "on", **data}
        return client.post(reverse("admin:directory_responsibilityrule_add"), payload)

    def test_a_tie_cannot_be_added(self, superuser_client):
        # given
        category, region = CategoryFactory.create(), RegionFactory.create()
        existing = ResponsibilityRuleFactory.create(category=category, region=region)

        # when
        response = self._post(
            superuser_client,
            category=category.pk,
            region=region.pk,
            lead_department=DepartmentFactory.create().pk,
        )

        # then
        assert response.status_code == 200
        assert f"#{existing.pk}" in str(response.context["adminform"].form.non_field_errors())
        assert ResponsibilityRule.objects.count() == 1

    def test_the_lead_cannot_be_a_co_department(self, superuser_client):
        # given
        lead = DepartmentFactory.create()

        # when
        response = self._post(
            superuser_client,
            category=CategoryFactory.create().pk,
            lead_department=lead.pk,
            co_departments=[lead.pk],
        )

        # then
        assert response.status_code == 200
        assert "主办单位不能同时作为协办单位" in str(
            response.context["adminform"].form.errors["co_departments"]
        )
        assert not ResponsibilityRule.objects.exists()

    def test_a_valid_rule_is_added(self, superuser_client):
        # given
        lead, co = DepartmentFactory.create(), DepartmentFactory.create()

        # when
        response = self._post(
            superuser_client,
            region=RegionFactory.create().pk,
            lead_department=lead.pk,
            co_departments=[co.pk],
        )

        # then
        assert response.status_code == 302
        rule = ResponsibilityRule.objects.get()
        assert (rule.category, rule.lead_department) == (None, lead)
        assert list(rule.co_departments.all()) == [co]


def test_a_duplicate_sla_policy_without_category_cannot_be_added(superuser_client):
    # given
    SLAPolicyFactory.create(category=None, priority="")

    # when
    response = superuser_client.post(
        reverse("admin:directory_slapolicy_add"),
        {
            "priority": "",
            "accept_days": 1,
            "handle_days": 15,
            "warn_days": 3,
            "extension_limit_days": 15,
            "rework_days": 5,
        },
    )

    # then
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
