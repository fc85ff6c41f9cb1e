"""Writes of the outbox: queue a message, send it (with bounded retries), resend, sweep.

A message is queued inside the caller's transaction and handed to a background task only
after commit, so a rolled-back change sends nothing and a committed one is never lost: when
the queue is unavailable the row waits for `notifications_pending`. Sending never raises into
its caller; each outcome is written to the row.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from minsheng.clues.models import Clue
from minsheng.notifications.backends import Outgoing, SendError, channel_backend
from minsheng.notifications.models import (
    MessageChannel,
    MessageKind,
    MessageStatus,
    OutboundMessage,
)

logger = logging.getLogger(__name__)

# Attempts before a message is given up (then it waits for a resend from the admin), and the
# wait before each retry: a gateway that is down for a while still gets the message.
MAX_ATTEMPTS = 5
RETRY_DELAYS = (60, 5 * 60, 30 * 60, 2 * 3600)
# How long a worker holds a message it is sending; after that another may try (a worker
# that died mid-send must not keep the message forever).
SEND_LEASE = dt.timedelta(minutes=10)
# A queued message this much past its time has lost its task; the sweeper queues it again.
STALE_AFTER = dt.timedelta(minutes=10)
MASK = "*"


class MessageInvalid(ValueError):
    """The message cannot be queued as given (unknown channel or kind, no recipient)."""


def message_queue(
    *,
    channel: str,
    recipient: str,
    body: str,
    kind: str,
    subject: str = "",
    clue: Clue | None = None,
    sensitive: Sequence[str] = (),
) -> OutboundMessage:
    """Write a message to the outbox and send it after the surrounding transaction commits.

    Preconditions: called inside the transaction of the change that causes the message (or
    in autocommit mode, when it is sent at once). `sensitive` names values in the text (a
    query secret) to mask once the message is done. Raises MessageInvalid for a message that
    could never be sent.
    """
    if channel not in MessageChannel.values:
        raise MessageInvalid(f"unknown channel {channel!r}")
    if kind not in MessageKind.values:
        raise MessageInvalid(f"unknown kind {kind!r}")
    if not recipient.strip():
        raise MessageInvalid("a message needs a recipient")
    message = OutboundMessage.objects.create(
        channel=channel,
        recipient=recipient.strip(),
        subject=subject,
        body=body,
        kind=kind,
        clue=clue,
        sensitive=[value for value in sensitive if value],
    )
    _send_after_commit(message.pk)
    return message


def message_send(*, message_id: int) -> OutboundMessage | None:
    """Try to send one queued message and record the outcome; never raises for a send.

    Returns None when there is nothing to do: the message is gone, already done, or another
    worker holds it. A failure is retried after a delay until MAX_ATTEMPTS; a permanent one
    (and the last) marks it failed. A message that is done has its sensitive values masked.
    """
    now = timezone.now()
    claimed = (
        OutboundMessage.objects.filter(pk=message_id, status=MessageStatus.QUEUED)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .update(locked_until=now + SEND_LEASE, attempts=F("attempts") + 1, last_attempt_at=now)
    )
    if not claimed:
        return None
    message = OutboundMessage.objects.get(pk=message_id)
    try:
        channel_backend(message.channel).send(_outgoing(message))
    except SendError as error:
        return _record_failure(message, error, permanent=error.permanent)
    except Exception as error:  # any backend failure is recorded and retried
        return _record_failure(message, error, permanent=False)
    return _record_sent(message)


def messages_resend(*, message_ids: Iterable[int]) -> int:
    """Queue failed messages again with fresh attempts; returns how many.

    Preconditions: the cause was fixed (a channel configured, an address corrected).
    Messages that are not failed are left alone. The last error stays until the next
    outcome. A message whose sensitive values were masked is resent masked: the secret is
    not kept anywhere once a message is done.
    """
    with transaction.atomic():
        ids = list(
            OutboundMessage.objects.select_for_update()
            .filter(pk__in=list(message_ids), status=MessageStatus.FAILED)
            .values_list("pk", flat=True)
        )
        OutboundMessage.objects.filter(pk__in=ids).update(
            status=MessageStatus.QUEUED,
            attempts=0,
            next_attempt_at=timezone.now(),
            locked_until=None,
        )
        for message_id in ids:
            _send_after_commit(message_id)
    return len(ids)


def messages_overdue(*, limit: int = 10_000) -> list[int]:
    """Queued messages well past their time and held by no worker: their task was lost."""
    now = timezone.now()
    return list(
        OutboundMessage.objects.filter(
            status=MessageStatus.QUEUED, next_attempt_at__lt=now - STALE_AFTER
        )
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def redacted(text: str, values: Iterable[str]) -> str:
    """`text` with every one of `values` replaced by as many asterisks (longest first)."""
    for value in sorted({value for value in values if value}, key=len, reverse=True):
        text = text.replace(value, MASK * len(value))
    return text


# ----- Internals ----------------------------------------------------------------------------


def _outgoing(message: OutboundMessage) -> Outgoing:
    return Outgoing(
        message_id=message.pk,
        channel=message.channel,
        recipient=message.recipient,
        subject=message.subject,
        body=message.body,
    )


def _send_after_commit(message_id: int, *, run_after: dt.datetime | None = None) -> None:
    from minsheng.notifications.tasks import enqueue_send

    def enqueue() -> None:
        try:
            enqueue_send(message_id, run_after=run_after)
        except Exception:  # the row is committed; the sweeper queues it again
            logger.exception(
                "消息 %s 未能进入发送队列，将由 notifications_pending 补发。", message_id
            )

    transaction.on_commit(enqueue)


RESULT_FIELDS = [
    "status",
    "last_error",
    "locked_until",
    "next_attempt_at",
    "sent_at",
    "subject",
    "body",
    "sensitive",
    "redacted_at",
]


def _redact(message: OutboundMessage, now: dt.datetime) -> None:
    if message.sensitive:
        message.subject = redacted(message.subject, message.sensitive)
        message.body = redacted(message.body, message.sensitive)
        message.sensitive = []
        message.redacted_at = now


def _record_sent(message: OutboundMessage) -> OutboundMessage:
    now = timezone.now()
    message.status = MessageStatus.SENT
    message.sent_at = now
    message.last_error = ""
    message.locked_until = None
    _redact(message, now)
    message.save(update_fields=RESULT_FIELDS)
    return message


def _record_failure(
    message: OutboundMessage, error: BaseException, *, permanent: bool
) -> OutboundMessage:
    now = timezone.now()
    # A gateway's error may quote the text it refused: masked before it is stored or
    # logged, even while the message still waits for a retry.
    message.last_error = redacted(f"{type(error).__name__}: {error}", message.sensitive)[:2000]
    message.locked_until = None
    if permanent or message.attempts >= MAX_ATTEMPTS:
        message.status = MessageStatus.FAILED
        _redact(message, now)
        message.save(update_fields=RESULT_FIELDS)
        logger.error(
            "消息 %s（%s）发送失败，已放弃（第 %s 次）：%s",
            message.pk,
            message.get_kind_display(),
            message.attempts,
            message.last_error,
        )
        return message
    from minsheng.notifications.tasks import can_defer

    delay = RETRY_DELAYS[min(message.attempts - 1, len(RETRY_DELAYS) - 1)]
    run_after = now + dt.timedelta(seconds=delay) if can_defer() else None
    message.next_attempt_at = run_after or now
    logger.warning(
        "消息 %s 发送失败（第 %s 次），%s 秒后重试：%s",
        message.pk,
        message.attempts,
        delay if run_after else 0,
        message.last_error,
    )
    with transaction.atomic():
        message.save(update_fields=RESULT_FIELDS)
        _send_after_commit(message.pk, run_after=run_after)
    return message
