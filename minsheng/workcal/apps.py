from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkcalConfig(AppConfig):
    name = "minsheng.workcal"
    label = "workcal"
    verbose_name = _("工作日历")

    def ready(self) -> None:
        from minsheng.workcal import checks, signals  # noqa: F401
