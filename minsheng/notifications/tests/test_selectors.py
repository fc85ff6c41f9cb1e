"""What the citizen is told about a message: the channel and a masked address."""

from __future__ import annotations

import pytest

from minsheng.clues.services.intake import ComplainantData
from minsheng.notifications.citizen import receipt_queue
from minsheng.notifications.models import MessageStatus
from minsheng.notifications.selectors import clue_message_notice
from minsheng.notifications.tests.conftest import SECRET, receive

pytestmark = pytest.mark.django_db


def test_the_notice_masks_the_phone_and_gives_the_status(world) -> None:
    clue = receive(world)
    assert clue_message_notice(clue_id=clue.pk, kind="receipt") is None
    receipt_queue(clue=clue, query_secret=SECRET, channel="sms", track_url="http://x/")

    notice = clue_message_notice(clue_id=clue.pk, kind="receipt")

    assert notice is not None
    assert (notice.channel, notice.channel_label) == ("sms", "短信")
    assert notice.masked_recipient == "138****1234"
    assert (notice.status, notice.status_label) == (MessageStatus.QUEUED, "待发送")


def test_the_notice_masks_the_e_mail_and_follows_the_latest(world) -> None:
    clue = receive(
        world, complainant=ComplainantData(name="张三", phone="13812341234", email="zhang@a.cn")
    )
    receipt_queue(clue=clue, query_secret=SECRET, channel="sms", track_url="http://x/")
    receipt_queue(clue=clue, query_secret=SECRET, channel="email", track_url="http://x/")
    notice = clue_message_notice(clue_id=clue.pk, kind="receipt")
    assert notice is not None
    assert (notice.channel, notice.masked_recipient) == ("email", "z***@a.cn")
