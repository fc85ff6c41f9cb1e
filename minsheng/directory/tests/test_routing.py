from __future__ import annotations

import pytest

from minsheng.directory.routing import (
    RoutingConflict,
    RoutingDecision,
    RuleBook,
    find_rule_conflicts,
    route,
)
from minsheng.directory.tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    RegionFactory,
    ResponsibilityRuleFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """供水 → 供水服务 → 停水, and 湖南省 → 长沙市 → 雨花区 → 侯家塘街道."""
    water = CategoryFactory.create(name="供水")
    service = CategoryFactory.create(name="供水服务", parent=water)
    outage = CategoryFactory.create(name="停水", parent=service)
    province = RegionFactory.create(name="湖南省")
    city = RegionFactory.create(name="长沙市", parent=province)
    district = RegionFactory.create(name="雨花区", parent=city)
    street = RegionFactory.create(name="侯家塘街道", parent=district)
    return {
        "water": water,
        "service": service,
        "outage": outage,
        "province": province,
        "city": city,
        "district": district,
        "street": street,
    }


def test_a_deeper_category_beats_a_deeper_region(tree):
    # given: a rule on the exact category for the whole province, and one on the
    # top category for the exact street
    by_category = ResponsibilityRuleFactory.create(category=tree["outage"], region=tree["province"])
    ResponsibilityRuleFactory.create(category=tree["water"], region=tree["street"])

    # when
    decision = route(tree["outage"], tree["street"])

    # then
    assert decision.rule == by_category
    assert decision.lead == by_category.lead_department


def test_a_deeper_region_breaks_a_category_tie(tree):
    # given
    ResponsibilityRuleFactory.create(category=tree["service"], region=tree["city"])
    by_district = ResponsibilityRuleFactory.create(
        category=tree["service"], region=tree["district"]
    )

    # when
    decision = route(tree["outage"], tree["street"])

    # then
    assert decision.rule == by_district


def test_rules_for_any_category_or_region_are_the_fallback(tree):
    # given
    anything = ResponsibilityRuleFactory.create(category=None, region=None)
    any_region = ResponsibilityRuleFactory.create(category=tree["water"], region=None)

    # when / then: the more specific "any region" rule wins where it applies
    assert route(tree["outage"], tree["street"]).rule == any_region
    # and the catch-all takes what nothing else covers
    other = CategoryFactory.create(name="供电")
    assert route(other, tree["street"]).rule == anything
    assert route(None, None).rule == anything


def test_a_rule_outside_the_clues_subtrees_does_not_match(tree):
    # given: a rule for a sibling category and one for another city
    ResponsibilityRuleFactory.create(
        category=CategoryFactory.create(name="水质问题", parent=tree["water"])
    )
    ResponsibilityRuleFactory.create(
        category=tree["outage"], region=RegionFactory.create(name="株洲市", parent=tree["province"])
    )

    # when
    decision = route(tree["outage"], tree["street"])

    # then
    assert decision == RoutingDecision(rule=None, lead=None)
    assert decision.co_handlers == []
    assert "没有匹配" in decision.explanation


def test_a_tie_raises_a_conflict_naming_both_rules(tree):
    # given: two active rules for the same category and region (the factory skips clean())
    first = ResponsibilityRuleFactory.create(category=tree["service"], region=tree["district"])
    second = ResponsibilityRuleFactory.create(category=tree["service"], region=tree["district"])

    # when
    with pytest.raises(RoutingConflict) as error:
        route(tree["outage"], tree["street"])

    # then
    assert error.value.rules == [first, second]
    assert str(first) in str(error.value)
    assert str(second) in str(error.value)


def test_a_tie_below_a_more_specific_rule_does_not_matter(tree):
    # given
    ResponsibilityRuleFactory.create(category=tree["water"], region=None)
    ResponsibilityRuleFactory.create(category=tree["water"], region=None)
    specific = ResponsibilityRuleFactory.create(category=tree["outage"], region=None)

    # when / then
    assert route(tree["outage"], tree["street"]).rule == specific


def test_inactive_rules_are_ignored(tree):
    # given
    general = ResponsibilityRuleFactory.create(category=tree["water"], region=None)
    ResponsibilityRuleFactory.create(category=tree["outage"], region=None, is_active=False)

    # when / then
    assert route(tree["outage"], tree["street"]).rule == general


def test_rules_whose_lead_is_inactive_are_ignored(tree):
    # given
    general = ResponsibilityRuleFactory.create(category=tree["water"], region=None)
    ResponsibilityRuleFactory.create(
        category=tree["outage"],
        region=None,
        lead_department=DepartmentFactory.create(is_active=False),
    )

    # when / then
    assert route(tree["outage"], tree["street"]).rule == general


def test_co_handlers_are_listed_without_the_lead_or_inactive_departments(tree):
    # given
    lead = DepartmentFactory.create(name="雨花区水务局")
    co_active = DepartmentFactory.create(name="长沙水业集团")
    co_inactive = DepartmentFactory.create(name="已撤销单位", is_active=False)
    rule = ResponsibilityRuleFactory.create(
        category=tree["outage"],
        region=tree["district"],
        lead_department=lead,
        co_departments=[co_active, co_inactive, lead],
    )

    # when
    decision = route(tree["outage"], tree["street"])

    # then
    assert decision.rule == rule
    assert decision.lead == lead
    assert decision.co_handlers == [co_active]


def test_the_explanation_names_the_rule(tree):
    # given
    rule = ResponsibilityRuleFactory.create(
        category=tree["outage"],
        region=tree["district"],
        lead_department=DepartmentFactory.create(name="雨花区水务局"),
    )

    # when
    explanation = route(tree["outage"], tree["street"]).explanation

    # then
    assert f"#{rule.pk}" in explanation
    assert "停水 · 雨花区 → 雨花区水务局" in explanation


class TestFindRuleConflicts:
    def test_groups_active_rules_with_the_same_category_and_region(self, tree):
        # given
        first = ResponsibilityRuleFactory.create(category=tree["outage"], region=None)
        second = ResponsibilityRuleFactory.create(category=tree["outage"], region=None)
        ResponsibilityRuleFactory.create(category=tree["outage"], region=None, is_active=False)
        ResponsibilityRuleFactory.create(category=tree["outage"], region=tree["city"])
        any_first = ResponsibilityRuleFactory.create(category=None, region=None)
        any_second = ResponsibilityRuleFactory.create(category=None, region=None)

        # when
        conflicts = find_rule_conflicts()

        # then
        assert sorted(sorted(rule.pk for rule in group) for group in conflicts) == sorted(
            [sorted([first.pk, second.pk]), sorted([any_first.pk, any_second.pk])]
        )

    def test_is_empty_for_a_clean_list(self, tree):
        # given
        ResponsibilityRuleFactory.create(category=tree["outage"], region=None)
        ResponsibilityRuleFactory.create(category=tree["outage"], region=tree["city"])

        # when / then
        assert find_rule_conflicts() == []


def test_the_in_memory_rule_book_decides_like_route(tree):
    # given rules at several depths, an "any" fallback, and a tie on another pair
    ResponsibilityRuleFactory.create(category=tree["outage"], region=tree["province"])
    ResponsibilityRuleFactory.create(category=tree["water"], region=tree["street"])
    ResponsibilityRuleFactory.create(category=None, region=tree["district"])
    ResponsibilityRuleFactory.create(category=tree["service"], region=tree["city"])
    ResponsibilityRuleFactory.create(category=tree["service"], region=None)
    book = RuleBook()
    cases = [
        (category, region)
        for category in (None, tree["water"], tree["service"], tree["outage"])
        for region in (None, tree["city"], tree["district"], tree["street"])
    ]
    # then every (category, region) gets the same decision both ways
    for category, region in cases:
        assert book.route(category, region) == route(category, region)
