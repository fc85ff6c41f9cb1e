"""The receipt message: code, secret and tracking address, to the citizen's own contact."""

from __future__ import annotations

import pytest

from minsheng.clues.services.codes import format_tracking_code
from minsheng.clues.services.intake import ComplainantData
from minsheng.notifications.citizen import NoContact, citizen_recipient, receipt_queue
from minsheng.notifications.models import MessageStatus
from minsheng.notifications.tests.conftest import SECRET, receive

pytestmark = pytest.mark.django_db

TRACK = "https://minsheng.example.cn/portal/track/?code=1"


def test_the_sms_receipt_carries_code_secret_and_address(world) -> None:
    clue = receive(world, complainant=ComplainantData(name="张三", phone="+86 138-1234-1234"))

    message = receipt_queue(clue=clue, query_secret=SECRET, channel="sms", track_url=TRACK)

    assert message.recipient == "13812341234"
    assert format_tracking_code(clue.tracking_code) in message.body
    assert SECRET in message.body
    assert TRACK in message.body
    assert "请妥善保存" in message.body
    assert (message.kind, message.clue, message.status) == ("receipt", clue, MessageStatus.QUEUED)
    assert message.sensitive == [SECRET]


def test_the_e_mail_receipt_has_a_subject_and_goes_to_the_given_address(world) -> None:
    clue = receive(world, complainant=ComplainantData(name="张三", email="zhang@example.com"))
    message = receipt_queue(clue=clue, query_secret=SECRET, channel="email", track_url=TRACK)
    assert message.recipient == "zhang@example.com"
    assert format_tracking_code(clue.tracking_code) in message.subject
    assert SECRET not in message.subject
    assert "请勿回复" in message.body


@pytest.mark.parametrize(
    ("complainant", "channel"),
    [
        (None, "sms"),
        (ComplainantData(name="张三", phone="0731-88886666"), "sms"),  # a landline gets no SMS
        (ComplainantData(name="张三", phone="13812341234"), "email"),
        (ComplainantData(name="张三", email="zhang@example.com"), "sms"),
    ],
)
def test_without_a_contact_for_the_channel_nothing_is_queued(world, complainant, channel) -> None:
    clue = receive(world, complainant=complainant, is_anonymous=complainant is None)
    assert citizen_recipient(clue=clue, channel=channel) == ""
    with pytest.raises(NoContact):
        receipt_queue(clue=clue, query_secret=SECRET, channel=channel, track_url=TRACK)
    assert not clue.outbound_messages.exists()
