"""Admin views of clues: for inspection; status changes go through the services only."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from minsheng.clues.choices import Channel
from minsheng.clues.errors import ClueValidationError
from minsheng.clues.importing import ImportFileError, ImportSummary, import_clue_file
from minsheng.clues.importing.service import MAX_SOURCE_LENGTH
from minsheng.clues.models import (
    Assignment,
    Clue,
    ClueEvent,
    Tag,
)
from minsheng.web.admin_import import (
    AdminImport,
    ImportAdminMixin,
    ImportFileForm,
    ImportRefused,
    ImportReport,
)


class ClueImportForm(ImportFileForm):
    source = forms.CharField(
        label=_("来源"),
        max_length=MAX_SOURCE_LENGTH,
        help_text=_("外部编号在同一来源内唯一；重复导入同一来源的文件不会重复创建。"),
    )
    channel = forms.ChoiceField(
        label=_("来源渠道"),
        choices=[
            (Channel.BULK_IMPORT.value, Channel.BULK_IMPORT.label),
            (Channel.PHONE_IMPORT.value, Channel.PHONE_IMPORT.label),
        ],
        initial=Channel.BULK_IMPORT.value,
    )
    dry_run = forms.BooleanField(
        label=_("试运行"), required=False, help_text=_("完整检查并统计，最后全部回滚，不保存。")
    )


def clue_import_report(summary: ImportSummary) -> ImportReport:
    notes: list[str] = []
    if summary.dry_run:
        notes.append(gettext("试运行：以上为统计结果，未保存任何数据。"))
    for counter, label in (
        (summary.unmatched_categories, gettext("未匹配的分类（请先导入分类）")),
        (summary.unmatched_regions, gettext("未匹配的区划（请先导入区划）")),
        (summary.unknown_priorities, gettext("无法识别的优先级（按普通处理）")),
    ):
        if counter:
            listed = "、".join(f"{name} ×{count}" for name, count in counter.most_common(20))
            notes.append(f"{label}：{listed}")
    return ImportReport(
        headline=gettext(
            "%(file)s：读取 %(read)d 行：新建 %(created)d（其中已答复 %(answered)d），"
            "跳过 %(skipped)d（已存在 %(existing)d，文件内重复 %(duplicate)d），"
            "拒绝 %(rejected)d。"
        )
        % {
            "file": summary.file_name,
            "read": summary.rows_read,
            "created": summary.created,
            "answered": summary.created_answered,
            "skipped": summary.skipped,
            "existing": summary.skipped_existing,
            "duplicate": summary.skipped_duplicate,
            "rejected": summary.rejected,
        },
        rejected=[
            gettext("第 %(line)d 行：%(reason)s") % {"line": row.line, "reason": row.reason}
            for row in summary.rejected_rows
        ],
        more_rejected=summary.rejected - len(summary.rejected_rows),
        notes=notes,
    )


def import_clues(path: Path, cleaned_data: Mapping[str, Any]) -> ImportReport:
    """What `manage.py import_clues FILE --source S [--dry-run]` does, for one uploaded file."""
    try:
        summary = import_clue_file(
            path=path,
            source=cleaned_data["source"],
            channel=cleaned_data["channel"],
            dry_run=cleaned_data["dry_run"],
        )
    except ClueValidationError as error:
        raise ImportRefused(error.message) from error
    except ImportFileError as error:
        notes: list[str] = []
        partial = error.summary
        if partial is not None and partial.dry_run:
            notes.append(gettext("试运行：未保存任何数据。"))
        elif partial is not None and partial.batches_written:
            notes.append(
                gettext(
                    "出错之前的 %(batches)d 批（第 2–%(line)d 行，新建 %(created)d 条线索）"
                    "已经保存；修正文件后再次导入会跳过它们。"
                )
                % {
                    "batches": partial.batches_written,
                    "line": partial.last_line,
                    "created": partial.created,
                }
            )
        else:
            notes.append(gettext("未导入任何数据。"))
        raise ImportRefused(error.message, notes=notes) from error
    return clue_import_report(summary)


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
class ClueAdmin(ImportAdminMixin, admin.ModelAdmin):
    admin_import = AdminImport(
        run=import_clues,
        form_class=ClueImportForm,
        help_text=_(
            "XLSX 或 CSV：泰迪杯留言格式、本系统导出格式或通用格式（表头识别列）。"
            "同一来源中已有的线索（按编号，无编号时按内容指纹）会跳过。"
        ),
        notes=(
            _(
                "很大的文件（数万行以上）请在服务器上运行 "
                "manage.py import_clues FILE --source 来源名，以免网页请求超时。"
            ),
        ),
    )
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
