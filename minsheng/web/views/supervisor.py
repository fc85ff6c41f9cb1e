"""The supervisor console (督查): the boards with their counts, each board's list, and one
clue in full with the decisions the transition table allows a supervisor now.

Views parse the request, call a selector or a clue service and render; the services check
the transition table, the actor's role and the clue's status again on every write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from minsheng.accounts.actors import Actor
from minsheng.clues.errors import ClueError
from minsheng.clues.models import Clue
from minsheng.clues.selectors import clue_by_tracking_code
from minsheng.clues.services import curation, handling, review
from minsheng.clues.workflow import INTAKE_QUEUE_STATUSES, Action
from minsheng.web.forms.supervisor import (
    AnswerForm,
    ApproveExtensionForm,
    ApproveForm,
    CloseForm,
    DenyExtensionForm,
    EscalateForm,
    FindForm,
    SendBackForm,
    TypicalForm,
    UrgeForm,
)
from minsheng.web.selectors import supervisor as selectors
from minsheng.web.views.common import (
    SUPERVISOR_ROLES,
    View,
    accessible_clue,
    add_service_error,
    current_user,
    role_required,
)

supervisor_required = role_required(SUPERVISOR_ROLES)


# ----- The console's home and the boards -----------------------------------------------


def _render_home(
    request: HttpRequest, *, find_form: forms.Form | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "sections": selectors.console_sections(current_user(request)),
        "find_form": find_form or FindForm(),
    }
    return render(request, "web/supervisor/home.html", context, status=status)


@never_cache
@require_GET
@supervisor_required
def home(request: HttpRequest) -> HttpResponse:
    return _render_home(request)


@never_cache
@require_GET
@supervisor_required
def find(request: HttpRequest) -> HttpResponse:
    """Open a clue by its tracking code (read out on the phone, pasted from a letter)."""
    form = FindForm(request.GET)
    if form.is_valid():
        clue = clue_by_tracking_code(current_user(request), form.cleaned_data["code"])
        if clue is not None:
            return redirect("web:supervisor_clue", clue.pk)
        form.add_error("code", _("没有这个受理编号的线索。"))
    return _render_home(request, find_form=form, status=400)


@never_cache
@require_GET
@supervisor_required
def board(request: HttpRequest, slug: str) -> HttpResponse:
    chosen = selectors.board_by_slug(slug)
    if chosen is None:
        raise Http404(_("没有这个看板。"))
    clues = selectors.board_clues(current_user(request), chosen)
    page = Paginator(clues, selectors.SUPERVISOR_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "board": chosen,
        "page": page,
        "rows": selectors.board_rows(page.object_list),
        "due_soon_days": selectors.due_soon_days(),
    }
    return render(request, "web/supervisor/board.html", context)


# ----- One clue ------------------------------------------------------------------------


def _initial_values(dossier: selectors.ClueDossier) -> dict[str, dict[str, Any]]:
    """What the clue page's forms start with, by form prefix."""
    extension = dossier.extension_request
    proposed = dossier.proposed_answer
    initial: dict[str, dict[str, Any]] = {
        "approve": {"answer": proposed},
        "answer": {"answer": dossier.view.clue.answer or proposed},
        "typical": {"typical": "0" if dossier.is_typical else "1"},
    }
    if extension is not None:
        initial["extension_approve"] = {"days": extension.grantable_days or extension.days}
    return initial


def _render_clue(
    request: HttpRequest,
    clue_id: int,
    *,
    bound: forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    user = current_user(request)
    clue = selectors.clue_with_card_rows(clue_id)
    dossier = selectors.clue_dossier(user, clue)
    allowed = selectors.console_actions(user, clue)
    initial = _initial_values(dossier)
    page_forms: dict[str, forms.Form] = {
        name: decision.form(initial=initial.get(name)) for name, decision in FORMS.items()
    }
    if bound is not None and bound.prefix is not None:
        page_forms[bound.prefix] = bound
    # A form is shown while its action is allowed, and also when it just failed, so that
    # the refusal is read beside it even after the clue moved on.
    shown = {
        name
        for name, decision in FORMS.items()
        if decision.action in allowed or (bound is not None and bound.prefix == name)
    }
    context = {
        "clue": clue,
        "dossier": dossier,
        "view": dossier.view,
        "events": dossier.events,
        "files": dossier.files,
        "forms": page_forms,
        "shown": shown,
        "in_intake": clue.status in INTAKE_QUEUE_STATUSES,
    }
    return render(request, "web/supervisor/clue.html", context, status=status)


@never_cache
@require_GET
@supervisor_required
def clue_detail(request: HttpRequest, clue_id: int) -> HttpResponse:
    return _render_clue(request, accessible_clue(request, clue_id).pk)


# ----- The decisions -------------------------------------------------------------------

# A decision takes the actor, the clue and the form's cleaned data, calls the services and
# returns the success message.
Decide = Callable[[Actor, Clue, dict[str, Any]], str]


@dataclass(frozen=True)
class Decision:
    """One decision of the clue page: its URL (`web:supervisor_<name>`, `route` under the
    clue's path), the transition-table action that offers its form, the form and what it
    calls."""

    name: str
    route: str
    action: Action
    form: type[forms.Form]
    decide: Decide
    # Service error fields with another name in this form.
    field_names: tuple[tuple[str, str], ...] = ()


def _approve(actor: Actor, clue: Clue, data: dict[str, Any]) -> str:
    # Both steps or neither: an approval whose answer fails stays unapproved.
    with transaction.atomic():
        review.clue_approve(clue_id=clue.pk, actor=actor, comment=data["comment"])
        if data["answer_now"]:
            review.clue_answer(clue_id=clue.pk, actor=actor, answer=data["answer"])
    if data["answer_now"]:
        return _("线索 %(code)s 已审核通过，并已答复群众。") % {"code": clue.tracking_code}
    return _("线索 %(code)s 已审核通过。") % {"code": clue.tracking_code}


def _send_back(actor: Actor, clue: Clue, data: dict[str, Any]) -> str:
    review.clue_send_back(clue_id=clue.pk, actor=actor, reason=data["reason"])
    return _("线索 %(code)s 已退回重办。") % {"code": clue.tracking_code}


def _approve_extension(actor: Actor, clue: Clue, data: dict[str, Any]) -> str:
    handling.clue_decide_extension(
        clue_id=clue.pk, actor=actor, approve=True, days=data["days"], reason=data["reason"]
    )
    return ngettext(
        "已批准线索 %(code)s 延期 %(n)d 个工作日。",
        "已批准线索 %(code)s 延期 %(n)d 个工作日。",
        data["days"],
    ) % {"code": clue.tracking_code, "n": data["days"]}


def _deny_extension(actor: Actor, clue: Clue, data: dict[str, Any]) -> str:
    handling.clue_decide_extension(
        clue_id=clue.pk, actor=actor, approve=False, reason=data["reason"]
    )
    return _("已驳回线索 %(code)s 的延期申请。") % {"code": clue.tracking_code}


def _answer(actor: Actor, clue: Clue, data: dict[str, Any]) -> str:
    review.clue_answer(clue_id=clue.pk, actor=actor, answer=data["answer"])
    return _("线索 %(code)s 已答复群众。") % {"code": clue.tracking_code}


def _close(actor: Actor, clue: Clue, data: dict[str, Any]) -> str:
    review.clue_close(
        clue_id=clue.pk,
        actor=actor,
        outcome=data["outcome"],
        note=data["note"],
        responsible_body=data["responsible_body"],
    )
    return _("线索 %(code)s 已办结。") % {"code": clue.tracking_code}


def _urge(actor: Actor, clue: Clue, data: dict[str, Any]) -> str:
    review.clue_urge(clue_id=clue.pk, actor=actor, message=data["reason"])
    return _("已催办线索 %(code)s。") % {"code": clue.tracking_code}


def _escalate(actor: Actor, clue: Clue, data: dict[str, Any]) -> str:
    review.clue_escalate(clue_id=clue.pk, actor=actor, message=data["reason"], level=data["level"])
    if data["level"] == "listed":
        return _("已对线索 %(code)s 挂牌督办。") % {"code": clue.tracking_code}
    return _("已对线索 %(code)s 督办。") % {"code": clue.tracking_code}


def _mark_typical(actor: Actor, clue: Clue, data: dict[str, Any]) -> str:
    curation.clue_mark_typical(
        clue_id=clue.pk, actor=actor, typical=data["typical"], reason=data["reason"]
    )
    if data["typical"]:
        return _("线索 %(code)s 已标记为典型案例。") % {"code": clue.tracking_code}
    return _("线索 %(code)s 已取消典型案例标记。") % {"code": clue.tracking_code}


DECISIONS = (
    Decision(
        "approve", "approve/", Action.APPROVE, ApproveForm, _approve, (("reason", "comment"),)
    ),
    Decision("send_back", "send-back/", Action.SEND_BACK, SendBackForm, _send_back),
    Decision(
        "approve_extension",
        "extension/approve/",
        Action.APPROVE_EXTENSION,
        ApproveExtensionForm,
        _approve_extension,
    ),
    Decision(
        "deny_extension",
        "extension/deny/",
        Action.DENY_EXTENSION,
        DenyExtensionForm,
        _deny_extension,
    ),
    Decision("answer", "answer/", Action.ANSWER, AnswerForm, _answer),
    Decision("close", "close/", Action.CLOSE, CloseForm, _close),
    Decision("urge", "urge/", Action.URGE, UrgeForm, _urge),
    Decision("escalate", "escalate/", Action.ESCALATE, EscalateForm, _escalate),
    Decision("typical", "typical/", Action.SET_TAGS, TypicalForm, _mark_typical),
)

# The decisions by their form's prefix, the name the clue page's template uses.
FORMS = {str(decision.form.prefix): decision for decision in DECISIONS}


def _decision_view(decision: Decision) -> View:
    """The decision's endpoint: parse its form, call its services, then redirect (or show
    the errors beside the fields)."""

    @require_POST
    @supervisor_required
    def decide(request: HttpRequest, clue_id: int) -> HttpResponse:
        clue = accessible_clue(request, clue_id)
        form = decision.form(request.POST)
        if form.is_valid():
            actor = Actor.of(current_user(request))
            try:
                message = decision.decide(actor, clue, form.cleaned_data)
            except ClueError as error:
                renamed = dict(decision.field_names).get(error.field or "", error.field)
                add_service_error(form, ClueError(error.message, field=renamed))
            else:
                messages.success(request, message)
                return redirect("web:supervisor_clue", clue.pk)
        return _render_clue(request, clue.pk, bound=form, status=400)

    decide.__name__ = decide.__qualname__ = f"clue_{decision.name}"
    return decide


def _clue_path(suffix: str) -> str:
    return f"work/supervisor/clues/<int:clue_id>/{suffix}"


urlpatterns = [
    path("work/supervisor/", home, name="supervisor_home"),
    path("work/supervisor/find/", find, name="supervisor_find"),
    path("work/supervisor/boards/<slug:slug>/", board, name="supervisor_board"),
    path(_clue_path(""), clue_detail, name="supervisor_clue"),
    *(
        path(
            _clue_path(decision.route), _decision_view(decision), name=f"supervisor_{decision.name}"
        )
        for decision in DECISIONS
    ),
]
