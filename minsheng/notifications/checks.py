"""System checks: a misnamed SMS backend is reported at start-up, not at the first send."""

from __future__ import annotations

from typing import Any

from django.core import checks

from minsheng.notifications.backends import sms_backend_class, sms_backend_name


@checks.register()
def check_sms_backend(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    name = sms_backend_name()
    try:
        backend_class = sms_backend_class(name)
    except ImportError as error:
        return [
            checks.Error(
                f"MINSHENG['SMS_BACKEND'] = {name!r} cannot be imported: {error}",
                hint="Use 'file', 'disabled' or the dotted path of a class (docs/operations.md).",
                id="notifications.E001",
            )
        ]
    if not callable(getattr(backend_class, "send", None)):
        return [
            checks.Error(
                f"MINSHENG['SMS_BACKEND'] = {name!r} has no send(outgoing) method.",
                id="notifications.E001",
            )
        ]
    return []
