"""Reads for the portal: the pickers and the citizen's view of a clue's history."""

from __future__ import annotations

import pytest

from minsheng.clues.workflow import ClueStatus
from minsheng.directory.models import Category
from minsheng.web.selectors import portal as selectors

pytestmark = pytest.mark.django_db


def test_region_chain_shows_each_ancestor_chosen_and_the_children_below(world) -> None:
    levels = selectors.region_chain(world.city)
    assert [level.selected_id for level in levels] == [world.province.pk, world.city.pk, None]
    assert {region.name for region in levels[-1].options} == {"雨花区", "岳麓区"}
    assert [level.label for level in levels] == ["省级", "地市级", "区县级"]


def test_region_from_chain_stops_at_a_broken_link(world) -> None:
    chain = [world.province.pk, world.city.pk, world.district.pk]
    assert selectors.region_from_chain(chain) == world.district
    assert selectors.region_from_chain([world.province.pk, world.district.pk]) == world.province
    assert selectors.region_from_chain([world.district.pk]) == world.district
    assert selectors.region_from_chain([999999]) is None


def test_inactive_regions_are_not_offered(world) -> None:
    world.other_district.is_active = False
    world.other_district.save()
    assert world.other_district.pk not in [pk for pk, _label in selectors.regions_flat()]
    assert selectors.region_from_chain([world.other_district.pk]) is None


def test_categories_are_grouped_by_first_level_with_leaves_only(world) -> None:
    Category.objects.create(name="已停用", parent=world.water, is_active=False)
    groups = dict(selectors.category_groups())
    assert groups["供水"] == [(world.water_outage.pk, "停水")]
    assert groups["消防安全"] == [(world.fire.pk, "消防安全")]
    assert selectors.category_leaf(world.water.pk) is None  # a parent is not a choice
    assert selectors.category_leaf(world.water_outage.pk) == world.water_outage


@pytest.mark.parametrize(
    ("status", "last"),
    [
        (ClueStatus.REJECTED, "不予受理"),
        (ClueStatus.MERGED, "已与相同问题合并办理"),
        (ClueStatus.WITHDRAWN, "已撤回"),
        (ClueStatus.TRIAGED, "受理：已收到您的反映"),  # triage is internal
        (ClueStatus.RETURNED, "转办：已交由责任单位办理"),  # a misrouting is internal
    ],
)
def test_citizen_timeline_in_plain_words(clue_in, status, last) -> None:
    timeline = selectors.citizen_timeline(clue_in(status))
    assert timeline[-1].title == last
    assert all("广告信息" not in entry.detail for entry in timeline)  # intake's own note
