"""The outbox: queued in the caller's transaction, sent after commit, retried, redacted."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from minsheng.notifications import services
from minsheng.notifications.models import MessageStatus, OutboundMessage
from minsheng.notifications.tests.conftest import SECRET

pytestmark = pytest.mark.django_db

BODY = f"您的反映已受理。受理编号：2611 2812 3456 7897，查询码：{SECRET}。"


def queue(**overrides) -> OutboundMessage:
    values: dict[str, object] = {
        "channel": "email",
        "recipient": "zhang@example.com",
        "subject": "您的反映已受理",
        "body": BODY,
        "kind": "receipt",
        "sensitive": [SECRET],
    }
    values.update(overrides)
    return services.message_queue(**values)  # type: ignore[arg-type]


def test_a_message_is_written_at_once_and_queued_only_after_commit(
    dummy_queue, django_capture_on_commit_callbacks
) -> None:
    # when a message is queued inside a transaction
    with django_capture_on_commit_callbacks() as callbacks:
        message = queue()
        # then the row exists, waiting, and no task has been queued yet
        assert message.status == MessageStatus.QUEUED
        assert message.attempts == 0
        assert dummy_queue.results == []
    assert len(callbacks) == 1

    # when the transaction commits, one task carries the message's id (never its text)
    callbacks[0]()
    assert [(r.task.name, r.args) for r in dummy_queue.results] == [
        ("send_message_task", [message.pk])
    ]


def test_a_rolled_back_change_leaves_no_message_and_queues_nothing(
    dummy_queue, django_capture_on_commit_callbacks
) -> None:
    def change_that_fails() -> None:
        with transaction.atomic():
            queue()
            raise RuntimeError("the clue could not be saved")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        change_that_fails()
    assert not OutboundMessage.objects.exists()
    assert dummy_queue.results == []


@pytest.mark.parametrize(
    ("field", "value"), [("channel", "pigeon"), ("kind", "spam"), ("recipient", "  ")]
)
def test_a_message_that_could_never_be_sent_is_refused(field, value) -> None:
    with pytest.raises(services.MessageInvalid):
        queue(**{field: value})
    assert not OutboundMessage.objects.exists()


def test_a_sent_message_is_recorded_and_its_secret_masked() -> None:
    # given a queued e-mail holding a query secret
    message = queue()

    # when it is sent
    result = services.message_send(message_id=message.pk)

    # then the mail left with the secret in it
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["zhang@example.com"]
    assert SECRET in mail.outbox[0].body
    # and the row says so, keeping an audit copy without the secret
    assert result is not None
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert (message.attempts, message.last_error) == (1, "")
    assert message.sent_at is not None
    assert SECRET not in message.body
    assert "查询码：********。" in message.body
    assert "受理编号：2611 2812 3456 7897" in message.body
    assert message.sensitive == []
    assert message.redacted_at is not None
    assert not OutboundMessage.objects.filter(body__contains=SECRET).exists()


def test_a_message_already_sent_is_not_sent_again() -> None:
    message = queue()
    services.message_send(message_id=message.pk)
    assert services.message_send(message_id=message.pk) is None
    assert len(mail.outbox) == 1


def test_a_message_held_by_another_worker_is_left_to_it_until_its_lease_ends() -> None:
    message = queue()
    later = timezone.now() + dt.timedelta(minutes=5)
    OutboundMessage.objects.filter(pk=message.pk).update(locked_until=later)
    assert services.message_send(message_id=message.pk) is None
    assert mail.outbox == []

    # a worker that died mid-send: its lease runs out and another takes the message
    earlier = timezone.now() - dt.timedelta(seconds=1)
    OutboundMessage.objects.filter(pk=message.pk).update(locked_until=earlier)
    assert services.message_send(message_id=message.pk) is not None
    assert len(mail.outbox) == 1


def test_a_failing_send_is_retried_later_then_given_up_with_its_error_kept(
    broken_sms, dummy_queue, django_capture_on_commit_callbacks, caplog
) -> None:
    # given an SMS whose gateway is down
    message = queue(channel="sms", recipient="13812341234", subject="")

    # when the first attempt fails: no exception, the error is kept, a delayed retry queued
    with django_capture_on_commit_callbacks(execute=True):
        result = services.message_send(message_id=message.pk)
    assert result is not None
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 1)
    assert message.last_error == "ConnectionError: gateway timed out"
    assert message.next_attempt_at > timezone.now()
    assert message.locked_until is None
    assert SECRET in message.body  # not done yet: the retry needs the text
    retries = [r for r in dummy_queue.results if r.args == [message.pk]]
    assert len(retries) == 1
    assert retries[0].task.run_after is not None

    # when every further attempt fails too
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        for _ in range(services.MAX_ATTEMPTS - 1):
            services.message_send(message_id=message.pk)

    # then it is given up: failed, with its error, its secret masked, and an alert logged
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.FAILED, services.MAX_ATTEMPTS)
    assert "gateway timed out" in message.last_error
    assert SECRET not in message.body
    assert broken_sms.calls == services.MAX_ATTEMPTS
    assert any("已放弃" in record.getMessage() for record in caplog.records)
    # and no further attempt is queued or made
    assert len([r for r in dummy_queue.results if r.args == [message.pk]]) == 4
    assert services.message_send(message_id=message.pk) is None
    assert broken_sms.calls == services.MAX_ATTEMPTS


class EchoingGateway:
    """A gateway whose error message quotes the text it refused."""

    available = True

    def send(self, outgoing) -> None:
        raise ValueError(f"rejected: {outgoing.body}")


def test_an_error_quoting_the_text_loses_the_secret_too(settings, caplog) -> None:
    settings.MINSHENG = {**settings.MINSHENG, "SMS_BACKEND": f"{__name__}.EchoingGateway"}
    message = queue(channel="sms", recipient="13812341234")

    # while it waits for a retry, neither the stored error nor the log holds the secret
    with caplog.at_level(logging.WARNING):
        services.message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    assert SECRET in message.body  # the retry still needs the text
    assert message.last_error.startswith("ValueError: rejected: ")
    assert SECRET not in message.last_error
    assert caplog.records
    assert all(SECRET not in record.getMessage() for record in caplog.records)

    for _ in range(services.MAX_ATTEMPTS - 1):
        services.message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.last_error.startswith("ValueError: rejected: ")
    assert SECRET not in message.last_error


def test_a_channel_that_is_switched_off_fails_at_once_with_the_reason(settings) -> None:
    settings.MINSHENG = {**settings.MINSHENG, "SMS_BACKEND": "disabled"}
    message = queue(channel="sms", recipient="13812341234")
    services.message_send(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 1)
    assert "短信通道未启用" in message.last_error
    assert "MINSHENG_SMS_BACKEND" in message.last_error
    assert SECRET not in message.body


def test_a_queue_that_is_down_loses_nothing(
    monkeypatch, django_capture_on_commit_callbacks, caplog
):
    # given a task queue that refuses work
    def refuse(message_id, *, run_after=None):
        raise ConnectionError("redis is down")

    monkeypatch.setattr("minsheng.notifications.tasks.enqueue_send", refuse)

    # when a message is queued and its transaction commits, nothing is raised to the caller
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        message = queue()

    # the message waits in the outbox, and the sweeper will find it once it is overdue
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    assert any("notifications_pending" in record.getMessage() for record in caplog.records)
    assert services.messages_overdue() == []
    OutboundMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - services.STALE_AFTER - dt.timedelta(seconds=1)
    )
    assert services.messages_overdue() == [message.pk]


def test_overdue_messages_leave_out_done_and_held_ones() -> None:
    old = timezone.now() - dt.timedelta(hours=1)
    waiting, sent, held = queue(), queue(), queue()
    OutboundMessage.objects.update(next_attempt_at=old)
    OutboundMessage.objects.filter(pk=sent.pk).update(status=MessageStatus.SENT)
    OutboundMessage.objects.filter(pk=held.pk).update(
        locked_until=timezone.now() + dt.timedelta(minutes=1)
    )
    assert services.messages_overdue() == [waiting.pk]


def test_resend_queues_failed_messages_again_with_fresh_attempts(
    dummy_queue, django_capture_on_commit_callbacks
) -> None:
    # given a failed message and a sent one
    failed, sent = queue(), queue()
    OutboundMessage.objects.filter(pk=failed.pk).update(
        status=MessageStatus.FAILED, attempts=5, last_error="SMTPServerDisconnected"
    )
    OutboundMessage.objects.filter(pk=sent.pk).update(status=MessageStatus.SENT)

    # when both are resent
    with django_capture_on_commit_callbacks(execute=True):
        count = services.messages_resend(message_ids=[failed.pk, sent.pk])

    # then only the failed one is queued again, its last error kept until the next outcome
    assert count == 1
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (MessageStatus.QUEUED, 0)
    assert failed.last_error == "SMTPServerDisconnected"
    assert [r.args for r in dummy_queue.results] == [[failed.pk]]
    sent.refresh_from_db()
    assert sent.status == MessageStatus.SENT

    # and the next attempt sends it
    services.message_send(message_id=failed.pk)
    failed.refresh_from_db()
    assert (failed.status, failed.last_error) == (MessageStatus.SENT, "")


def test_redacted_masks_every_value_longest_first() -> None:
    text = "查询码 AB12CD34，备用 AB12，空值不动。"
    assert (
        services.redacted(text, ["AB12", "AB12CD34", ""])
        == "查询码 ********，备用 ****，空值不动。"
    )
    assert services.redacted(text, []) == text
