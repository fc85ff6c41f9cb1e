from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from minsheng.directory.choices import Priority
from minsheng.directory.models import Category, Region, ResponsibilityRule, SLAPolicy
from minsheng.directory.tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    RegionFactory,
    ResponsibilityRuleFactory,
    SLAPolicyFactory,
)

pytestmark = pytest.mark.django_db


class TestTreePaths:
    def test_a_root_has_its_own_id_as_path_and_depth_one(self):
        # given / when
        root = CategoryFactory.create()

        # then
        assert root.path == f"{root.pk}/"
        assert root.depth == 1
        assert root.level == 1

    def test_a_child_extends_its_parents_path(self):
        # given
        root = CategoryFactory.create()

        # when
        child = CategoryFactory.create(parent=root)
        grandchild = CategoryFactory.create(parent=child)

        # then
        grandchild.refresh_from_db()
        assert grandchild.path == f"{root.pk}/{child.pk}/{grandchild.pk}/"
        assert grandchild.depth == 3
        assert grandchild.ancestor_ids() == [root.pk, child.pk, grandchild.pk]
        assert grandchild.is_within(root)
        assert grandchild.is_within(grandchild)
        assert not root.is_within(grandchild)

    def test_a_sibling_whose_id_shares_a_prefix_is_not_within(self):
        # given: ids such as 1 and 10 must not look nested
        roots = [CategoryFactory.create() for _ in range(11)]

        # then
        assert not roots[10].is_within(roots[0])

    def test_moving_a_subtree_rewrites_the_paths_of_all_descendants(self):
        # given: province → prefecture A → county → township, and prefecture B
        province = RegionFactory.create()
        prefecture_a = RegionFactory.create(parent=province)
        prefecture_b = RegionFactory.create(parent=province)
        county = RegionFactory.create(parent=prefecture_a)
        township = RegionFactory.create(parent=county)

        # when
        county.parent = prefecture_b
        county.save()

        # then
        township.refresh_from_db()
        assert township.path == f"{province.pk}/{prefecture_b.pk}/{county.pk}/{township.pk}/"
        assert township.depth == 4
        assert township.is_within(prefecture_b)
        assert not township.is_within(prefecture_a)

    def test_moving_a_subtree_to_another_depth_shifts_the_depth_of_its_nodes(self):
        # given: two roots, the first with a child
        first = CategoryFactory.create()
        child = CategoryFactory.create(parent=first)
        second = CategoryFactory.create()

        # when
        first.parent = second
        first.save()

        # then
        child.refresh_from_db()
        first.refresh_from_db()
        assert (first.depth, child.depth) == (2, 3)
        assert child.path == f"{second.pk}/{first.pk}/{child.pk}/"

        # when: back to the root
        first.parent = None
        first.save()

        # then
        child.refresh_from_db()
        assert child.path == f"{first.pk}/{child.pk}/"
        assert child.depth == 2

    def test_a_move_saved_with_update_fields_also_saves_the_path(self):
        # given
        first, second = CategoryFactory.create(), CategoryFactory.create()
        child = CategoryFactory.create(parent=first)

        # when
        child.parent = second
        child.save(update_fields=["parent"])

        # then
        child.refresh_from_db()
        assert child.path == f"{second.pk}/{child.pk}/"

    def test_moving_a_node_below_its_own_descendant_is_refused(self):
        # given
        root = CategoryFactory.create()
        child = CategoryFactory.create(parent=root)

        # when
        root.parent = child

        # then
        with pytest.raises(ValidationError) as error:
            root.full_clean()
        assert "parent" in error.value.message_dict
        with pytest.raises(ValueError, match="below itself"):
            root.save()

    def test_a_node_cannot_be_its_own_parent(self):
        # given
        region = RegionFactory.create()

        # when
        region.parent = region

        # then
        with pytest.raises(ValidationError):
            region.full_clean()


class TestCategoryDepth:
    def test_a_third_level_is_accepted(self):
        # given
        second = CategoryFactory.create(parent=CategoryFactory.create())

        # when / then
        Category(name="三级", parent=second).full_clean()

    def test_a_fourth_level_is_refused(self):
        # given
        third = CategoryFactory.create(
            parent=CategoryFactory.create(parent=CategoryFactory.create())
        )

        # when / then
        with pytest.raises(ValidationError) as error:
            Category(name="四级", parent=third).full_clean()
        assert error.value.message_dict["parent"] == ["分类最多三级。"]

    def test_moving_a_subtree_that_would_end_below_the_third_level_is_refused(self):
        # given: a root with two levels below it, and another root
        moved = CategoryFactory.create()
        CategoryFactory.create(parent=CategoryFactory.create(parent=moved))
        target = CategoryFactory.create()

        # when
        moved.parent = target

        # then
        with pytest.raises(ValidationError):
            moved.full_clean()


class TestResponsibilityRuleClean:
    def test_a_second_active_rule_for_the_same_category_and_region_is_refused(self):
        # given
        existing = ResponsibilityRuleFactory.create()
        second = ResponsibilityRule(
            category=existing.category,
            region=existing.region,
            lead_department=DepartmentFactory.create(),
        )

        # when / then
        with pytest.raises(ValidationError, match=f"#{existing.pk}"):
            second.full_clean()

    @pytest.mark.parametrize(
        ("any_category", "any_region"), [(True, True), (True, False), (False, True)]
    )
    def test_any_category_or_region_counts_as_the_same_key(self, any_category, any_region):
        # given
        category = None if any_category else CategoryFactory.create()
        region = None if any_region else RegionFactory.create()
        ResponsibilityRuleFactory.create(category=category, region=region)

        # when / then
        with pytest.raises(ValidationError):
            ResponsibilityRule(
                category=category, region=region, lead_department=DepartmentFactory.create()
            ).full_clean()

    def test_inactive_rules_neither_block_nor_are_blocked(self):
        # given
        existing = ResponsibilityRuleFactory.create(is_active=False)
        category, region = existing.category, existing.region

        # when / then: an active one next to the inactive one is fine
        active = ResponsibilityRuleFactory.create(category=category, region=region)
        active.full_clean()
        # and a further inactive one is fine too
        ResponsibilityRule(
            category=category,
            region=region,
            lead_department=DepartmentFactory.create(),
            is_active=False,
        ).full_clean()

    def test_a_rule_does_not_conflict_with_itself_or_other_regions(self):
        # given
        rule = ResponsibilityRuleFactory.create()

        # when / then
        rule.full_clean()
        ResponsibilityRule(
            category=rule.category,
            region=RegionFactory.create(),
            lead_department=DepartmentFactory.create(),
        ).full_clean()

    def test_the_lead_may_not_be_a_co_department(self):
        # given
        lead, other = DepartmentFactory.create(), DepartmentFactory.create()
        rule = ResponsibilityRule(lead_department=lead)

        # when / then
        rule.validate_co_departments([other])
        with pytest.raises(ValidationError) as error:
            rule.validate_co_departments([other, lead])
        assert "co_departments" in error.value.message_dict


class TestSLAPolicyClean:
    def test_a_duplicate_category_and_priority_is_refused_once(self):
        # given
        existing = SLAPolicyFactory.create(priority=Priority.HIGH)
        duplicate = SLAPolicy(
            category=existing.category, priority=Priority.HIGH, accept_days=1, handle_days=5
        )

        # when
        with pytest.raises(ValidationError) as error:
            duplicate.full_clean()

        # then: reported by clean(), not a second time by the database constraint
        assert list(error.value.message_dict) == ["category"]
        assert len(error.value.message_dict["category"]) == 1

    def test_a_duplicate_without_category_is_refused(self):
        # given: the database constraint cannot see two NULL categories as equal
        SLAPolicyFactory.create(category=None, priority="")

        # when / then
        with pytest.raises(ValidationError):
            SLAPolicy(category=None, priority="", accept_days=1, handle_days=5).full_clean()

    def test_another_priority_or_category_is_accepted(self):
        # given
        existing = SLAPolicyFactory.create(priority="")

        # when / then
        SLAPolicy(
            category=existing.category, priority=Priority.URGENT, accept_days=1, handle_days=2
        ).full_clean()
        SLAPolicy(category=None, priority="", accept_days=1, handle_days=2).full_clean()
        existing.full_clean()


def test_str_of_rules_and_policies_name_any_when_blank():
    # given
    rule = ResponsibilityRule(lead_department=DepartmentFactory.build(name="某局"))
    policy = SLAPolicy(accept_days=1, handle_days=15)
    region = Region(name="雨花区", code="430111")

    # then
    assert str(rule) == "全部分类 · 全部区划 → 某局"
    assert str(policy) == "全部分类 · 全部优先级: 1/15"
    assert str(region) == "雨花区（430111）"
