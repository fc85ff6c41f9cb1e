"""Choices shared by the directory and the clues: levels, kinds, priorities."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, _("省级")
    PREFECTURE = 2, _("地市级")
    COUNTY = 3, _("区县级")
    TOWNSHIP = 4, _("乡镇街道")
    VILLAGE = 5, _("村社区")


class DepartmentKind(models.TextChoices):
    GOVERNMENT = "government", _("人民政府")
    FUNCTIONAL = "functional", _("职能部门")
    UTILITY = "utility", _("公用事业企业")
    ENTERPRISE = "enterprise", _("国有企业")  # e.g. the salt company under the salt monopoly
    INSTITUTION = "institution", _("事业单位")
    STREET = "street", _("街道乡镇")
    SUPERVISION = "supervision", _("督查机构")
    OTHER = "other", _("其他")


class Priority(models.TextChoices):
    LOW = "low", _("一般")
    NORMAL = "normal", _("普通")
    HIGH = "high", _("紧急")
    URGENT = "urgent", _("特急")
