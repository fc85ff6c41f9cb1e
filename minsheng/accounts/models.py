"""The user model: a Django user with one role and, for department staff, a department."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.roles import DEPARTMENT_ROLES, Role


class User(AbstractUser):
    """A person who signs in: staff of intake, departments, supervision, or a citizen."""

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.CITIZEN)
    department = models.ForeignKey(
        "directory.Department",
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    display_name = models.CharField(_("姓名"), max_length=60, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_department_staff(self) -> bool:
        return self.role in DEPARTMENT_ROLES

    def clean(self) -> None:
        super().clean()
        if self.role in DEPARTMENT_ROLES and self.department_id is None:
            raise ValidationError({"department": _("承办单位人员必须指定所属单位。")})
