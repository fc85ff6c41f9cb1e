"""Routing by the responsibility list: which departments handle a (category, region)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from minsheng.directory.models import Category, Department, Region, ResponsibilityRule


class RoutingConflict(Exception):
    """Two or more rules match at the same specificity: the list must be fixed by an admin."""

    def __init__(self, rules: list[ResponsibilityRule]) -> None:
        self.rules = rules
        names = "；".join(str(rule) for rule in rules)
        super().__init__(_("责任清单存在冲突，请管理员修正：%(rules)s") % {"rules": names})


@dataclass(frozen=True)
class RoutingDecision:
    """The departments for a clue and the rule that produced them (None: no rule matched)."""

    rule: ResponsibilityRule | None
    lead: Department | None
    co_handlers: list[Department] = field(default_factory=list)

    @property
    def explanation(self) -> str:
        if self.rule is None:
            return _("责任清单中没有匹配的条目，需人工指定承办单位。")
        return _("依据责任清单条目 #%(id)s：%(rule)s") % {"id": self.rule.pk, "rule": self.rule}


def _active_rules() -> QuerySet[ResponsibilityRule]:
    return (
        ResponsibilityRule.objects.filter(is_active=True, lead_department__is_active=True)
        .select_related("category", "region", "lead_department")
        .prefetch_related("co_departments")
    )


def _matching_rules(category: Category | None, region: Region | None) -> list[ResponsibilityRule]:
    """Active rules whose category and region subtrees both contain the clue's."""
    category_ids = category.ancestor_ids() if category else []
    region_ids = region.ancestor_ids() if region else []
    return list(
        _active_rules()
        .filter(Q(category__isnull=True) | Q(category_id__in=category_ids))
        .filter(Q(region__isnull=True) | Q(region_id__in=region_ids))
    )


def _decide(candidates: list[ResponsibilityRule]) -> RoutingDecision:
    """The most specific of the matching rules: deepest category first, then deepest region."""
    if not candidates:
        return RoutingDecision(rule=None, lead=None)
    by_specificity: dict[tuple[int, int], list[ResponsibilityRule]] = defaultdict(list)
    for rule in candidates:
        by_specificity[rule.specificity].append(rule)
    best = by_specificity[max(by_specificity)]
    if len(best) > 1:
        raise RoutingConflict(sorted(best, key=lambda rule: rule.pk))
    rule = best[0]
    co_handlers = [
        department
        for department in rule.co_departments.all()
        if department.is_active and department.pk != rule.lead_department_id
    ]
    return RoutingDecision(rule=rule, lead=rule.lead_department, co_handlers=co_handlers)


def route(category: Category | None, region: Region | None) -> RoutingDecision:
    """Pick the most specific matching rule: deepest category first, then deepest region.

    Raises RoutingConflict when the best specificity is shared by several rules.
    """
    return _decide(_matching_rules(category, region))


class RuleBook:
    """The active responsibility list held in memory, for routing many clues without a query
    each (triage workers); the same decision as `route`, reloaded by its owner."""

    def __init__(self) -> None:
        self._rules = list(_active_rules())

    def route(self, category: Category | None, region: Region | None) -> RoutingDecision:
        category_ids = set(category.ancestor_ids()) if category else set()
        region_ids = set(region.ancestor_ids()) if region else set()
        return _decide(
            [
                rule
                for rule in self._rules
                if (rule.category_id is None or rule.category_id in category_ids)
                and (rule.region_id is None or rule.region_id in region_ids)
            ]
        )


def find_rule_conflicts() -> list[list[ResponsibilityRule]]:
    """Groups of active rules that cover the same (category, region): each group is a tie."""
    groups: dict[tuple[int | None, int | None], list[ResponsibilityRule]] = defaultdict(list)
    for rule in ResponsibilityRule.objects.filter(is_active=True).select_related(
        "category", "region", "lead_department"
    ):
        groups[(rule.category_id, rule.region_id)].append(rule)
    return [rules for rules in groups.values() if len(rules) > 1]
