"""The outbox: every message Minsheng sends (SMS, e-mail; later webhooks), kept durably.

A message is written in the same transaction as the change that causes it, then sent by a
background task after commit; its row records each attempt's outcome, so nothing is lost when
a channel is down and every message can be audited afterwards.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MessageChannel(models.TextChoices):
    """How a message travels; each has a backend (`backends.channel_backend`)."""

    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")


class MessageKind(models.TextChoices):
    """Why a message was sent (one value per purpose, for filtering and audit)."""

    RECEIPT = "receipt", _("受理回执")


class MessageStatus(models.TextChoices):
    # Waiting for its first attempt or for a retry after a failed one.
    QUEUED = "queued", _("待发送")
    # Accepted by the channel (the gateway or mail server); delivery is up to the channel.
    SENT = "sent", _("已发送")
    # Given up: the channel refused it for good or every attempt failed; resend from the admin.
    FAILED = "failed", _("发送失败")


class OutboundMessage(models.Model):
    """One message to one recipient, with its delivery attempts.

    `sensitive` lists values in the text (a query secret) that must not stay in clear: when
    the message is done (sent or finally failed) they are masked in `subject` and `body` and
    the list is emptied, so the row keeps an audit copy without the secret.
    """

    channel = models.CharField(_("渠道"), max_length=10, choices=MessageChannel.choices)
    recipient = models.CharField(_("接收方"), max_length=500)
    subject = models.CharField(_("标题"), max_length=200, blank=True)
    body = models.TextField(_("内容"))
    kind = models.CharField(_("用途"), max_length=30, choices=MessageKind.choices)
    clue = models.ForeignKey(
        "clues.Clue",
        verbose_name=_("问题线索"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outbound_messages",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    sensitive = models.JSONField(_("待遮盖内容"), default=list, blank=True)
    redacted_at = models.DateTimeField(_("遮盖时间"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("计划发送时间"), default=timezone.now)
    locked_until = models.DateTimeField(_("发送占用至"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("最近尝试时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("外发消息")
        verbose_name_plural = _("外发消息")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbound_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient} ({self.get_status_display()})"
