"""The department workbench (承办). Placeholder until the workbench lands."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from minsheng.web.views.common import DEPARTMENT_BENCH_ROLES, role_required


@role_required(DEPARTMENT_BENCH_ROLES)
def queue(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


urlpatterns = [path("work/department/", queue, name="department_queue")]
