"""factory_boy factories for the directory; other apps import them for their own tests.

Factories save without calling full_clean(), so tests can build states the admin would
refuse (e.g. two conflicting rules) on purpose.
"""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from minsheng.directory.choices import DepartmentKind, RegionLevel
from minsheng.directory.models import (
    Category,
    Department,
    Region,
    ResponsibilityRule,
    SLAPolicy,
)

CODE_LENGTH_BY_LEVEL = {
    RegionLevel.PROVINCE: 6,
    RegionLevel.PREFECTURE: 6,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWNSHIP: 9,
    RegionLevel.VILLAGE: 12,
}


def _region_code(region: Any, n: int) -> str:
    """A unique code of the right length for the level (not a real division's code)."""
    length = CODE_LENGTH_BY_LEVEL[RegionLevel(region.level)]
    return f"9{n:0{length - 1}d}"


class RegionFactory(DjangoModelFactory[Region]):
    """A region; one level below `parent` when a parent is given, else a province."""

    class Meta:
        model = Region

    parent = None
    name = factory.Sequence(lambda n: f"测试区划{n}")
    level = factory.LazyAttribute(
        lambda region: (
            min(region.parent.level + 1, RegionLevel.VILLAGE)
            if region.parent is not None
            else RegionLevel.PROVINCE
        )
    )
    code = factory.LazyAttributeSequence(_region_code)


class DepartmentFactory(DjangoModelFactory[Department]):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = DepartmentKind.FUNCTIONAL
    region = factory.SubFactory(RegionFactory)


class CategoryFactory(DjangoModelFactory[Category]):
    """A category; a root unless `parent` is given."""

    class Meta:
        model = Category

    parent = None
    name = factory.Sequence(lambda n: f"测试分类{n}")


class ResponsibilityRuleFactory(DjangoModelFactory[ResponsibilityRule]):
    """A rule for a new category and region; pass category=None / region=None for "any".

    `co_departments=[...]` sets the co-handling departments.
    """

    class Meta:
        model = ResponsibilityRule
        skip_postgeneration_save = True

    category = factory.SubFactory(CategoryFactory)
    region = factory.SubFactory(RegionFactory)
    lead_department = factory.SubFactory(DepartmentFactory)

    @factory.post_generation
    def co_departments(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.co_departments.set(extracted)


class SLAPolicyFactory(DjangoModelFactory[SLAPolicy]):
    """A policy for a new category and any priority."""

    class Meta:
        model = SLAPolicy

    category = factory.SubFactory(CategoryFactory)
    priority = ""
    accept_days = 1
    handle_days = 10
    warn_days = 2
    extension_limit_days = 10
    rework_days = 5
