"""The intake workbench (受理): the queue of clues waiting for routing, one clue with the
AI's suggestions, its two decisions, dispatch (转办) and rejection (不予受理), and the
side-by-side comparison with a likely duplicate, from which it is linked (关联) or merged
(合并).

Views parse the request, call a selector or a clue service and render; the services check
the transition table and the actor's role again on every write. Every page works without
script; with HTMX a comparison loads into the clue page, and intake.js adds shortcuts.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from minsheng.accounts.actors import Actor
from minsheng.clues.errors import ClueError
from minsheng.clues.models import Clue
from minsheng.clues.selectors import clue_by_tracking_code
from minsheng.clues.services import curation, intake
from minsheng.clues.workflow import INTAKE_QUEUE_STATUSES, ClueStatus
from minsheng.directory.choices import Priority
from minsheng.web.forms.intake import (
    CompareLookupForm,
    DispatchForm,
    LinkForm,
    MergeForm,
    RejectForm,
)
from minsheng.web.selectors import intake as selectors
from minsheng.web.selectors import portal as region_selectors
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
            "suggestion": selectors.intake_suggestion(staff.triage_of(clue)),
        }
        for clue in page.object_list
    ]
    filters = request.GET.copy()
    filters.pop("page", None)
    # The summary counts every waiting clue; its links choose a status and keep the order.
    status_counts = selectors.intake_status_counts(user)
    summary_query = urlencode({"sort": sort}) if sort in selectors.INTAKE_SORTS else ""
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
        "status_counts": status_counts,
        "waiting_total": sum(item.count for item in status_counts),
        "summary_query": summary_query,
    }
    return render(request, "web/intake/queue.html", context)


# ----- One clue ------------------------------------------------------------------------


def _dispatch_initial(clue: Clue) -> dict[str, Any]:
    result = staff.triage_of(clue)
    routing = result.routing if result is not None else {}
    return {
        "lead_department": routing.get("lead"),
        "co_departments": routing.get("co") or [],
        "category": clue.category_id,
        "region": clue.region,
        "priority": clue.priority,
    }


def _render_clue(
    request: HttpRequest,
    clue: Clue,
    *,
    dispatch_form: DispatchForm | None = None,
    reject_form: RejectForm | None = None,
    lookup_form: CompareLookupForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = current_user(request)
    result = staff.triage_of(clue)
    routing = result.routing if result is not None else {}
    co_ids = [int(pk) for pk in routing.get("co") or [] if str(pk).isdigit()]
    dispatch_form = dispatch_form or DispatchForm(initial=_dispatch_initial(clue))
    region = dispatch_form.region_choice()
    context = {
        "clue": clue,
        "view": staff.staff_clue_view(user, clue),
        "events": staff.staff_timeline(user, clue),
        "files": staff.clue_files(clue),
        "back_in_intake": selectors.back_in_intake(clue),
        "triage": result,
        "suggestion": selectors.intake_suggestion(result),
        "co_names": [d.name for d in selectors.departments_by_id(co_ids).values()],
        "open_for_intake": clue.status in INTAKE_QUEUE_STATUSES,
        "dispatch_form": dispatch_form,
        "reject_form": reject_form or RejectForm(),
        "region_levels": region_selectors.region_chain(region),
        "regions_flat": region_selectors.regions_flat(),
        "region_selected": region,
        "candidates": selectors.compare_candidates(clue),
        "lookup_form": lookup_form or CompareLookupForm(),
    }
    return render(request, "web/intake/clue.html", context, status=status)


def _clue_with_details(request: HttpRequest, clue_id: int) -> Clue:
    """The clue if this user may see it, with its triage and directory rows joined."""
    return Clue.objects.select_related("triage", "category", "region").get(
        pk=accessible_clue(request, clue_id).pk
    )


@never_cache
@require_GET
@intake_required
def clue_detail(request: HttpRequest, clue_id: int) -> HttpResponse:
    return _render_clue(request, _clue_with_details(request, clue_id))


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


# ----- Duplicates: compare, link, merge ------------------------------------------------


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _clue_pair(request: HttpRequest, clue_id: int, other_id: int) -> tuple[Clue, Clue]:
    """Both clues if this user may see them; comparing a clue with itself is not a page."""
    if clue_id == other_id:
        raise Http404(_("不能与本线索自身比较。"))
    return _clue_with_details(request, clue_id), _clue_with_details(request, other_id)


def _render_compare(
    request: HttpRequest,
    clue: Clue,
    other: Clue,
    *,
    link_form: LinkForm | None = None,
    merge_form: MergeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The comparison as its own page, or only its panel for HTMX on the clue page."""
    comparison = selectors.clue_comparison(current_user(request), clue, other)
    htmx = _is_htmx(request)
    context = {
        # Inside the clue page's "重复与合并" section (h2) the panel starts one level down.
        "hl": 3 if htmx else 2,
        "hl_sub": 4 if htmx else 3,
        "clue": clue,
        "other": other,
        "comparison": comparison,
        "link_form": link_form or LinkForm(initial={"kind": comparison.suggested_kind}),
        "merge_form": merge_form or MergeForm(),
    }
    template = "web/intake/_compare.html" if htmx else "web/intake/compare.html"
    return render(request, template, context, status=status)


@never_cache
@vary_on_headers("HX-Request")
@require_GET
@intake_required
def compare(request: HttpRequest, clue_id: int, other_id: int) -> HttpResponse:
    clue, other = _clue_pair(request, clue_id, other_id)
    return _render_compare(request, clue, other)


@never_cache
@vary_on_headers("HX-Request")
@require_GET
@intake_required
def compare_lookup(request: HttpRequest, clue_id: int) -> HttpResponse:
    """The clue named by tracking code, compared with this one; an unknown code is shown
    beside the field (for HTMX, the lookup form swaps itself with the error)."""
    clue = _clue_with_details(request, clue_id)
    form = CompareLookupForm(request.GET)
    if form.is_valid():
        other = clue_by_tracking_code(current_user(request), form.cleaned_data["code"])
        if other is None:
            form.add_error("code", _("没有找到该受理编号的线索。"))
        elif other.pk == clue.pk:
            form.add_error("code", _("这是本线索的受理编号，请输入另一条线索的编号。"))
        elif _is_htmx(request):
            return _render_compare(request, clue, _clue_with_details(request, other.pk))
        else:
            return redirect("web:intake_compare", clue_id=clue.pk, other_id=other.pk)
    if _is_htmx(request):
        response = render(
            request, "web/intake/_compare_lookup.html", {"clue": clue, "lookup_form": form}
        )
        response["HX-Retarget"] = "#compare-lookup"
        response["HX-Reswap"] = "outerHTML"
        return response
    return _render_clue(request, clue, lookup_form=form, status=400)


@require_POST
@intake_required
def clue_link(request: HttpRequest, clue_id: int, other_id: int) -> HttpResponse:
    clue, other = _clue_pair(request, clue_id, other_id)
    form = LinkForm(request.POST)
    if form.is_valid():
        similarity = selectors.triage_similarity(clue, other)
        try:
            curation.clue_link(
                clue_id=clue.pk,
                actor=Actor.of(current_user(request)),
                other_clue_id=other.pk,
                kind=form.cleaned_data["kind"],
                score=similarity.score if similarity is not None else None,
            )
        except ClueError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("已将线索 %(other)s 与本线索关联。") % {"other": other.tracking_code},
            )
            return redirect("web:intake_clue", clue_id=clue.pk)
    clue.refresh_from_db()
    return _render_compare(request, clue, other, link_form=form, status=400)


@require_POST
@intake_required
def clue_merge(request: HttpRequest, clue_id: int, other_id: int) -> HttpResponse:
    clue, other = _clue_pair(request, clue_id, other_id)
    form = MergeForm(request.POST)
    if form.is_valid():
        try:
            intake.clue_merge(
                clue_id=clue.pk,
                actor=Actor.of(current_user(request)),
                into_clue_id=other.pk,
                reason=form.cleaned_data["reason"],
            )
        except ClueError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("线索 %(code)s 已合并至 %(into)s。")
                % {"code": clue.tracking_code, "into": other.tracking_code},
            )
            return redirect("web:intake_queue")
    clue.refresh_from_db()
    return _render_compare(request, clue, other, merge_form=form, status=400)


urlpatterns = [
    path("work/intake/", queue, name="intake_queue"),
    path("work/intake/<int:clue_id>/", clue_detail, name="intake_clue"),
    path("work/intake/<int:clue_id>/dispatch/", clue_dispatch, name="intake_dispatch"),
    path("work/intake/<int:clue_id>/reject/", clue_reject, name="intake_reject"),
    path("work/intake/<int:clue_id>/compare/", compare_lookup, name="intake_compare_lookup"),
    path("work/intake/<int:clue_id>/compare/<int:other_id>/", compare, name="intake_compare"),
    path("work/intake/<int:clue_id>/compare/<int:other_id>/link/", clue_link, name="intake_link"),
    path(
        "work/intake/<int:clue_id>/compare/<int:other_id>/merge/",
        clue_merge,
        name="intake_merge",
    ),
]
