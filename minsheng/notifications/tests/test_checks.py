"""The system check names an SMS backend that cannot work."""

from __future__ import annotations

from minsheng.notifications.checks import check_sms_backend


def test_the_shipped_backends_pass(settings) -> None:
    for name in ("file", "disabled", "minsheng.notifications.backends.FileSmsBackend"):
        settings.MINSHENG = {**settings.MINSHENG, "SMS_BACKEND": name}
        assert check_sms_backend() == []


def test_a_path_that_does_not_import_is_an_error(settings) -> None:
    settings.MINSHENG = {**settings.MINSHENG, "SMS_BACKEND": "gateway.nowhere.Sms"}
    [error] = check_sms_backend()
    assert error.id == "notifications.E001"
    assert "gateway.nowhere.Sms" in error.msg


def test_a_class_without_send_is_an_error(settings) -> None:
    settings.MINSHENG = {**settings.MINSHENG, "SMS_BACKEND": "decimal.Decimal"}
    [error] = check_sms_backend()
    assert error.id == "notifications.E001"
