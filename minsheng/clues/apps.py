from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CluesConfig(AppConfig):
    name = "minsheng.clues"
    label = "clues"
    verbose_name = _("问题线索")
