"""`notifications_pending`: overdue messages are queued again, or sent in the command."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from minsheng.notifications import services
from minsheng.notifications.models import MessageStatus, OutboundMessage

pytestmark = pytest.mark.django_db


def _overdue() -> OutboundMessage:
    message = services.message_queue(
        channel="email", recipient="a@example.com", body="正文", kind="receipt"
    )
    OutboundMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(hours=1)
    )
    return message


def test_overdue_messages_are_queued_again(dummy_queue) -> None:
    message = _overdue()
    out = StringIO()
    call_command("notifications_pending", stdout=out)
    assert "queued 1 overdue message(s)" in out.getvalue()
    assert [r.args for r in dummy_queue.results] == [[message.pk]]


def test_with_run_they_are_sent_in_the_command() -> None:
    message = _overdue()
    out = StringIO()
    call_command("notifications_pending", "--run", stdout=out)
    assert "tried 1 message(s), 1 sent" in out.getvalue()
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
