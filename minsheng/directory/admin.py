"""Django admin for the directory: regions, departments, categories, the responsibility list
and SLA policies. Tree nodes are listed in tree order with their names indented by level.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from minsheng.directory.errors import ImportFileError
from minsheng.directory.models import Category, Department, Region, ResponsibilityRule, SLAPolicy
from minsheng.directory.routing import find_rule_conflicts
from minsheng.directory.services import (
    ImportSummary,
    departments_import_file,
    regions_import_file,
    rules_import_file,
    taxonomy_import_file,
)
from minsheng.web.admin_import import (
    AdminImport,
    ImportAdminMixin,
    ImportRefused,
    ImportReport,
    StrOrPromise,
)

INDENT = "\u3000\u3000"  # two ideographic spaces per level below the first


def indented(name: str, depth: int) -> str:
    return INDENT * max(depth - 1, 0) + name


def directory_import(
    service: Callable[..., ImportSummary], *, help_text: StrOrPromise
) -> AdminImport:
    """The admin import of one directory service `service(path=...)`, as the commands call it."""

    def run(path: Path, cleaned_data: Mapping[str, Any]) -> ImportReport:
        try:
            summary = service(path=path)
        except ImportFileError as exc:
            raise ImportRefused(exc.message) from exc
        headline, *_rest = summary.lines()
        return ImportReport(
            headline=headline,
            rejected=[str(row) for row in sorted(summary.rejected, key=lambda row: row.line)],
            conflicts=list(summary.conflicts),
        )

    return AdminImport(run=run, help_text=help_text)


class DepthListFilter(admin.SimpleListFilter):
    title = _("层级")
    parameter_name = "depth"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("1", gettext("一级")), ("2", gettext("二级")), ("3", gettext("三级"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(depth=int(value))
        return queryset


@admin.register(Region)
class RegionAdmin(ImportAdminMixin, admin.ModelAdmin):
    admin_import = directory_import(
        regions_import_file,
        help_text=_("CSV 或 XLSX，列：code（统计用区划代码）、name、parent_code、short_name。"),
    )
    list_display = ("code", "indented_name", "short_name", "level", "parent", "is_active")
    list_display_links = ("code", "indented_name")
    list_filter = ("level", "is_active")
    search_fields = ("code", "name", "short_name")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)
    readonly_fields = ("path", "depth")
    list_per_page = 100

    @admin.display(description=_("名称"), ordering="name")
    def indented_name(self, obj: Region) -> str:
        return indented(obj.name, obj.level)


@admin.register(Department)
class DepartmentAdmin(ImportAdminMixin, admin.ModelAdmin):
    admin_import = directory_import(
        departments_import_file,
        help_text=_(
            "CSV 或 XLSX，列：name、short_name、kind、region_code、parent_name、"
            "contact_person、contact_phone。请先导入行政区划。"
        ),
    )
    list_display = (
        "name",
        "short_name",
        "kind",
        "region",
        "parent",
        "contact_person",
        "contact_phone",
        "is_active",
    )
    list_filter = ("kind", "is_active", "region__level")
    search_fields = ("name", "short_name", "contact_person", "contact_phone", "region__name")
    autocomplete_fields = ("region", "parent")
    list_select_related = ("region", "parent")
    list_per_page = 100


@admin.register(Category)
class CategoryAdmin(ImportAdminMixin, admin.ModelAdmin):
    admin_import = directory_import(
        taxonomy_import_file, help_text=_("CSV 或 XLSX，列：一级分类、二级分类、三级分类。")
    )
    list_display = ("indented_name", "level_display", "parent", "sort_order", "is_active")
    list_filter = (DepthListFilter, "is_active")
    search_fields = ("name", "description")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)
    readonly_fields = ("path", "depth")
    ordering = ("path",)
    list_per_page = 200

    @admin.display(description=_("名称"), ordering="path")
    def indented_name(self, obj: Category) -> str:
        return indented(obj.name, obj.depth)

    @admin.display(description=_("层级"), ordering="depth")
    def level_display(self, obj: Category) -> str:
        return {1: gettext("一级"), 2: gettext("二级"), 3: gettext("三级")}.get(
            obj.depth, str(obj.depth)
        )


class ResponsibilityRuleForm(forms.ModelForm):
    """Checks what the model cannot: the co-departments being saved exclude the lead."""

    class Meta:
        model = ResponsibilityRule
        fields = ("category", "region", "lead_department", "co_departments", "basis", "is_active")

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        lead = cleaned_data.get("lead_department")
        co_departments = cleaned_data.get("co_departments")
        if lead is not None and co_departments is not None:
            try:
                ResponsibilityRule(lead_department=lead).validate_co_departments(co_departments)
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned_data


@admin.register(ResponsibilityRule)
class ResponsibilityRuleAdmin(ImportAdminMixin, admin.ModelAdmin):
    admin_import = directory_import(
        rules_import_file,
        help_text=_(
            "CSV 或 XLSX，列：category_path（如 供水/停水，空为全部分类）、region_code"
            "（空为全部区划）、lead_department、co_departments（多个用 | 或 、 分隔），可选 basis。"
            "请先导入分类、区划和承办单位。导入后报告冲突。"
        ),
    )
    form = ResponsibilityRuleForm
    fields = ("category", "region", "lead_department", "co_departments", "basis", "is_active")
    list_display = (
        "id",
        "category_display",
        "region_display",
        "lead_department",
        "co_departments_display",
        "basis",
        "is_active",
    )
    list_display_links = ("id", "category_display")
    list_filter = ("is_active", "lead_department__kind", "region__level")
    search_fields = ("category__name", "region__name", "lead_department__name", "basis")
    autocomplete_fields = ("category", "region", "lead_department")
    filter_horizontal = ("co_departments",)
    list_select_related = ("category", "region", "lead_department")
    list_per_page = 100

    def get_queryset(self, request: HttpRequest) -> QuerySet[ResponsibilityRule]:
        return super().get_queryset(request).prefetch_related("co_departments")

    @admin.display(description=_("问题分类"), ordering="category__path")
    def category_display(self, obj: ResponsibilityRule) -> str:
        return obj.category.name if obj.category is not None else gettext("全部分类")

    @admin.display(description=_("适用区划"), ordering="region__code")
    def region_display(self, obj: ResponsibilityRule) -> str:
        return obj.region.name if obj.region is not None else gettext("全部区划")

    @admin.display(description=_("协办单位"))
    def co_departments_display(self, obj: ResponsibilityRule) -> str:
        return "、".join(department.name for department in obj.co_departments.all())

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.method == "GET":
            for rules in find_rule_conflicts():
                messages.warning(
                    request,
                    gettext(
                        "责任清单冲突：%(rules)s。同一分类与区划只能有一条启用的条目，"
                        "请停用或合并多余条目。"
                    )
                    % {"rules": "；".join(f"#{rule.pk} {rule}" for rule in rules)},
                )
        return super().changelist_view(request, extra_context)


@admin.register(SLAPolicy)
class SLAPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "category_display",
        "priority_display",
        "accept_days",
        "handle_days",
        "warn_days",
        "extension_limit_days",
        "rework_days",
    )
    list_filter = ("priority",)
    search_fields = ("category__name",)
    autocomplete_fields = ("category",)
    list_select_related = ("category",)

    @admin.display(description=_("问题分类"), ordering="category__path")
    def category_display(self, obj: SLAPolicy) -> str:
        return obj.category.name if obj.category is not None else gettext("全部分类")

    @admin.display(description=_("优先级"), ordering="priority")
    def priority_display(self, obj: SLAPolicy) -> str:
        return obj.get_priority_display() if obj.priority else gettext("全部优先级")
