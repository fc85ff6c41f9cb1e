"""The calendar overrides in the admin."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from minsheng.workcal.models import CalendarDay
from minsheng.workcal.services import is_working_day
from minsheng.workcal.tests.factories import CalendarDayFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:workcal_calendarday_changelist"


def test_changelist_lists_filters_and_searches(admin_client):
    # given two overrides
    CalendarDayFactory(date=dt.date(2027, 1, 1), is_working_day=False, name="元旦")
    CalendarDayFactory(date=dt.date(2027, 2, 6), is_working_day=True, name="春节调休")
    url = reverse(CHANGELIST)
    # when / then: the list, with the weekday and the date hierarchy
    response = admin_client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    for text in ("元旦", "春节调休", "周六"):
        assert text in content
    # filtered by working day
    response = admin_client.get(url, {"is_working_day__exact": "1"})
    assert [day.name for day in response.context["cl"].result_list] == ["春节调休"]
    # by year through the date hierarchy
    response = admin_client.get(url, {"date__year": "2027"})
    assert response.context["cl"].result_count == 2
    # searched by name
    response = admin_client.get(url, {"q": "元旦"})
    assert [day.name for day in response.context["cl"].result_list] == ["元旦"]


def test_adding_a_day_in_the_admin_takes_effect(admin_client):
    # when
    response = admin_client.post(
        reverse("admin:workcal_calendarday_add"),
        {"date": "2026-02-24", "is_working_day": "", "name": "延长假期"},
    )
    # then
    assert response.status_code == 302
    day = CalendarDay.objects.get()
    assert not day.is_working_day
    assert not is_working_day(dt.date(2026, 2, 24))
