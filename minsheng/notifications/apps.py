from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "minsheng.notifications"
    label = "notifications"
    verbose_name = _("消息通知")

    def ready(self) -> None:
        from minsheng.notifications import checks  # noqa: F401  (registers the system check)
