"""Messages to citizens about their clues: the receipt today (the answer later).

Each reaches the complainant's own contact as they gave it, never an address typed for the
message alone, so the portal's per-phone limit also bounds the messages to a phone.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _

from minsheng.clues.models import Clue
from minsheng.clues.services.codes import format_tracking_code
from minsheng.notifications.models import MessageChannel, MessageKind, OutboundMessage
from minsheng.notifications.services import MessageInvalid, message_queue
from minsheng.privacy.validators import MOBILE_RE, normalize_phone


class NoContact(MessageInvalid):
    """The clue's citizen gave no contact this channel can reach (anonymous, no mobile…)."""


def citizen_recipient(*, clue: Clue, channel: str) -> str:
    """The complainant's mobile number (SMS) or e-mail address, or "" when there is none."""
    if clue.is_anonymous:
        return ""
    try:
        complainant = clue.complainant
    except ObjectDoesNotExist:
        return ""
    if channel == MessageChannel.SMS:
        phone = normalize_phone(complainant.phone)
        return phone if MOBILE_RE.match(phone) else ""
    if channel == MessageChannel.EMAIL:
        return complainant.email.strip()
    return ""


def receipt_queue(
    *, clue: Clue, query_secret: str, channel: str, track_url: str
) -> OutboundMessage:
    """Queue the tracking code and query secret of a just-received clue to its citizen.

    Preconditions: inside the transaction that received the clue (a rolled-back clue sends
    nothing); `track_url` is the absolute address of the tracking page. The secret is masked
    in the stored copy once the message is done. Raises NoContact when the citizen gave no
    contact for `channel`.
    """
    recipient = citizen_recipient(clue=clue, channel=channel)
    if not recipient:
        raise NoContact(f"clue {clue.pk} has no contact for {channel}")
    values = {
        "code": format_tracking_code(clue.tracking_code),
        "secret": query_secret,
        "url": track_url,
    }
    body = (
        _(
            "您的反映已受理。受理编号：%(code)s，查询码：%(secret)s。"
            "请妥善保存，勿告知他人；凭此查询办理进度：%(url)s"
        )
        % values
    )
    if channel == MessageChannel.EMAIL:
        body += "\n\n" + _("本邮件由系统自动发送，请勿回复。")
    return message_queue(
        channel=channel,
        recipient=recipient,
        subject=_("您的反映已受理（受理编号 %(code)s）") % values,
        body=body,
        kind=MessageKind.RECEIPT,
        clue=clue,
        sensitive=[query_secret],
    )
