"""The citizen portal's writes: submitting a clue with its files, proving access to it.

Each function checks the portal's rate limits, then calls the clue services, which keep
every domain rule (validation, transitions, events).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.accounts.actors import Actor
from minsheng.clues.choices import Channel
from minsheng.clues.errors import ClueError, ClueNotFound, ClueValidationError
from minsheng.clues.models import Clue
from minsheng.clues.selectors import citizen_access_clue
from minsheng.clues.services.attachments import attachment_add
from minsheng.clues.services.intake import ComplainantData, ReceivedClue, clue_receive
from minsheng.directory.models import Category, Region
from minsheng.notifications.citizen import NoContact, receipt_queue
from minsheng.notifications.models import MessageChannel
from minsheng.privacy.validators import normalize_phone
from minsheng.web.services import throttle
from minsheng.web.services.uploads import uploads_prepare


class Throttled(ClueError):
    """Too many submissions or look-ups from this address or phone; try later."""

    code = "throttled"


@dataclass(frozen=True)
class PortalSubmission:
    """What the citizen typed in the submission form, already parsed."""

    title: str
    content: str
    category: Category | None
    region: Region | None
    place_text: str
    is_anonymous: bool
    complainant: ComplainantData | None


@dataclass(frozen=True)
class ReceiptRequest:
    """The citizen asked for the tracking code and query secret by SMS or e-mail."""

    channel: str
    # The tracking page's absolute address (built from the request); the code is added.
    track_url: str


RECEIPT_FIELD = "send_receipt_by"


def receipt_per_email() -> throttle.Limit:
    """Receipts to one e-mail address a day: as many as submissions per phone. (An SMS goes
    to the submission's own phone, which `submit_per_phone` already limits.)"""
    return throttle.Limit(
        "receipt-email", settings.MINSHENG["PORTAL_SUBMIT_PER_PHONE_PER_DAY"], 86400
    )


def portal_clue_submit(
    *,
    submission: PortalSubmission,
    files: Iterable[tuple[IO[bytes], str]],
    keep_location: bool,
    client_ip: str,
    receipt: ReceiptRequest | None = None,
) -> ReceivedClue:
    """Receive a citizen's clue from the web with its attachments, all or nothing, and queue
    its receipt message when asked (in the same transaction: no clue, no message).

    Preconditions: the form passed its spam checks. Raises Throttled when the address, the
    phone or the receipt's e-mail address has been used too often, ClueValidationError (with
    `field`) for wrong input, including a receipt asked for without the contact to send it
    to. The citizen acts as the anonymous "群众": a real name goes to the protected identity
    record only, never into the event log that department staff read.
    """
    phone = email = ""
    if submission.complainant is not None and not submission.is_anonymous:
        phone = normalize_phone(submission.complainant.phone)
        if receipt is not None and receipt.channel == MessageChannel.EMAIL:
            email = submission.complainant.email.strip().lower()
    if throttle.throttle_exceeded(limit=throttle.submit_per_ip(), key=client_ip):
        raise Throttled(_("提交过于频繁，请一小时后再试，或拨打热线反映。"))
    if throttle.throttle_exceeded(limit=throttle.submit_per_phone(), key=phone):
        raise Throttled(_("该手机号码今日提交次数已达上限，请明天再试。"), field="phone")
    if throttle.throttle_exceeded(limit=receipt_per_email(), key=email):
        raise Throttled(
            _("该邮箱今日接收回执的次数已达上限，请选择不发送并自行保存回执。"),
            field=RECEIPT_FIELD,
        )
    uploads = uploads_prepare(files=files, keep_location=keep_location)
    actor = Actor.citizen()
    with transaction.atomic():
        received = clue_receive(
            actor=actor,
            channel=Channel.WEB,
            title=submission.title,
            content=submission.content,
            category=submission.category,
            region=submission.region,
            place_text=submission.place_text,
            is_anonymous=submission.is_anonymous,
            complainant=None if submission.is_anonymous else submission.complainant,
        )
        for upload in uploads:
            attachment_add(
                clue_id=received.clue.pk,
                actor=actor,
                file=io.BytesIO(upload.data),
                original_name=upload.name,
            )
        if receipt is not None:
            _queue_receipt(received, receipt)
    throttle.throttle_hit(limit=throttle.submit_per_ip(), key=client_ip)
    throttle.throttle_hit(limit=throttle.submit_per_phone(), key=phone)
    throttle.throttle_hit(limit=receipt_per_email(), key=email)
    return received


def _queue_receipt(received: ReceivedClue, receipt: ReceiptRequest) -> None:
    """Queue the receipt to the citizen's own contact; no contact rolls the clue back."""
    clue = received.clue
    try:
        receipt_queue(
            clue=clue,
            query_secret=received.query_secret,
            channel=receipt.channel,
            track_url=f"{receipt.track_url}?{urlencode({'code': clue.tracking_code})}",
        )
    except NoContact as error:
        raise ClueValidationError(
            _(
                "没有可用于发送的联系方式：短信需填写手机号码，电子邮件需填写邮箱；匿名反映无法发送。"
            ),
            field=RECEIPT_FIELD,
        ) from error


def portal_clue_lookup(*, tracking_code: str, query_secret: str, client_ip: str) -> Clue:
    """The clue for a tracking code and its secret; failed tries count against the address.

    Raises Throttled after too many failures, ClueNotFound (one message for a wrong code
    and a wrong secret) otherwise.
    """
    limit = throttle.track_per_ip()
    if throttle.throttle_exceeded(limit=limit, key=client_ip):
        raise Throttled(_("查询失败次数过多，请一小时后再试。"))
    try:
        return citizen_access_clue(tracking_code, query_secret)
    except ClueNotFound:
        throttle.throttle_hit(limit=limit, key=client_ip)
        raise
