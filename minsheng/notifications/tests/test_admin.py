"""The outbox in the admin: read-only, secrets never shown, failed messages resent."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minsheng.accounts.tests.factories import UserFactory
from minsheng.notifications import services
from minsheng.notifications.models import MessageStatus, OutboundMessage
from minsheng.notifications.tests.conftest import SECRET

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:notifications_outboundmessage_changelist")


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory.create(superuser=True, username="root"))
    return client


def _message(**overrides) -> OutboundMessage:
    message = services.message_queue(
        channel="sms",
        recipient="13812341234",
        body=f"受理编号：2611 2812 3456 7897，查询码：{SECRET}",
        kind="receipt",
        sensitive=[SECRET],
    )
    if overrides:
        OutboundMessage.objects.filter(pk=message.pk).update(**overrides)
        message.refresh_from_db()
    return message


def test_the_list_filters_by_status_and_channel(admin_client) -> None:
    _message(status=MessageStatus.FAILED, last_error="ConnectionError: gateway timed out")
    _message(status=MessageStatus.SENT)
    response = admin_client.get(CHANGELIST, {"status__exact": "failed", "channel__exact": "sms"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "外发消息" in html
    assert "gateway timed out" in html
    assert response.context["cl"].result_count == 1


def test_a_waiting_message_is_shown_without_its_secret(admin_client) -> None:
    message = _message()
    url = reverse("admin:notifications_outboundmessage_change", args=[message.pk])
    html = admin_client.get(url).content.decode()
    assert "查询码：********" in html
    assert SECRET not in html
    assert 'name="_save"' not in html  # read-only


def test_messages_cannot_be_added_edited_or_deleted(admin_client) -> None:
    message = _message()
    assert admin_client.get(reverse("admin:notifications_outboundmessage_add")).status_code == 403
    url = reverse("admin:notifications_outboundmessage_change", args=[message.pk])
    admin_client.post(url, {"recipient": "13900000000"})
    message.refresh_from_db()
    assert message.recipient == "13812341234"
    delete = reverse("admin:notifications_outboundmessage_delete", args=[message.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert OutboundMessage.objects.filter(pk=message.pk).exists()


def test_the_resend_action_queues_failed_messages_again(
    admin_client, django_capture_on_commit_callbacks
) -> None:
    # given a failed message whose secret was masked, and a sent one
    failed = _message(status=MessageStatus.FAILED, attempts=5, last_error="disabled")
    services._redact(failed, failed.created_at)
    failed.save()
    sent = _message(status=MessageStatus.SENT)

    # when an administrator resends both
    with django_capture_on_commit_callbacks(execute=False):
        response = admin_client.post(
            CHANGELIST,
            {"action": "resend", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )

    # then the failed one waits again, and the page says what happened
    html = response.content.decode()
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (MessageStatus.QUEUED, 0)
    assert "已重新排队发送 1 条消息" in html
    assert "1 条消息不是“发送失败”状态" in html
    assert "以 * 代替" in html
    sent.refresh_from_db()
    assert sent.status == MessageStatus.SENT


def test_only_those_who_may_change_messages_may_resend(client) -> None:
    viewer = UserFactory.create(username="viewer", is_staff=True)
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_outboundmessage"))
    client.force_login(viewer)
    failed = _message(status=MessageStatus.FAILED)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert 'value="resend"' not in response.content.decode()
    client.post(CHANGELIST, {"action": "resend", "_selected_action": [failed.pk]})
    failed.refresh_from_db()
    assert failed.status == MessageStatus.FAILED
