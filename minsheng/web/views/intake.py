"""The intake workbench (受理): the queue of clues waiting for routing, one clue with the
AI's suggestions, and its two decisions, dispatch (转办) and rejection (不予受理).

Views parse the request, call a selector or a clue service and render; the services check
the transition table and the actor's role again on every write.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from minsheng.accounts.actors import Actor
from minsheng.clues.errors import ClueError
from minsheng.clues.models import Clue
from minsheng.clues.services import intake
from minsheng.clues.workflow import INTAKE_QUEUE_STATUSES, ClueStatus
from minsheng.directory.choices import Priority
from minsheng.web.forms.intake import DispatchForm, RejectForm
from minsheng.web.selectors import intake as selectors
from minsheng.web.selectors import staff
from minsheng.web.views.common import (
    INTAKE_ROLES,
    accessible_clue,
    add_service_error,
    current_user,
    role_required,
)

intake_required = role_required(INTAKE_ROLES)


# ----- The queue -----------------------------------------------------------------------


@never_cache
@require_GET
@intake_required
def queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    priority = request.GET.get("priority", "")
    sort = request.GET.get("sort", "")
    user = current_user(request)
    clues = selectors.intake_queue(user, status=status, priority=priority, sort=sort)
    page = Paginator(clues, selectors.INTAKE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "clue": clue,
            "title": selectors.intake_display_title(clue),
            "suggestion": selectors.intake_suggestion(selectors.triage_of(clue)),
        }
        for clue in page.object_list
    ]
    filters = request.GET.copy()
    filters.pop("page", None)
    context = {
        "page": page,
        "rows": rows,
        "status": status,
        "priority": priority,
        "sort": sort or selectors.INTAKE_SORTS[0],
        "status_choices": [(s.value, s.label) for s in ClueStatus if s in INTAKE_QUEUE_STATUSES],
        "priority_choices": Priority.choices,
        "sort_choices": [
            ("-received", _("最新接收在前")),
            ("received", _("最早接收在前")),
            ("priority", _("优先级高在前")),
        ],
        "filter_query": filters.urlencode(),
    }
    return render(request, "web/intake/queue.html", context)


# ----- One clue ------------------------------------------------------------------------


def _dispatch_initial(clue: Clue) -> dict[str, Any]:
    result = selectors.triage_of(clue)
    routing = result.routing if result is not None else {}
    return {
        "lead_department": routing.get("lead"),
        "co_departments": routing.get("co") or [],
        "category": clue.category_id,
        "region": clue.region_id,
        "priority": clue.priority,
    }


def _render_clue(
    request: HttpRequest,
    clue: Clue,
    *,
    dispatch_form: DispatchForm | None = None,
    reject_form: RejectForm | None = None,
    status: int = 200,
) -> HttpResponse:
    result = selectors.triage_of(clue)
    routing = result.routing if result is not None else {}
    co_ids = [int(pk) for pk in routing.get("co") or [] if str(pk).isdigit()]
    open_for_intake = clue.status in INTAKE_QUEUE_STATUSES
    context = {
        "clue": clue,
        "view": staff.staff_clue_view(current_user(request), clue),
        "events": staff.staff_timeline(current_user(request), clue),
        "files": staff.clue_files(clue),
        "triage": result,
        "suggestion": selectors.intake_suggestion(result),
        "co_names": [d.name for d in selectors.departments_by_id(co_ids).values()],
        "open_for_intake": open_for_intake,
        "dispatch_form": dispatch_form or DispatchForm(initial=_dispatch_initial(clue)),
        "reject_form": reject_form or RejectForm(),
    }
    return render(request, "web/intake/clue.html", context, status=status)


@never_cache
@require_GET
@intake_required
def clue_detail(request: HttpRequest, clue_id: int) -> HttpResponse:
    clue = Clue.objects.select_related("triage", "category", "region").get(
        pk=accessible_clue(request, clue_id).pk
    )
    return _render_clue(request, clue)


@require_POST
@intake_required
def clue_dispatch(request: HttpRequest, clue_id: int) -> HttpResponse:
    clue = accessible_clue(request, clue_id)
    form = DispatchForm(request.POST)
    if form.is_valid():
        try:
            data = form.cleaned_data
            intake.clue_correct_and_dispatch(
                clue_id=clue.pk,
                actor=Actor.of(current_user(request)),
                category=data["category"],
                region=data["region"],
                priority=data["priority"] or None,
                lead_department=data["lead_department"],
                co_departments=list(data["co_departments"]),
                note=data["note"],
            )
        except ClueError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("线索 %(code)s 已转办。") % {"code": clue.tracking_code})
            return redirect("web:intake_queue")
    clue.refresh_from_db()
    return _render_clue(request, clue, dispatch_form=form, status=400)


@require_POST
@intake_required
def clue_reject(request: HttpRequest, clue_id: int) -> HttpResponse:
    clue = accessible_clue(request, clue_id)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            intake.clue_reject(
                clue_id=clue.pk,
                actor=Actor.of(current_user(request)),
                reason_code=form.cleaned_data["reason_code"],
                reason=form.cleaned_data["reason"],
            )
        except ClueError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("线索 %(code)s 已不予受理。") % {"code": clue.tracking_code}
            )
            return redirect("web:intake_queue")
    clue.refresh_from_db()
    return _render_clue(request, clue, reject_form=form, status=400)
