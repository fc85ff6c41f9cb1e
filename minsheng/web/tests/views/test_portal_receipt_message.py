"""把受理编号和查询码发送给我: the optional SMS or e-mail of the receipt, from the submit form."""

from __future__ import annotations

import json
import logging

import pytest
from django.core import mail
from django.urls import reverse

from minsheng.clues.errors import ClueValidationError
from minsheng.clues.models import Clue
from minsheng.clues.services.codes import check_query_secret, format_tracking_code
from minsheng.notifications.backends import SendError
from minsheng.notifications.models import MessageStatus, OutboundMessage
from minsheng.web.tests.conftest import submission

SUBMIT = reverse("web:portal_submit")
DONE = reverse("web:portal_submit_done")
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms_on(settings, tmp_path):
    """SMS through the file backend, in this test's data directory."""
    settings.DATA_DIR = tmp_path
    settings.MINSHENG = {**settings.MINSHENG, "SMS_BACKEND": "file"}
    return tmp_path / "sms"


@pytest.fixture
def queue_records(settings):
    """Tasks are recorded, not run: the message stays queued."""
    from django_tasks import default_task_backend

    settings.TASKS = DUMMY_TASKS
    default_task_backend.clear()  # type: ignore[attr-defined]
    yield default_task_backend
    default_task_backend.clear()  # type: ignore[attr-defined]


@pytest.fixture
def immediate_tasks(settings, monkeypatch):
    """Tasks run in the request (TASKS_BACKEND=immediate). Triage of the new clue is left
    out: its engine keeps state between tests, and these tests are about the message."""
    settings.TASKS = IMMEDIATE_TASKS
    monkeypatch.setattr("minsheng.triage.tasks.enqueue_triage", lambda *args, **kwargs: None)


def _secret_from(html: str) -> str:
    marker = 'data-testid="query-secret">'
    start = html.index(marker) + len(marker)
    return html[start : html.index("<", start)].strip()


# ----- The form --------------------------------------------------------------------------


def test_the_option_offers_the_channels_that_can_send(client, world, sms_on) -> None:
    html = client.get(SUBMIT).content.decode()
    assert "把受理编号和查询码发送给我" in html
    assert 'name="send_receipt_by" value="sms"' in html
    assert 'name="send_receipt_by" value="email"' in html
    assert 'name="send_receipt_by" value="" id="id_send_receipt_by_0" checked' in html
    assert "匿名反映不留联系方式，无法发送" in html  # explained beside the option


def test_without_an_sms_gateway_only_e_mail_is_offered(client, world, settings) -> None:
    settings.MINSHENG = {**settings.MINSHENG, "SMS_BACKEND": "disabled"}
    html = client.get(SUBMIT).content.decode()
    assert 'value="sms"' not in html.split('name="send_receipt_by"', 1)[1].split("</fieldset>")[0]
    assert 'name="send_receipt_by" value="email"' in html
    # and SMS asked for anyway is refused beside the option
    response = client.post(SUBMIT, submission(world, send_receipt_by="sms"))
    assert response.status_code == 400
    assert 'id="id_send_receipt_by_error"' in response.content.decode()
    assert not Clue.objects.exists()


def test_with_no_channel_at_all_the_option_is_not_shown(client, world, settings) -> None:
    settings.MINSHENG = {**settings.MINSHENG, "SMS_BACKEND": "disabled"}
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    html = client.get(SUBMIT).content.decode()
    assert "send_receipt_by" not in html
    assert "受理回执" not in html
    assert client.post(SUBMIT, submission(world)).status_code == 302
    assert Clue.objects.exists()
    assert not OutboundMessage.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"identity": "anonymous", "send_receipt_by": "sms"}, "匿名反映不留联系方式，无法发送"),
        (
            {
                "send_receipt_by": "sms",
                "phone": "",
                "contact_preference": "email",
                "email": "zhang@example.com",
            },
            "请在上面填写手机号码",
        ),
        ({"send_receipt_by": "sms", "phone": "0731-88886666"}, "短信只能发送到手机号码"),
        ({"send_receipt_by": "email", "email": ""}, "请在上面填写电子邮箱"),
    ],
    ids=["anonymous", "no-phone", "landline", "no-email"],
)
def test_a_channel_without_its_contact_is_refused_beside_the_option(
    client, world, sms_on, overrides, error
) -> None:
    response = client.post(SUBMIT, submission(world, **overrides))
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_send_receipt_by_error"' in html
    assert error in html
    assert not Clue.objects.exists()
    assert not OutboundMessage.objects.exists()


# ----- Submitting with the option ----------------------------------------------------------


def test_an_sms_with_code_and_secret_is_queued_with_the_clue(
    client, world, sms_on, queue_records, django_capture_on_commit_callbacks
) -> None:
    # when a real-name citizen asks for the receipt by SMS
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SUBMIT, submission(world, send_receipt_by="sms"))
    assert response.status_code == 302

    # then one SMS to the phone given waits in the outbox, with code, secret and address
    clue = Clue.objects.get()
    message = OutboundMessage.objects.get()
    assert (message.channel, message.recipient, message.kind) == ("sms", "13812341234", "receipt")
    assert message.clue == clue
    assert format_tracking_code(clue.tracking_code) in message.body
    assert f"http://testserver/portal/track/?code={clue.tracking_code}" in message.body
    # and its sending was queued after commit
    assert [r.args for r in queue_records.results if r.task.name == "send_message_task"] == [
        [message.pk]
    ]

    # when the receipt page is shown, the secret there is the one in the message
    html = client.get(DONE).content.decode()
    secret = _secret_from(html)
    assert check_query_secret(secret, clue.query_secret_hash)
    assert f"查询码：{secret}" in message.body
    assert message.sensitive == [secret]
    # and the page says where it is being sent, masked
    assert "正在通过短信将受理编号和查询码发送至 138****1234" in html
    assert "13812341234" not in html


def test_the_e_mail_goes_out_through_the_real_task_and_its_copy_loses_the_secret(
    client, world, immediate_tasks, django_capture_on_commit_callbacks
) -> None:
    # given the immediate task backend (the worker runs in the request)
    data = submission(world, send_receipt_by="email", email="zhang@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(SUBMIT, data).status_code == 302

    # then the citizen's mail holds the code and the secret that opens the clue
    clue = Clue.objects.get()
    [sent] = mail.outbox
    assert sent.to == ["zhang@example.com"]
    assert format_tracking_code(clue.tracking_code) in sent.subject
    html = client.get(DONE).content.decode()
    secret = _secret_from(html)
    assert f"查询码：{secret}" in sent.body
    # and the stored copy is sent, with the secret masked
    message = OutboundMessage.objects.get()
    assert message.status == MessageStatus.SENT
    assert secret not in message.body
    assert "查询码：********" in message.body
    assert "已通过电子邮件将受理编号和查询码发送至 z***@example.com" in html


def test_the_file_sms_backend_writes_the_receipt(
    client, world, sms_on, immediate_tasks, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SUBMIT, submission(world, send_receipt_by="sms"))
    [path] = sms_on.glob("*.jsonl")
    line = json.loads(path.read_text(encoding="utf-8"))
    assert line["to"] == "13812341234"
    secret = _secret_from(client.get(DONE).content.decode())
    assert secret in line["text"]


class RefusingGateway:
    """A deployment's SMS gateway that refuses the number for good."""

    available = True

    def send(self, outgoing) -> None:
        raise SendError("号码被网关拒收", permanent=True)


def test_a_send_that_fails_never_breaks_the_submission_and_the_page_says_so(
    client, world, settings, immediate_tasks, django_capture_on_commit_callbacks
) -> None:
    # given a gateway that refuses, and the worker running in the request
    gateway = f"{__name__}.RefusingGateway"
    settings.MINSHENG = {**settings.MINSHENG, "SMS_BACKEND": gateway}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SUBMIT, submission(world, send_receipt_by="sms"))

    # then the clue is received, the message kept as failed with its reason
    assert response.status_code == 302
    assert Clue.objects.count() == 1
    message = OutboundMessage.objects.get()
    assert message.status == MessageStatus.FAILED
    assert "号码被网关拒收" in message.last_error
    # and the receipt page tells the citizen to keep the code and secret themselves
    html = client.get(DONE).content.decode()
    assert "未能通过短信发送至 138****1234" in html
    assert "请务必自行保存" in html
    assert _secret_from(html) not in message.body


def test_no_message_when_not_asked(client, world, sms_on, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(SUBMIT, submission(world)).status_code == 302
    assert not OutboundMessage.objects.exists()
    assert 'data-testid="receipt-message"' not in client.get(DONE).content.decode()


def test_an_anonymous_submission_without_the_option_sends_nothing(client, world, sms_on) -> None:
    data = submission(world, identity="anonymous", email="zhang@example.com")
    assert client.post(SUBMIT, data).status_code == 302
    assert Clue.objects.get().is_anonymous
    assert not OutboundMessage.objects.exists()


def test_a_clue_rolled_back_sends_nothing(
    client, world, sms_on, queue_records, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    # given a failure after the message was queued, inside the clue's transaction
    from minsheng.web.services import portal

    real = portal.receipt_queue

    def queue_then_fail(**kwargs):
        real(**kwargs)
        raise ClueValidationError("late failure", field="title")

    monkeypatch.setattr(portal, "receipt_queue", queue_then_fail)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SUBMIT, submission(world, send_receipt_by="sms"))

    # then neither the clue nor its message exists, and nothing was queued to send
    assert response.status_code == 400
    assert not Clue.objects.exists()
    assert not OutboundMessage.objects.exists()
    assert not [r for r in queue_records.results if r.task.name == "send_message_task"]


def test_a_task_queue_that_is_down_never_loses_the_clue(
    client, world, sms_on, monkeypatch, django_capture_on_commit_callbacks, caplog
) -> None:
    def refuse(message_id, *, run_after=None):
        raise ConnectionError("queue down")

    monkeypatch.setattr("minsheng.notifications.tasks.enqueue_send", refuse)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = client.post(SUBMIT, submission(world, send_receipt_by="sms"))
    assert response.status_code == 302
    assert Clue.objects.count() == 1
    assert OutboundMessage.objects.get().status == MessageStatus.QUEUED  # for the sweeper


# ----- Rate limits -------------------------------------------------------------------------


def test_the_phone_limit_also_bounds_the_sms_to_that_phone(client, world, sms_on, settings):
    settings.MINSHENG = {**settings.MINSHENG, "PORTAL_SUBMIT_PER_PHONE_PER_DAY": 1}
    assert client.post(SUBMIT, submission(world, send_receipt_by="sms")).status_code == 302
    again = client.post(
        SUBMIT,
        submission(world, send_receipt_by="sms", phone="138 1234 1234"),
        REMOTE_ADDR="10.9.9.9",
    )
    assert again.status_code == 429
    assert OutboundMessage.objects.count() == 1


def test_receipts_to_one_e_mail_address_are_limited_too(client, world, settings) -> None:
    settings.MINSHENG = {**settings.MINSHENG, "PORTAL_SUBMIT_PER_PHONE_PER_DAY": 1}
    first = submission(world, send_receipt_by="email", email="zhang@example.com")
    assert client.post(SUBMIT, first).status_code == 302
    # another phone, another address, the same mailbox written differently
    again = submission(
        world, send_receipt_by="email", email="Zhang@Example.com", phone="13900001111"
    )
    response = client.post(SUBMIT, again, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429
    assert 'id="id_send_receipt_by_error"' in response.content.decode()
    assert OutboundMessage.objects.count() == 1
    # without asking for the receipt the citizen may still submit
    without = submission(world, email="Zhang@Example.com", phone="13900001111")
    assert client.post(SUBMIT, without, REMOTE_ADDR="10.9.9.9").status_code == 302
