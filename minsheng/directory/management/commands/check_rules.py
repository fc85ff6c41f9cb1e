"""manage.py check_rules: list ties in the responsibility list; exit status 1 if any."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minsheng.directory.routing import find_rule_conflicts


class Command(BaseCommand):
    help = (
        "检查责任清单：列出同一分类与区划下的多条启用条目，有冲突时以状态 1 退出。"
        " List conflicting responsibility-list rules; exit with status 1 if there are any."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        conflicts = find_rule_conflicts()
        if not conflicts:
            self.stdout.write(self.style.SUCCESS(_("责任清单没有冲突。")))
            return
        for rules in conflicts:
            self.stdout.write(
                self.style.ERROR(
                    _("冲突：%(rules)s")
                    % {"rules": "；".join(f"#{rule.pk} {rule}" for rule in rules)}
                )
            )
        raise CommandError(
            ngettext(
                "责任清单存在 %(count)s 处冲突，请停用或合并多余条目。",
                "责任清单存在 %(count)s 处冲突，请停用或合并多余条目。",
                len(conflicts),
            )
            % {"count": len(conflicts)},
            returncode=1,
        )
