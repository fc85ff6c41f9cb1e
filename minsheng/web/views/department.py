"""The department workbench (承办): the department's assignments by deadline, one clue as
the department works on it, and one endpoint per action the department may take.

Views parse the request, call a selector or a clue service and render; the services check
the transition table, the role and the department's assignment again on every write, and a
refusal is shown on the page (400) instead of a crash.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from minsheng.accounts.actors import Actor
from minsheng.accounts.models import User
from minsheng.clues.choices import AssignmentRole
from minsheng.clues.errors import ClueError
from minsheng.clues.models import Clue
from minsheng.clues.services import handling, identity
from minsheng.web.forms import department as forms
from minsheng.web.selectors import department as selectors
from minsheng.web.selectors import staff
from minsheng.web.views.common import (
    DEPARTMENT_BENCH_ROLES,
    View,
    accessible_clue,
    add_service_error,
    current_user,
    role_required,
)

department_required = role_required(DEPARTMENT_BENCH_ROLES)


# ----- The queue -----------------------------------------------------------------------


@never_cache
@require_GET
@department_required
def queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    role = request.GET.get("role", "")
    user = current_user(request)
    assignments = selectors.department_queue(user, status=status, role=role)
    page = Paginator(assignments, selectors.DEPARTMENT_PAGE_SIZE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    counts = selectors.queue_counts(user)
    context = {
        "page": page,
        "rows": selectors.queue_rows(page.object_list),
        "status": status,
        "role": role,
        "boards": [(group, counts[group.value]) for group in selectors.STATUS_FILTERS],
        "status_choices": [
            *((group.value, group.label) for group in selectors.STATUS_FILTERS),
            (selectors.STATUS_FILTER_ALL, _("全部（含已结束）")),
        ],
        "role_choices": AssignmentRole.choices,
        "filter_query": filters.urlencode(),
        "department": user.department,
    }
    return render(request, "web/department/queue.html", context)


# ----- One clue ------------------------------------------------------------------------


ActionForms = dict[str, forms.DepartmentForm]


def _fresh_forms(clue_page: selectors.DepartmentClue, user: User) -> ActionForms:
    initial: dict[str, dict[str, Any]] = {
        "step": {"performed_by": str(user)},
        "report": {"methods": clue_page.round_methods},
    }
    return {
        action.name: action.form(user=user, initial=initial.get(action.name)) for action in ACTIONS
    } | {"reveal": forms.RevealForm(user=user)}


def _error_messages(form: forms.DepartmentForm) -> list[str]:
    return [str(message) for errors in form.errors.values() for message in errors]


def _render_clue(
    request: HttpRequest,
    clue: Clue,
    *,
    bound: tuple[str, forms.DepartmentForm] | None = None,
    revealed: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = current_user(request)
    view = staff.staff_clue_view(user, clue)
    clue_page = selectors.department_clue(user, clue, may_reveal=view.may_reveal)
    action_forms = _fresh_forms(clue_page, user)
    refusals: list[str] = []
    if bound is not None:
        name, form = bound
        action_forms[name] = form
        if not clue_page.actions.offers(name):
            # The action is not on offer (any more): say why above the page.
            refusals = _error_messages(form)
    context = {
        "clue": clue,
        "view": view,
        "events": staff.staff_timeline(user, clue),
        "files": staff.clue_files(clue),
        "page": clue_page,
        "actions": clue_page.actions,
        "forms": action_forms,
        "refusals": refusals,
        "revealed": revealed,
    }
    return render(request, "web/department/clue.html", context, status=status)


def _clue(request: HttpRequest, clue_id: int) -> Clue:
    """The clue with what the page shows of it joined; 404 unless the department has (or
    had) an assignment on it."""
    return Clue.objects.select_related("triage", "category", "region").get(
        pk=accessible_clue(request, clue_id).pk
    )


@never_cache
@require_GET
@department_required
def clue_detail(request: HttpRequest, clue_id: int) -> HttpResponse:
    return _render_clue(request, _clue(request, clue_id))


# ----- Actions -------------------------------------------------------------------------


Run = Callable[[Clue, Actor, dict[str, Any]], object]


@dataclass(frozen=True)
class DepartmentAction:
    """One action of the clue page: its form, the service call and what to say after."""

    name: str
    form: type[forms.DepartmentForm]
    run: Run
    done: Promise
    back_to_queue: bool = False


def _files(data: dict[str, Any]) -> list[tuple[Any, str]]:
    return [(file, file.name or "") for file in data.get("evidence") or []]


def _add_error(form: forms.DepartmentForm, error: ClueError) -> None:
    """The services name the files `files`; the forms call them `evidence`."""
    if error.field == "files" and "evidence" in form.fields:
        form.add_error("evidence", error.message)
    else:
        add_service_error(form, error)


def _accept(clue: Clue, actor: Actor, data: dict[str, Any]) -> object:
    return handling.clue_accept(clue_id=clue.pk, actor=actor)


def _return(clue: Clue, actor: Actor, data: dict[str, Any]) -> object:
    suggested = data["suggested_department"]
    return handling.clue_return(
        clue_id=clue.pk,
        actor=actor,
        reason=data["reason"],
        suggested_department=suggested.name if suggested is not None else "",
    )


def _extension(clue: Clue, actor: Actor, data: dict[str, Any]) -> object:
    return handling.clue_request_extension(
        clue_id=clue.pk, actor=actor, days=data["days"], reason=data["reason"]
    )


def _request_info(clue: Clue, actor: Actor, data: dict[str, Any]) -> object:
    return handling.clue_request_info(clue_id=clue.pk, actor=actor, question=data["reason"])


def _resume(clue: Clue, actor: Actor, data: dict[str, Any]) -> object:
    return handling.clue_resume(clue_id=clue.pk, actor=actor, reason=data["reason"])


def _step(clue: Clue, actor: Actor, data: dict[str, Any]) -> object:
    return handling.verification_step_record(
        clue_id=clue.pk,
        actor=actor,
        method=data["method"],
        performed_by=data["performed_by"],
        performed_at=data["performed_at"],
        findings=data["findings"],
        files=_files(data),
    )


def _report(clue: Clue, actor: Actor, data: dict[str, Any]) -> object:
    return handling.clue_report(
        clue_id=clue.pk,
        actor=actor,
        methods=data["methods"],
        findings=data["findings"],
        conclusion=data["conclusion"],
        actions_taken=data["actions_taken"],
        proposed_answer=data["proposed_answer"],
        files=_files(data),
    )


def _co_accept(clue: Clue, actor: Actor, data: dict[str, Any]) -> object:
    return handling.clue_co_accept(clue_id=clue.pk, actor=actor)


def _co_return(clue: Clue, actor: Actor, data: dict[str, Any]) -> object:
    return handling.clue_co_return(clue_id=clue.pk, actor=actor, reason=data["reason"])


def _contribute(clue: Clue, actor: Actor, data: dict[str, Any]) -> object:
    return handling.clue_co_contribute(
        clue_id=clue.pk, actor=actor, contribution=data["contribution"]
    )


ACTIONS = (
    DepartmentAction("accept", forms.AcceptForm, _accept, _("线索 %(code)s 已签收。")),
    DepartmentAction(
        "return_clue",
        forms.ReturnForm,
        _return,
        _("线索 %(code)s 已退回受理环节重新转办。"),
        back_to_queue=True,
    ),
    DepartmentAction(
        "extension",
        forms.ExtensionForm,
        _extension,
        _("线索 %(code)s 的延期申请已提交，等待审核。"),
    ),
    DepartmentAction(
        "request_info",
        forms.RequestInfoForm,
        _request_info,
        _("线索 %(code)s 已请群众补充材料，办理计时暂停。"),
    ),
    DepartmentAction(
        "resume", forms.ResumeForm, _resume, _("线索 %(code)s 已恢复办理，计时继续。")
    ),
    DepartmentAction(
        "step", forms.VerificationStepForm, _step, _("线索 %(code)s 的核查情况已记录。")
    ),
    DepartmentAction(
        "report", forms.ReportForm, _report, _("线索 %(code)s 的办理结果已报送审核。")
    ),
    DepartmentAction("co_accept", forms.CoAcceptForm, _co_accept, _("线索 %(code)s 已协办签收。")),
    DepartmentAction(
        "co_return",
        forms.CoReturnForm,
        _co_return,
        _("线索 %(code)s 的协办任务已退回。"),
        back_to_queue=True,
    ),
    DepartmentAction(
        "contribute",
        forms.ContributeForm,
        _contribute,
        _("线索 %(code)s 的协办意见已提交主办单位。"),
    ),
)


def _action_view(action: DepartmentAction) -> View:
    @never_cache
    @require_POST
    @department_required
    def take(request: HttpRequest, clue_id: int) -> HttpResponse:
        clue = _clue(request, clue_id)
        user = current_user(request)
        form = action.form(request.POST, request.FILES, user=user)
        if form.is_valid():
            try:
                action.run(clue, Actor.of(user), form.cleaned_data)
            except ClueError as error:
                _add_error(form, error)
            else:
                messages.success(request, str(action.done) % {"code": clue.tracking_code})
                if action.back_to_queue:
                    return redirect("web:department_queue")
                return redirect("web:department_clue", clue_id=clue.pk)
        # The services take the clue's id and roll back on refusal: `clue` is still current.
        return _render_clue(request, clue, bound=(action.name, form), status=400)

    take.__name__ = take.__qualname__ = f"clue_{action.name}"
    return take


@never_cache
@require_POST
@department_required
def clue_reveal(request: HttpRequest, clue_id: int) -> HttpResponse:
    """查看反映人信息: the unmasked identity in this response only, never stored; the
    reveal and its reason are written to the clue's event chain."""
    clue = _clue(request, clue_id)
    user = current_user(request)
    form = forms.RevealForm(request.POST, user=user)
    if form.is_valid():
        try:
            values = identity.complainant_reveal(
                clue_id=clue.pk,
                actor=Actor.of(user),
                reason=form.cleaned_data["reason"],
            )
        except ClueError as error:
            add_service_error(form, error)
        else:
            return _render_clue(request, clue, revealed=staff.identity_rows(values))
    return _render_clue(request, clue, bound=("reveal", form), status=400)


_URL_PATHS = {
    "accept": "accept",
    "return_clue": "return",
    "extension": "extension",
    "request_info": "request-info",
    "resume": "resume",
    "step": "steps",
    "report": "report",
    "co_accept": "co-accept",
    "co_return": "co-return",
    "contribute": "contribute",
}

urlpatterns = [
    path("work/department/", queue, name="department_queue"),
    path("work/department/<int:clue_id>/", clue_detail, name="department_clue"),
    *(
        path(
            f"work/department/<int:clue_id>/{_URL_PATHS[action.name]}/",
            _action_view(action),
            name=f"department_{action.name}",
        )
        for action in ACTIONS
    ),
    path("work/department/<int:clue_id>/reveal/", clue_reveal, name="department_reveal"),
]
