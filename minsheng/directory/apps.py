from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "minsheng.directory"
    label = "directory"
    verbose_name = _("基础数据")

    def ready(self) -> None:
        from minsheng.directory import checks  # noqa: F401  (registers system checks)
