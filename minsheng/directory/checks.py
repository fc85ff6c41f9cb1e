"""System check: ties in the responsibility list are reported to the administrator."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, Tags, register
from django.db import DatabaseError


@register(Tags.database)
def check_responsibility_conflicts(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from minsheng.directory.routing import find_rule_conflicts

    try:
        conflicts = find_rule_conflicts()
    except DatabaseError:  # before migrate
        return []
    return [
        Error(
            "责任清单冲突：" + "；".join(f"#{rule.pk} {rule}" for rule in rules),
            hint="同一分类与区划只能有一条启用的责任清单条目，请停用或合并多余条目。",
            id="minsheng.E001",
        )
        for rules in conflicts
    ]
