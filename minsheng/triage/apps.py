from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    name = "minsheng.triage"
    label = "triage"
    verbose_name = _("智能分拣")

    def ready(self) -> None:
        from minsheng.triage import listeners  # noqa: F401  (connects signal receivers)
