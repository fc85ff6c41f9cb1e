"""Channel backends: SMS to a file or nowhere, a deployment's own class, e-mail through Django."""

from __future__ import annotations

import json
import stat

import pytest
from django.core import mail

from minsheng.notifications import backends
from minsheng.notifications.backends import Outgoing, SendError

SMS = Outgoing(message_id=7, channel="sms", recipient="13812341234", subject="", body="受理编号：1")


def test_the_file_backend_writes_each_sms_as_a_json_line(sms_files) -> None:
    backend = backends.sms_backend()
    assert isinstance(backend, backends.FileSmsBackend)
    assert backend.available

    backend.send(SMS)
    backend.send(
        Outgoing(message_id=8, channel="sms", recipient="13900000000", subject="", body="二")
    )

    [path] = sms_files.glob("*.jsonl")
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [(line["id"], line["to"], line["text"]) for line in lines] == [
        (7, "13812341234", "受理编号：1"),
        (8, "13900000000", "二"),
    ]
    assert "受理编号" in path.read_text(encoding="utf-8")  # Chinese kept readable
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # the text is in clear: owner only


def test_the_disabled_backend_refuses_every_sms_for_good(settings) -> None:
    settings.MINSHENG = {**settings.MINSHENG, "SMS_BACKEND": "disabled"}
    backend = backends.sms_backend()
    assert not backend.available
    assert not backends.channel_available("sms")
    with pytest.raises(SendError) as refused:
        backend.send(SMS)
    assert refused.value.permanent


def test_a_deployment_names_its_gateway_class_by_dotted_path(settings) -> None:
    settings.MINSHENG = {
        **settings.MINSHENG,
        "SMS_BACKEND": "minsheng.notifications.tests.conftest.BrokenSmsBackend",
    }
    backend = backends.channel_backend("sms")
    assert type(backend).__name__ == "BrokenSmsBackend"
    assert backends.channel_available("sms")


def test_a_gateway_path_that_does_not_import_is_a_permanent_failure(settings) -> None:
    settings.MINSHENG = {**settings.MINSHENG, "SMS_BACKEND": "gateway.nowhere.Sms"}
    with pytest.raises(SendError) as refused:
        backends.sms_backend()
    assert refused.value.permanent
    assert "gateway.nowhere.Sms" in str(refused.value)
    assert not backends.channel_available("sms")


def test_e_mail_goes_through_django_s_mail_backend() -> None:
    backend = backends.channel_backend("email")
    assert backend.available
    backend.send(
        Outgoing(
            message_id=3, channel="email", recipient="a@example.com", subject="主题", body="正文"
        )
    )
    [sent] = mail.outbox
    assert (sent.to, sent.subject, sent.body) == (["a@example.com"], "主题", "正文")
    assert sent.extra_headers["X-Minsheng-Message"] == "3"


def test_e_mail_switched_off_is_not_offered_and_refuses_for_good(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    assert not backends.channel_available("email")
    with pytest.raises(SendError) as refused:
        backends.channel_backend("email").send(SMS)
    assert refused.value.permanent


def test_an_unknown_channel_has_no_backend() -> None:
    with pytest.raises(SendError):
        backends.channel_backend("pigeon")
    assert not backends.channel_available("pigeon")
