"""What every staff view needs: the role gate, the signed-in user and service errors shown
beside the field that caused them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from minsheng.accounts.models import User
from minsheng.accounts.roles import DEPARTMENT_ROLES, Role
from minsheng.clues.errors import ClueError, ClueNotFound
from minsheng.clues.models import Clue
from minsheng.clues.selectors import access_clue

View = Callable[..., HttpResponseBase]

# Who works at which bench. Supervisors and admins may also route clues.
INTAKE_ROLES = frozenset({Role.INTAKE, Role.SUPERVISOR, Role.ADMIN})
DEPARTMENT_BENCH_ROLES = DEPARTMENT_ROLES
SUPERVISOR_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})
STAFF_ROLES = frozenset(set(Role) - {Role.CITIZEN, Role.SYSTEM})


def role_required(roles: Iterable[Role]) -> Callable[[View], View]:
    """Signed-in users with one of `roles`; others get 403, anonymous users the login."""
    allowed = frozenset(roles)

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if getattr(request.user, "role", None) not in allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def current_user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def accessible_clue(request: HttpRequest, clue_id: int) -> Clue:
    """The clue if this user may see it; otherwise 404, so that a hidden clue and a missing
    one look the same."""
    try:
        return access_clue(current_user(request), clue_id)
    except ClueNotFound as not_found:
        raise Http404(not_found.message) from not_found


def add_service_error(form: forms.Form, error: ClueError) -> None:
    """A service's refusal shown beside its field, or above the form when it names none."""
    form.add_error(error.field if error.field in form.fields else None, error.message)
