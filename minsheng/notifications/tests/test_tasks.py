"""The real task path: queued after commit, run by the tasks API's immediate backend."""

from __future__ import annotations

import json

import pytest
from django.core import mail

from minsheng.notifications import services, tasks
from minsheng.notifications.models import MessageStatus, OutboundMessage
from minsheng.notifications.tests.conftest import SECRET

pytestmark = pytest.mark.django_db


def _queue(channel: str, recipient: str) -> OutboundMessage:
    return services.message_queue(
        channel=channel,
        recipient=recipient,
        subject="回执",
        body=f"查询码：{SECRET}",
        kind="receipt",
        sensitive=[SECRET],
    )


def test_an_e_mail_is_sent_by_the_task_once_the_transaction_commits(
    immediate_queue, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue("email", "li@example.com")
        assert mail.outbox == []  # nothing leaves before commit
    [sent] = mail.outbox
    assert sent.body == f"查询码：{SECRET}"
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.body == "查询码：********"


def test_an_sms_is_written_by_the_file_backend_through_the_task(
    immediate_queue, sms_files, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue("sms", "13812341234")
    [path] = sms_files.glob("*.jsonl")
    line = json.loads(path.read_text(encoding="utf-8"))
    assert (line["id"], line["to"], line["text"]) == (
        message.pk,
        "13812341234",
        f"查询码：{SECRET}",
    )
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_without_deferred_tasks_retries_run_at_once_and_stop_at_the_limit(
    immediate_queue, broken_sms, django_capture_on_commit_callbacks
) -> None:
    # the immediate backend cannot hold a task for later: each retry runs at once, bounded
    assert not tasks.can_defer()
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue("sms", "13812341234")
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.FAILED, services.MAX_ATTEMPTS)
    assert broken_sms.calls == services.MAX_ATTEMPTS
    assert "gateway timed out" in message.last_error


def test_a_queue_that_can_defer_holds_retries(dummy_queue) -> None:
    assert tasks.can_defer()
