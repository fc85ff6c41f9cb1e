"""URLs of the pages: the citizen portal under /portal/; the workbenches will follow."""

from django.urls import path

app_name = "web"

urlpatterns: list[object] = []
