"""The mail and SMS settings read from the environment: safe defaults either way."""

from __future__ import annotations

from minsheng.tests.test_settings import _setting_with

EMAIL = "settings.EMAIL_BACKEND"
SMS = "settings.MINSHENG['SMS_BACKEND']"


def test_development_writes_mail_and_sms_to_files_under_the_data_dir(tmp_path) -> None:
    env = {"DEBUG": "1", "MINSHENG_DATA_DIR": str(tmp_path), "EMAIL_BACKEND": ""}
    assert _setting_with(EMAIL, **env) == "django.core.mail.backends.filebased.EmailBackend"
    assert _setting_with("settings.EMAIL_FILE_PATH", **env) == str(tmp_path / "mail")
    assert _setting_with(SMS, **env, MINSHENG_SMS_BACKEND="") == "file"


def test_production_uses_smtp_from_the_environment_and_no_sms(tmp_path) -> None:
    env = {
        "DEBUG": "",
        "MINSHENG_DATA_DIR": str(tmp_path),
        "EMAIL_BACKEND": "",
        "EMAIL_HOST": "smtp.example.cn",
        "EMAIL_PORT": "465",
        "EMAIL_USE_SSL": "1",
        "MINSHENG_SMS_BACKEND": "",
    }
    expression = f"({EMAIL}, settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_SSL)"
    assert _setting_with(expression, **env) == (
        "('django.core.mail.backends.smtp.EmailBackend', 'smtp.example.cn', 465, True)"
    )
    assert _setting_with(SMS, **env) == "disabled"


def test_the_backends_are_chosen_by_name_or_path(tmp_path) -> None:
    env = {"MINSHENG_DATA_DIR": str(tmp_path)}
    assert _setting_with(EMAIL, **env, EMAIL_BACKEND="disabled").endswith("dummy.EmailBackend")
    assert _setting_with(SMS, **env, MINSHENG_SMS_BACKEND="acme.sms.Gateway") == "acme.sms.Gateway"
