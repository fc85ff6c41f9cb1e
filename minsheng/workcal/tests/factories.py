"""Factories for the working calendar."""

from __future__ import annotations

import datetime as dt

import factory

from minsheng.workcal.models import CalendarDay


class CalendarDayFactory(factory.django.DjangoModelFactory[CalendarDay]):
    class Meta:
        model = CalendarDay
        django_get_or_create = ("date",)

    date = factory.Sequence(lambda n: dt.date(2027, 1, 1) + dt.timedelta(days=n))
    is_working_day = False
    name = "调整"
