"""A citizen's access to their clue, kept in their browser session after they proved it.

Code and secret are checked once (`citizen_access_clue`); the session then remembers the
clue's id with an expiry, so follow-up forms need not carry the secret. Every follow-up
re-checks the grant. The receipt of a new clue (its secret in clear) is kept in the
session for exactly one display.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.utils.translation import gettext as _

from minsheng.clues.errors import ClueNotFound
from minsheng.clues.models import Clue
from minsheng.clues.services.codes import normalize_tracking_code

GRANTS_KEY = "minsheng.portal.grants"
RECEIPT_KEY = "minsheng.portal.receipt"


def access_grant(session: SessionBase, *, clue_id: int, now: float | None = None) -> None:
    """Open the clue to this session for PORTAL_ACCESS_SECONDS (and drop expired grants)."""
    now = time.time() if now is None else now
    grants = {
        key: expiry
        for key, expiry in dict(session.get(GRANTS_KEY, {})).items()
        if float(expiry) > now
    }
    grants[str(clue_id)] = now + settings.MINSHENG["PORTAL_ACCESS_SECONDS"]
    session[GRANTS_KEY] = grants


def access_granted(session: SessionBase, *, clue_id: int, now: float | None = None) -> bool:
    now = time.time() if now is None else now
    expiry = dict(session.get(GRANTS_KEY, {})).get(str(clue_id))
    return expiry is not None and float(expiry) > now


def receipt_keep(session: SessionBase, *, clue_id: int, tracking_code: str, secret: str) -> None:
    session[RECEIPT_KEY] = {"clue_id": clue_id, "tracking_code": tracking_code, "secret": secret}


def receipt_take(session: SessionBase) -> dict[str, object] | None:
    """The receipt, removed from the session: the secret is shown once."""
    receipt = session.pop(RECEIPT_KEY, None)
    return dict(receipt) if isinstance(receipt, dict) else None


def portal_granted_clue(session: SessionBase, *, tracking_code: str) -> Clue:
    """The clue this session proved access to; ClueNotFound when there is no live grant."""
    clue = Clue.objects.filter(tracking_code=normalize_tracking_code(tracking_code)).first()
    if clue is None or not access_granted(session, clue_id=clue.pk):
        raise ClueNotFound(_("请先输入受理编号和查询码。"))
    return clue
