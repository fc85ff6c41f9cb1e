"""URL configuration: the landing page, the pages, language switching and the admin."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

admin.site.site_header = "民声 Minsheng"
admin.site.site_title = "民声"
admin.site.index_title = "互联网+督查 管理后台"

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("", include("minsheng.web.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
