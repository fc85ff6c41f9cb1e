"""Admin for users: Django's user admin plus role, department, display name and phone."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.models import User


@admin.register(User)
class MinshengUserAdmin(UserAdmin):
    # The inherited forms are bound to this model by ModelAdmin.get_form().
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("角色与单位"), {"fields": ("role", "department")}),
        (_("个人信息"), {"fields": ("display_name", "phone", "email")}),
        (
            _("权限"),
            {
                "classes": ("collapse",),
                "fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions"),
            },
        ),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (
            _("角色与单位"),
            {"classes": ("wide",), "fields": ("role", "department", "display_name", "phone")},
        ),
    )
    list_display = ("username", "display_name", "role", "department", "is_active", "is_staff")
    list_filter = (
        "role",
        ("department", admin.RelatedOnlyFieldListFilter),
        "is_active",
        "is_staff",
    )
    list_select_related = ("department",)
    search_fields = ("username", "display_name", "phone", "email", "department__name")
    ordering = ("username",)
