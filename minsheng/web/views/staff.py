"""Staff sign-in and sign-out (Django's auth views), the bench each role lands on, and the
files of a clue, served only to staff who may see that clue."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from minsheng.accounts.roles import Role
from minsheng.clues.models import Attachment
from minsheng.web.views.common import (
    DEPARTMENT_BENCH_ROLES,
    INTAKE_ROLES,
    STAFF_ROLES,
    SUPERVISOR_ROLES,
    accessible_clue,
    role_required,
)


def bench_url(role: str | None) -> str:
    """Where a role starts its day: supervisors on their console, routers on the intake
    queue, departments on their assignments."""
    if role in SUPERVISOR_ROLES and role != Role.ADMIN:
        return reverse("web:supervisor_home")
    if role in INTAKE_ROLES:
        return reverse("web:intake_queue")
    if role in DEPARTMENT_BENCH_ROLES:
        return reverse("web:department_queue")
    return reverse("home")


class StaffLoginView(auth_views.LoginView):
    template_name = "web/staff/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return bench_url(getattr(self.request.user, "role", None))


class StaffLogoutView(auth_views.LogoutView):
    next_page = "web:staff_login"


@require_GET
@role_required(STAFF_ROLES)
def work_home(request: HttpRequest) -> HttpResponse:
    return redirect(bench_url(getattr(request.user, "role", None)))


@never_cache
@require_GET
@role_required(STAFF_ROLES)
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A clue's file for a user who may see the clue; the type is the sniffed one stored at
    upload, and nothing but images is shown inline."""
    file = get_object_or_404(Attachment, pk=pk)
    accessible_clue(request, file.clue_id)
    try:
        handle = file.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    inline = file.content_type.startswith("image/")
    return FileResponse(
        handle,
        content_type=file.content_type,
        as_attachment=not inline,
        filename=file.original_name,
    )
