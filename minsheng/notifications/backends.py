"""Channel backends: how a message leaves Minsheng.

A backend is a class with an `available` flag and `send(outgoing)`. `send` returns when the
channel has accepted the message and raises otherwise: `SendError(permanent=True)` for a
refusal that retrying cannot fix (a channel switched off, a number the gateway rejects); any
other exception is retried. Backends never see the database row, only `Outgoing`, so a
deployment's own gateway needs nothing of Minsheng's models.

E-mail goes through Django's mail API (settings EMAIL_*). SMS goes through the class named
by `settings.MINSHENG["SMS_BACKEND"]`: `file` (JSON lines under DATA_DIR/sms/), `disabled`,
or the dotted path of a deployment's gateway class (docs/operations.md).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from minsheng.notifications.models import MessageChannel


class SendError(Exception):
    """The channel did not take the message; `permanent` ones are not retried."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Outgoing:
    """What a backend needs to send one message (its id serves as an idempotency key)."""

    message_id: int
    channel: str
    recipient: str
    subject: str
    body: str


class MessageBackend(Protocol):
    """A channel: `available` says whether messages may be offered on it at all."""

    available: bool

    def send(self, outgoing: Outgoing) -> None: ...


# ----- SMS ----------------------------------------------------------------------------------


class FileSmsBackend:
    """Writes each SMS as one line of JSON to DATA_DIR/sms/<date>.jsonl (owner-only file).

    For development, and for air-gapped installations whose operator forwards the file to a
    gateway by other means. The lines hold the text in clear: protect the directory.
    """

    available = True

    def send(self, outgoing: Outgoing) -> None:
        now = timezone.localtime()
        directory = Path(settings.DATA_DIR) / "sms"
        directory.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {
                "id": outgoing.message_id,
                "to": outgoing.recipient,
                "text": outgoing.body,
                "at": now.isoformat(timespec="seconds"),
            },
            ensure_ascii=False,
        )
        path = directory / f"{now.date().isoformat()}.jsonl"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(descriptor, "a", encoding="utf-8") as file:
            file.write(line + "\n")


class DisabledSmsBackend:
    """No SMS gateway is configured: the portal does not offer SMS, and any SMS fails at once."""

    available = False

    def send(self, outgoing: Outgoing) -> None:
        raise SendError(
            _("短信通道未启用：请设置 MINSHENG_SMS_BACKEND 接入短信网关（见运维文档）。"),
            permanent=True,
        )


SMS_BACKEND_ALIASES = {
    "file": "minsheng.notifications.backends.FileSmsBackend",
    "disabled": "minsheng.notifications.backends.DisabledSmsBackend",
}


def sms_backend_name() -> str:
    """The configured SMS backend: an alias (`file`, `disabled`) or a dotted class path."""
    return str(settings.MINSHENG.get("SMS_BACKEND") or "disabled")


def sms_backend_class(name: str) -> Any:
    """The class an SMS backend name stands for; ImportError when it does not import."""
    return import_string(SMS_BACKEND_ALIASES.get(name, name))


def sms_backend() -> MessageBackend:
    """An instance of the configured SMS backend.

    A path that does not import is a configuration error, not a passing failure: SendError
    (permanent), and the `notifications.E001` system check names it at start-up.
    """
    name = sms_backend_name()
    try:
        backend_class = sms_backend_class(name)
    except ImportError as error:
        raise SendError(
            _("短信通道配置错误（%(name)s）：%(error)s") % {"name": name, "error": error},
            permanent=True,
        ) from error
    backend: MessageBackend = backend_class()
    return backend


# ----- E-mail -------------------------------------------------------------------------------

DISABLED_EMAIL_BACKENDS = frozenset({"django.core.mail.backends.dummy.EmailBackend"})


class DjangoEmailBackend:
    """Plain-text e-mail through Django's configured mail backend (SMTP, file, locmem…)."""

    def __init__(self) -> None:
        self.available = settings.EMAIL_BACKEND not in DISABLED_EMAIL_BACKENDS

    def send(self, outgoing: Outgoing) -> None:
        if not self.available:
            raise SendError(
                _("电子邮件未启用：请配置 EMAIL_BACKEND（见运维文档）。"), permanent=True
            )
        email = EmailMessage(
            subject=outgoing.subject,
            body=outgoing.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[outgoing.recipient],
            headers={"X-Minsheng-Message": str(outgoing.message_id)},
        )
        if email.send(fail_silently=False) != 1:
            raise SendError(_("邮件服务器没有接收这封邮件。"))


# ----- The channels -------------------------------------------------------------------------

# One entry per channel; a new channel (webhooks) adds its own.
CHANNEL_BACKENDS: dict[str, Callable[[], MessageBackend]] = {
    MessageChannel.SMS: sms_backend,
    MessageChannel.EMAIL: DjangoEmailBackend,
}


def channel_backend(channel: str) -> MessageBackend:
    """The backend that sends messages of `channel`; SendError (permanent) if there is none."""
    factory = CHANNEL_BACKENDS.get(channel)
    if factory is None:
        raise SendError(_("未知的发送渠道：%(channel)s") % {"channel": channel}, permanent=True)
    return factory()


def channel_available(channel: str) -> bool:
    """Whether messages may be offered on `channel` (a misconfigured one is not)."""
    try:
        return channel_backend(channel).available
    except SendError:
        return False
