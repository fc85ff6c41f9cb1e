"""Spam protection without third parties: a honeypot field and a signed rendering time."""

from __future__ import annotations

import time

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

FORM_TOKEN_SALT = "minsheng.web.portal.form-rendered-at"  # noqa: S105 (a salt)
HONEYPOT_FIELD = "website"


class SpamSuspected(Exception):
    """The submission looks automated or stale; the message says what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def form_token_issue(*, now: float | None = None) -> str:
    """A signed token of the moment the form was rendered."""
    return signing.dumps(int(time.time() if now is None else now), salt=FORM_TOKEN_SALT)


def form_token_check(token: str, *, now: float | None = None) -> None:
    """Raise SpamSuspected when the token is missing, forged, too fresh or too old."""
    now = time.time() if now is None else now
    try:
        rendered_at = int(signing.loads(token, salt=FORM_TOKEN_SALT))
    except (signing.BadSignature, TypeError, ValueError) as exc:
        raise SpamSuspected(_("表单已失效，请检查内容后重新提交。")) from exc
    age = now - rendered_at
    if age < settings.MINSHENG["PORTAL_FORM_MIN_SECONDS"]:
        raise SpamSuspected(_("提交过快，请确认填写的内容后再提交一次。"))
    if age > settings.MINSHENG["PORTAL_FORM_MAX_AGE_SECONDS"]:
        raise SpamSuspected(_("页面打开时间过长，表单已过期，请确认内容后再提交一次。"))


def honeypot_check(value: str) -> None:
    """People never see the honeypot field; anything typed in it comes from a robot."""
    if value.strip():
        raise SpamSuspected(_("提交未被接受。"))
