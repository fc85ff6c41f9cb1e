"""The roles of Minsheng and what each may see.

One role per user keeps permission checks legible; a person with two jobs gets two accounts.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("群众")
    INTAKE = "intake", _("受理员")
    DEPT_HANDLER = "dept_handler", _("承办人")
    DEPT_HEAD = "dept_head", _("承办单位负责人")
    SUPERVISOR = "supervisor", _("督查员")
    INSPECTOR = "inspector", _("核查组成员")
    ADMIN = "admin", _("系统管理员")
    ANALYST = "analyst", _("分析员")
    # Not a person: the platform itself (importers, triage, timers).
    SYSTEM = "system", _("系统")


DEPARTMENT_ROLES = frozenset({Role.DEPT_HANDLER, Role.DEPT_HEAD})
# Roles that may see a complainant's identity unmasked.
IDENTITY_ROLES = frozenset({Role.INTAKE, Role.SUPERVISOR, Role.INSPECTOR, Role.ADMIN})
# Roles that may see every clue (departments see only their own assignments).
ALL_CLUES_ROLES = frozenset(
    {Role.INTAKE, Role.SUPERVISOR, Role.INSPECTOR, Role.ADMIN, Role.ANALYST, Role.SYSTEM}
)
