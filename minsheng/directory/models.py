"""Regions, departments, the category taxonomy, the responsibility list and SLA policies.

Regions and categories are trees; each node stores its materialised `path` (ancestor ids
joined by "/") so that "is X inside subtree Y" is a prefix test, and `depth` so that the
most specific rule is simply the deepest one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from minsheng.directory.choices import DepartmentKind, Priority, RegionLevel


def same_or_both_null(field: str, pk: int | None) -> models.Q:
    """Match rows whose foreign key `field` is `pk`, or is NULL when `pk` is None."""
    if pk is None:
        return models.Q(**{f"{field}__isnull": True})
    return models.Q(**{f"{field}_id": pk})


class TreeNode(models.Model):
    """Shared shape of the two trees (regions and categories)."""

    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=1)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep `path` and `depth` consistent with the parent; a new node needs its pk first."""
        parent = getattr(self, "parent", None)
        if self.pk is None:
            super().save(*args, **kwargs)
            kwargs.pop("force_insert", None)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            # save(update_fields=["parent"]) must move the node, not leave a stale path.
            kwargs["update_fields"] = {*update_fields, "path", "depth"}
        old_path = self.path
        if parent is not None and old_path and parent.path.startswith(old_path):
            raise ValueError(f"{self!r} cannot be moved below itself or its own descendant")
        self.path = f"{parent.path}{self.pk}/" if parent is not None else f"{self.pk}/"
        self.depth = self.path.count("/")
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            self._move_descendants(old_path)

    def _move_descendants(self, old_path: str) -> None:
        """Re-root the subtree after a move so that prefix tests stay true (one UPDATE)."""
        shift = self.path.count("/") - old_path.count("/")
        type(self)._default_manager.filter(path__startswith=old_path).exclude(pk=self.pk).update(
            path=Concat(models.Value(self.path), Substr("path", len(old_path) + 1)),
            depth=models.F("depth") + shift,
        )

    def clean(self) -> None:
        """Reject a parent that is the node itself or lies inside its subtree (a cycle)."""
        super().clean()
        parent = getattr(self, "parent", None)
        moved_inside = parent is not None and (
            parent.pk == self.pk or (bool(self.path) and parent.path.startswith(self.path))
        )
        if self.pk is not None and moved_inside:
            raise ValidationError({"parent": _("不能移动到自身或其下级节点之下。")})

    def subtree_height(self) -> int:
        """Levels below this node (0 for a leaf or an unsaved node)."""
        if self.pk is None or not self.path:
            return 0
        deepest = (
            type(self)
            ._default_manager.filter(path__startswith=self.path)
            .aggregate(deepest=models.Max("depth"))["deepest"]
        )
        return max(int(deepest or self.depth) - self.depth, 0)

    def is_within(self, ancestor: TreeNode) -> bool:
        """True when this node is `ancestor` itself or lies below it."""
        return self.path.startswith(ancestor.path)

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this node."""
        return [int(part) for part in self.path.split("/") if part]


class Region(TreeNode):
    """An administrative division, identified by its statistical code (6 digits, 9/12 below)."""

    code = models.CharField(
        _("区划代码"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^\d{6}(\d{3}){0,2}$", _("区划代码应为6位、9位或12位数字。"))],
    )
    name = models.CharField(_("名称"), max_length=60)
    short_name = models.CharField(
        _("简称/别名"),
        max_length=120,
        blank=True,
        help_text=_("多个别名用英文逗号分隔，供地名识别使用。"),
    )
    level = models.PositiveSmallIntegerField(_("层级"), choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Department(models.Model):
    """A body that handles clues: a government, a functional department, a utility company..."""

    name = models.CharField(_("单位名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("单位类型"), max_length=20, choices=DepartmentKind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="departments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    contact_person = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["region__code", "name"]

    def __str__(self) -> str:
        return self.name


class Category(TreeNode):
    """A node of the 3-level taxonomy of matters (一级/二级/三级分类)."""

    MAX_LEVEL = 3

    name = models.CharField(_("名称"), max_length=60)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    description = models.CharField(_("说明"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("问题分类")
        verbose_name_plural = _("问题分类")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="category_unique_name_in_parent"
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(parent__isnull=True),
                name="category_unique_root_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def level(self) -> int:
        return self.depth

    def clean(self) -> None:
        super().clean()
        if self.parent is not None and self.parent.depth + 1 + self.subtree_height() > (
            self.MAX_LEVEL
        ):
            raise ValidationError({"parent": _("分类最多三级。")})

    def full_name(self) -> str:
        names = dict(Category.objects.filter(pk__in=self.ancestor_ids()).values_list("pk", "name"))
        return " / ".join(names[pk] for pk in self.ancestor_ids() if pk in names)


class ResponsibilityRule(models.Model):
    """One line of the responsibility list (责任清单).

    A rule covers a category subtree and a region subtree (either may be empty, meaning any)
    and names the lead department and any co-handling departments. For a clue, the matching
    rule with the deepest category wins, then the deepest region; two matching rules at the
    same depths are a configuration error, never resolved silently.
    """

    category = models.ForeignKey(
        Category,
        verbose_name=_("问题分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rules",
        help_text=_("留空表示全部分类"),
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("适用区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rules",
        help_text=_("留空表示全部区划"),
    )
    lead_department = models.ForeignKey(
        Department, verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="lead_rules"
    )
    co_departments = models.ManyToManyField(
        Department, verbose_name=_("协办单位"), blank=True, related_name="co_rules"
    )
    basis = models.CharField(_("职责依据"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("责任清单条目")
        verbose_name_plural = _("责任清单")
        ordering = ["category__path", "region__code"]

    def __str__(self) -> str:
        category = self.category.name if self.category else _("全部分类")
        region = self.region.name if self.region else _("全部区划")
        return f"{category} · {region} → {self.lead_department}"

    def clean(self) -> None:
        """An active rule must be the only active one for its (category, region)."""
        super().clean()
        if not self.is_active:
            return
        duplicate = (
            ResponsibilityRule.objects.filter(
                same_or_both_null("category", self.category_id),
                same_or_both_null("region", self.region_id),
                is_active=True,
            )
            .exclude(pk=self.pk)
            .first()
        )
        if duplicate is not None:
            raise ValidationError(
                _(
                    "相同分类与区划已有启用的责任清单条目 #%(id)s（%(rule)s），"
                    "请修改该条目或先将其停用。"
                )
                % {"id": duplicate.pk, "rule": duplicate}
            )

    def validate_co_departments(self, departments: Iterable[Department]) -> None:
        """The lead department may not also be listed as a co-handler.

        Many-to-many values are not saved when clean() runs, so forms and importers call
        this with the co-departments they are about to set.
        """
        if any(department.pk == self.lead_department_id for department in departments):
            raise ValidationError({"co_departments": _("主办单位不能同时作为协办单位。")})

    @property
    def specificity(self) -> tuple[int, int]:
        """(category depth, region depth); 0 where the rule covers everything."""
        return (
            self.category.depth if self.category else 0,
            self.region.depth if self.region else 0,
        )


class SLAPolicy(models.Model):
    """Working days allowed for a category subtree and priority (empty means any)."""

    category = models.ForeignKey(
        Category,
        verbose_name=_("问题分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sla_policies",
        help_text=_("留空表示全部分类"),
    )
    priority = models.CharField(
        _("优先级"),
        max_length=10,
        choices=Priority.choices,
        blank=True,
        help_text=_("留空表示全部优先级"),
    )
    accept_days = models.PositiveSmallIntegerField(
        _("签收时限（工作日）"), validators=[MinValueValidator(0)]
    )
    handle_days = models.PositiveSmallIntegerField(
        _("办结时限（工作日）"), validators=[MinValueValidator(1)]
    )
    warn_days = models.PositiveSmallIntegerField(_("预警提前（工作日）"), default=3)
    extension_limit_days = models.PositiveSmallIntegerField(_("最长延期（工作日）"), default=15)
    rework_days = models.PositiveSmallIntegerField(_("退回重办时限（工作日）"), default=5)

    class Meta:
        verbose_name = _("办理时限")
        verbose_name_plural = _("办理时限")
        ordering = ["category__path", "priority"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "priority"], name="sla_unique_category_priority"
            ),
        ]

    def __str__(self) -> str:
        category = self.category.name if self.category else _("全部分类")
        priority = self.get_priority_display() if self.priority else _("全部优先级")
        return f"{category} · {priority}: {self.accept_days}/{self.handle_days}"

    def clean(self) -> None:
        """One policy per (category, priority); the database cannot see NULL duplicates."""
        super().clean()
        duplicate = (
            SLAPolicy.objects.filter(
                same_or_both_null("category", self.category_id), priority=self.priority
            )
            .exclude(pk=self.pk)
            .first()
        )
        if duplicate is not None:
            raise ValidationError(
                {
                    "category": _("该分类与优先级已有办理时限设置 #%(id)s（%(policy)s）。")
                    % {"id": duplicate.pk, "policy": duplicate}
                }
            )
