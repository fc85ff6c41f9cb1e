from __future__ import annotations

import pytest

from minsheng.directory.choices import Priority
from minsheng.directory.selectors import (
    EffectiveSLA,
    categories_by_name,
    category_by_path,
    category_find_by_name,
    department_by_name,
    region_by_code,
    sla_for,
)
from minsheng.directory.tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    RegionFactory,
    SLAPolicyFactory,
)

pytestmark = pytest.mark.django_db


class TestCategoryByPath:
    def test_follows_names_from_a_root(self):
        # given
        water = CategoryFactory.create(name="供水")
        service = CategoryFactory.create(name="供水服务", parent=water)
        outage = CategoryFactory.create(name="停水", parent=service)
        CategoryFactory.create(
            name="停水", parent=CategoryFactory.create(name="其他", parent=water)
        )

        # when / then
        assert category_by_path(path="供水/供水服务/停水") == outage
        assert category_by_path(path=" 供水 / 供水服务 ") == service
        assert category_by_path(path="供水／供水服务>停水") == outage
        assert category_by_path(path="供水") == water

    @pytest.mark.parametrize("path", ["", " / ", "供水/停水", "停水", "供水/供水服务/停水/更深"])
    def test_is_none_when_a_step_is_missing(self, path):
        # given
        water = CategoryFactory.create(name="供水")
        CategoryFactory.create(
            name="停水", parent=CategoryFactory.create(name="供水服务", parent=water)
        )

        # when / then
        assert category_by_path(path=path) is None


class TestCategoryFindByName:
    def test_finds_a_name_at_any_level(self):
        # given
        root = CategoryFactory.create(name="城乡建设")
        leaf = CategoryFactory.create(
            name="物业服务", parent=CategoryFactory.create(name="物业", parent=root)
        )

        # when / then
        assert category_find_by_name(name="城乡建设") == root
        assert category_find_by_name(name=" 物业服务 ") == leaf
        assert category_find_by_name(name="不存在") is None
        assert category_find_by_name(name="") is None

    def test_prefers_the_shallowest_of_an_ambiguous_name(self):
        # given: "交通运输" is a first-level category and also a third-level one
        shallow = CategoryFactory.create(name="交通运输")
        CategoryFactory.create(
            name="交通运输",
            parent=CategoryFactory.create(
                name="城市建设", parent=CategoryFactory.create(name="城乡建设")
            ),
        )

        # when / then
        assert category_find_by_name(name="交通运输") == shallow

    def test_is_none_when_the_shallowest_level_holds_the_name_twice(self):
        # given
        first = CategoryFactory.create(name="其他", parent=CategoryFactory.create(name="甲"))
        second = CategoryFactory.create(name="其他", parent=CategoryFactory.create(name="乙"))

        # when / then
        assert category_find_by_name(name="其他") is None
        assert categories_by_name(name="其他") == [first, second]

    def test_an_active_node_settles_a_tie_with_inactive_ones(self):
        # given
        CategoryFactory.create(
            name="其他", parent=CategoryFactory.create(name="甲"), is_active=False
        )
        active = CategoryFactory.create(name="其他", parent=CategoryFactory.create(name="乙"))

        # when / then
        assert category_find_by_name(name="其他") == active


class TestLookups:
    def test_region_by_code(self):
        # given
        region = RegionFactory.create(code="430111")

        # when / then
        assert region_by_code(code=" 430111 ") == region
        assert region_by_code(code="430112") is None

    def test_department_by_name_or_unique_short_name(self):
        # given
        water = DepartmentFactory.create(name="长沙市水利局", short_name="市水利局")
        DepartmentFactory.create(name="甲区城管局", short_name="城管局")
        DepartmentFactory.create(name="乙区城管局", short_name="城管局")

        # when / then
        assert department_by_name(name="长沙市水利局") == water
        assert department_by_name(name="市水利局") == water
        assert department_by_name(name="城管局") is None
        assert department_by_name(name=" ") is None


class TestSlaFor:
    @pytest.fixture
    def categories(self):
        water = CategoryFactory.create(name="供水")
        service = CategoryFactory.create(name="供水服务", parent=water)
        outage = CategoryFactory.create(name="停水", parent=service)
        return water, service, outage

    def test_without_policies_the_settings_defaults_apply(self, settings, categories):
        # given
        settings.MINSHENG = {
            **settings.MINSHENG,
            "DEFAULT_ACCEPT_DAYS": 2,
            "DEFAULT_HANDLE_DAYS": 20,
            "DEFAULT_WARN_DAYS": 4,
            "DEFAULT_EXTENSION_LIMIT_DAYS": 10,
            "DEFAULT_REWORK_DAYS": 7,
        }

        # when
        sla = sla_for(category=categories[2], priority=Priority.NORMAL)

        # then
        assert sla == EffectiveSLA(
            accept_days=2,
            handle_days=20,
            warn_days=4,
            extension_limit_days=10,
            rework_days=7,
            policy=None,
        )

    def test_a_missing_settings_key_falls_back_to_the_built_in_default(self, settings):
        # given
        settings.MINSHENG = {}

        # when / then
        assert sla_for(category=None, priority="").handle_days == 15

    def test_a_policy_on_an_ancestor_applies_to_its_descendants(self, categories):
        # given
        water, _service, outage = categories
        policy = SLAPolicyFactory.create(category=water, priority="", handle_days=7)

        # when
        sla = sla_for(category=outage, priority=Priority.HIGH)

        # then
        assert sla.policy == policy
        assert sla.handle_days == 7

    def test_the_deepest_category_wins_over_an_exact_priority(self, categories):
        # given
        water, service, outage = categories
        SLAPolicyFactory.create(category=water, priority=Priority.HIGH)
        deeper = SLAPolicyFactory.create(category=service, priority="")
        SLAPolicyFactory.create(category=None, priority=Priority.HIGH)

        # when / then
        assert sla_for(category=outage, priority=Priority.HIGH).policy == deeper

    def test_an_exact_priority_beats_any_priority_at_the_same_category(self, categories):
        # given
        _water, service, outage = categories
        SLAPolicyFactory.create(category=service, priority="")
        urgent = SLAPolicyFactory.create(category=service, priority=Priority.URGENT, handle_days=3)

        # when / then
        assert sla_for(category=outage, priority=Priority.URGENT).policy == urgent
        assert sla_for(category=outage, priority=Priority.LOW).policy != urgent

    def test_policies_of_other_categories_and_priorities_do_not_apply(self, categories):
        # given
        _water, service, outage = categories
        SLAPolicyFactory.create(category=CategoryFactory.create(name="水质问题", parent=service))
        SLAPolicyFactory.create(category=outage, priority=Priority.URGENT)
        catch_all = SLAPolicyFactory.create(category=None, priority="")

        # when / then
        assert sla_for(category=outage, priority=Priority.LOW).policy == catch_all
        assert sla_for(category=None, priority=Priority.URGENT).policy == catch_all

    def test_a_clue_without_category_uses_policies_without_category(self, categories):
        # given
        SLAPolicyFactory.create(category=categories[0], priority="")
        urgent_any = SLAPolicyFactory.create(category=None, priority=Priority.URGENT, accept_days=0)

        # when
        sla = sla_for(category=None, priority=Priority.URGENT)

        # then
        assert sla.policy == urgent_any
        assert sla.accept_days == 0

    def test_an_unknown_priority_is_an_error(self):
        with pytest.raises(ValueError, match="unknown priority"):
            sla_for(category=None, priority="asap")
