from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "minsheng.web"
    label = "web"
    verbose_name = "网页门户"
