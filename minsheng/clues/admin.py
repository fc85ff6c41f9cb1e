"""Admin views of clues: for inspection; status changes go through the services only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from minsheng.clues.models import (
    Assignment,
    Clue,
    ClueEvent,
    Tag,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fields = ("department", "role", "status", "dispatched_at", "accept_due", "handle_due")


class EventInline(ReadOnlyInline):
    model = ClueEvent
    fields = (
        "seq",
        "created_at",
        "action",
        "from_status",
        "to_status",
        "actor_role",
        "actor_name",
        "reason",
    )
    ordering = ("seq",)


@admin.register(Clue)
class ClueAdmin(admin.ModelAdmin):
    list_display = (
        "tracking_code",
        "title",
        "status",
        "category",
        "region",
        "priority",
        "handle_due",
        "received_at",
    )
    list_filter = ("status", "channel", "priority", "outcome", "is_anonymous")
    search_fields = ("tracking_code", "title", "external_id")
    date_hierarchy = "received_at"
    readonly_fields = [field.name for field in Clue._meta.fields]
    inlines = (AssignmentInline, EventInline)
    list_select_related = ("category", "region")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ClueEvent)
class ClueEventAdmin(admin.ModelAdmin):
    list_display = (
        "clue",
        "seq",
        "action",
        "from_status",
        "to_status",
        "actor_role",
        "actor_name",
        "created_at",
    )
    list_filter = ("action", "actor_role")
    search_fields = ("clue__tracking_code", "actor_name")
    readonly_fields = [field.name for field in ClueEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("slug", "name")
