"""The outbox in the admin: read-only, with one action, resending failed messages.

Subject and body are shown with their sensitive values masked even while a message waits,
so the admin never displays a query secret.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from minsheng.notifications.models import MessageStatus, OutboundMessage
from minsheng.notifications.services import messages_resend, redacted


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "kind",
        "channel",
        "recipient",
        "clue",
        "status",
        "attempts",
        "sent_at",
        "short_error",
    )
    list_filter = ("status", "channel", "kind", "created_at")
    search_fields = ("recipient", "clue__tracking_code")
    date_hierarchy = "created_at"
    list_select_related = ("clue",)
    actions = ("resend",)
    fields = (
        "kind",
        "channel",
        "recipient",
        "clue",
        "status",
        "attempts",
        "last_error",
        "masked_subject",
        "masked_body",
        "redacted_at",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "sent_at",
    )
    readonly_fields = fields

    @admin.display(description=_("标题"))
    def masked_subject(self, message: OutboundMessage) -> str:
        return redacted(message.subject, message.sensitive)

    @admin.display(description=_("内容"))
    def masked_body(self, message: OutboundMessage) -> str:
        return redacted(message.body, message.sensitive)

    @admin.display(description=_("最近错误"))
    def short_error(self, message: OutboundMessage) -> str:
        error = message.last_error
        return error if len(error) <= 60 else error[:60] + "…"

    @admin.action(description=_("重新发送所选的发送失败消息"), permissions=["resend"])
    def resend(self, request: HttpRequest, queryset: QuerySet[OutboundMessage]) -> None:
        chosen = list(queryset.values_list("pk", "status", "redacted_at"))
        queued = messages_resend(message_ids=[pk for pk, _status, _at in chosen])
        skipped = len(chosen) - queued
        self.message_user(
            request,
            ngettext("已重新排队发送 %(n)d 条消息。", "已重新排队发送 %(n)d 条消息。", queued)
            % {"n": queued},
            messages.SUCCESS if queued else messages.WARNING,
        )
        if skipped:
            self.message_user(
                request,
                gettext("%(n)d 条消息不是“发送失败”状态，未重发。") % {"n": skipped},
                messages.WARNING,
            )
        if any(status == MessageStatus.FAILED and at for _pk, status, at in chosen):
            self.message_user(
                request,
                gettext("查询码等敏感内容已在首次发送结束时遮盖，重发的内容中以 * 代替。"),
                messages.INFO,
            )

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("notifications.change_outboundmessage")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
