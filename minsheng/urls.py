"""URL configuration: a landing page and the admin; the portals and the API add their own."""

from django.contrib import admin
from django.urls import path
from django.views.generic import TemplateView

admin.site.site_header = "民声 Minsheng"
admin.site.site_title = "民声"
admin.site.index_title = "互联网+督查 管理后台"

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("admin/", admin.site.urls),
]
