"""Reads of the directory: finding categories, regions and departments, and effective SLAs.

The directory is reference data every signed-in role may read, so these selectors take no
user; the clue selectors restrict the clues themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q

from minsheng.directory.choices import Priority
from minsheng.directory.models import Category, Department, Region, SLAPolicy

CATEGORY_PATH_SEPARATORS = re.compile(r"\s*[/／>＞]\s*")

# Used when settings.MINSHENG lacks a key (the settings module defines them all).
SLA_FALLBACKS = {
    "DEFAULT_ACCEPT_DAYS": 1,
    "DEFAULT_HANDLE_DAYS": 15,
    "DEFAULT_WARN_DAYS": 3,
    "DEFAULT_EXTENSION_LIMIT_DAYS": 15,
    "DEFAULT_REWORK_DAYS": 5,
}


def split_category_path(path: str) -> list[str]:
    """Split a path such as "供水 / 停水" into names; "/", "／" and ">" separate levels."""
    return [part for part in CATEGORY_PATH_SEPARATORS.split(path.strip()) if part]


def category_by_path(*, path: str) -> Category | None:
    """The category reached by following names from a root, e.g. "供水/供水服务/停水".

    A partial path names an upper-level node ("供水/供水服务"). None when any step is
    missing, the path is empty or longer than three levels.
    """
    names = split_category_path(path)
    if not names or len(names) > Category.MAX_LEVEL:
        return None
    by_parent_and_name = {
        (category.parent_id, category.name): category
        for category in Category.objects.filter(name__in=names)
    }
    node: Category | None = None
    for name in names:
        node = by_parent_and_name.get((node.pk if node else None, name))
        if node is None:
            return None
    return node


def categories_by_name(*, name: str) -> list[Category]:
    """Every category with exactly this name (stripped), shallowest first."""
    name = name.strip()
    if not name:
        return []
    return list(Category.objects.filter(name=name).order_by("depth", "path"))


def category_find_by_name(*, name: str) -> Category | None:
    """The category a bare label such as "城乡建设" means, at any level.

    When the name occurs at several levels the shallowest wins. When the shallowest level
    holds it more than once (e.g. "其他" under several parents), the one active node is
    taken; if that does not settle it the label is ambiguous and None is returned rather
    than a guess (use `categories_by_name` to see the candidates).
    """
    candidates = categories_by_name(name=name)
    if not candidates:
        return None
    shallowest = [c for c in candidates if c.depth == candidates[0].depth]
    if len(shallowest) == 1:
        return shallowest[0]
    active = [c for c in shallowest if c.is_active]
    return active[0] if len(active) == 1 else None


def region_by_code(*, code: str) -> Region | None:
    return Region.objects.filter(code=code.strip()).first()


def department_by_name(*, name: str) -> Department | None:
    """A department by its exact full name, else by a short name only it uses."""
    name = name.strip()
    if not name:
        return None
    department = Department.objects.filter(name=name).first()
    if department is not None:
        return department
    by_short_name = list(Department.objects.filter(short_name=name)[:2])
    return by_short_name[0] if len(by_short_name) == 1 else None


@dataclass(frozen=True)
class EffectiveSLA:
    """The working-day limits that apply to a clue, and the policy they came from.

    `policy` is None when no SLAPolicy matched and the settings' defaults apply.
    """

    accept_days: int
    handle_days: int
    warn_days: int
    extension_limit_days: int
    rework_days: int
    policy: SLAPolicy | None = None

    @classmethod
    def from_policy(cls, policy: SLAPolicy) -> EffectiveSLA:
        return cls(
            accept_days=policy.accept_days,
            handle_days=policy.handle_days,
            warn_days=policy.warn_days,
            extension_limit_days=policy.extension_limit_days,
            rework_days=policy.rework_days,
            policy=policy,
        )

    @classmethod
    def from_settings(cls) -> EffectiveSLA:
        configured: dict[str, Any] = getattr(settings, "MINSHENG", {})

        def days(key: str) -> int:
            return int(configured.get(key, SLA_FALLBACKS[key]))

        return cls(
            accept_days=days("DEFAULT_ACCEPT_DAYS"),
            handle_days=days("DEFAULT_HANDLE_DAYS"),
            warn_days=days("DEFAULT_WARN_DAYS"),
            extension_limit_days=days("DEFAULT_EXTENSION_LIMIT_DAYS"),
            rework_days=days("DEFAULT_REWORK_DAYS"),
        )


def sla_for(*, category: Category | None, priority: str) -> EffectiveSLA:
    """The most specific SLA policy for a clue's category and priority.

    Policies on the category or any of its ancestors, or on no category, are candidates;
    the deepest category wins, then a policy for exactly this priority beats one for any
    priority (blank). Without a match, `settings.MINSHENG`'s defaults apply.
    Raises ValueError for a priority that is neither blank nor a `Priority` value.
    """
    if priority and priority not in Priority.values:
        raise ValueError(f"unknown priority {priority!r}")
    category_ids = category.ancestor_ids() if category is not None else []
    candidates = (
        SLAPolicy.objects.filter(Q(category__isnull=True) | Q(category_id__in=category_ids))
        .filter(priority__in=sorted({priority, ""}))
        .select_related("category")
    )

    def specificity(policy: SLAPolicy) -> tuple[int, bool, int]:
        depth = policy.category.depth if policy.category is not None else 0
        return depth, bool(policy.priority), -policy.pk

    best = max(candidates, key=specificity, default=None)
    if best is None:
        return EffectiveSLA.from_settings()
    return EffectiveSLA.from_policy(best)
