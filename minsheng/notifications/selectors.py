"""Reads of the outbox."""

from __future__ import annotations

from dataclasses import dataclass

from minsheng.notifications.models import MessageChannel, MessageStatus, OutboundMessage
from minsheng.privacy.masking import mask_email, mask_phone


@dataclass(frozen=True)
class MessageNotice:
    """What a citizen may be told about a message sent to them: never the full address."""

    channel: str
    channel_label: str
    masked_recipient: str
    status: str
    status_label: str


def clue_message_notice(*, clue_id: int, kind: str) -> MessageNotice | None:
    """The latest message of `kind` about a clue, as its citizen may see it, or None."""
    message = (
        OutboundMessage.objects.filter(clue_id=clue_id, kind=kind)
        .only("channel", "recipient", "status")
        .order_by("-created_at", "-id")
        .first()
    )
    if message is None:
        return None
    masked = (
        mask_phone(message.recipient)
        if message.channel == MessageChannel.SMS
        else mask_email(message.recipient)
    )
    return MessageNotice(
        channel=message.channel,
        channel_label=message.get_channel_display(),
        masked_recipient=masked,
        status=message.status,
        status_label=str(MessageStatus(message.status).label),
    )
