"""The supervisor console (督查). Placeholder until the console lands."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from minsheng.web.views.common import SUPERVISOR_ROLES, role_required


@role_required(SUPERVISOR_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


urlpatterns = [path("work/supervisor/", home, name="supervisor_home")]
