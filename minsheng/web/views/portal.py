"""The citizen portal: submit a clue, see its receipt once, track it and follow it up.

Views parse the request, call a service or selector and render; rules live in the services.
Everything works without script; HTMX only loads the region picker's lower levels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from minsheng.accounts.actors import Actor
from minsheng.accounts.roles import Role
from minsheng.clues.errors import ClueError, ClueNotFound, ClueValidationError
from minsheng.clues.models import Clue
from minsheng.clues.services import citizen, review
from minsheng.clues.services.codes import format_tracking_code
from minsheng.clues.workflow import Action, ClueStatus, allowed_actions
from minsheng.notifications.models import MessageKind
from minsheng.notifications.selectors import clue_message_notice
from minsheng.web.forms.portal import (
    AddInfoForm,
    RateForm,
    ReopenForm,
    SubmitForm,
    TrackForm,
    WithdrawForm,
)
from minsheng.web.selectors import portal as selectors
from minsheng.web.services import access, portal, spam, throttle

# ----- Submitting ----------------------------------------------------------------------

# Service error fields that the form names differently.
SERVICE_FIELD_ALIASES = {"file": "attachments"}


def _add_service_error(form: forms.Form, error: ClueError) -> None:
    field = SERVICE_FIELD_ALIASES.get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, error.message)


def _render_submit(request: HttpRequest, form: SubmitForm, *, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "form_token": spam.form_token_issue(),
        "honeypot": form[spam.HONEYPOT_FIELD],
        "region_levels": selectors.region_chain(form.region_value()),
        "regions_flat": selectors.regions_flat(),
        "region_selected": form.region_value(),
        "files_lost": bool(request.FILES),
    }
    return render(request, "web/portal/submit.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render_submit(request, SubmitForm())
    form = SubmitForm(request.POST, request.FILES)
    try:
        spam.honeypot_check(request.POST.get(spam.HONEYPOT_FIELD, ""))
        spam.form_token_check(request.POST.get("rendered_at", ""))
    except spam.SpamSuspected as suspected:
        form.is_valid()
        form.add_error(None, suspected.message)
        return _render_submit(request, form, status=400)
    if not form.is_valid():
        return _render_submit(request, form, status=400)
    data = form.cleaned_data
    try:
        received = portal.portal_clue_submit(
            submission=portal.PortalSubmission(
                title=data["title"],
                content=data["content"],
                category=data["category"],
                region=data["region"],
                place_text=data["place_text"],
                is_anonymous=form.is_anonymous,
                complainant=form.complainant(),
            ),
            files=[(file, file.name or "") for file in data["attachments"]],
            keep_location=data["keep_location"],
            client_ip=throttle.client_ip(request),
            receipt=_receipt_request(request, form),
        )
    except portal.Throttled as throttled:
        _add_service_error(form, throttled)
        return _render_submit(request, form, status=429)
    except ClueError as error:
        _add_service_error(form, error)
        return _render_submit(request, form, status=400)
    clue = received.clue
    access.receipt_keep(
        request.session,
        clue_id=clue.pk,
        tracking_code=clue.tracking_code,
        secret=received.query_secret,
    )
    access.access_grant(request.session, clue_id=clue.pk)
    return redirect("web:portal_submit_done")


def _receipt_request(request: HttpRequest, form: SubmitForm) -> portal.ReceiptRequest | None:
    channel = form.receipt_channel
    if not channel:
        return None
    track_url = request.build_absolute_uri(reverse("web:portal_track"))
    return portal.ReceiptRequest(channel=channel, track_url=track_url)


@never_cache
@require_GET
def submit_done(request: HttpRequest) -> HttpResponse:
    """The receipt: shown once, then gone from the session (reloading shows no secret)."""
    receipt = access.receipt_take(request.session)
    context: dict[str, Any] = {"receipt": receipt}
    if receipt is not None:
        code = str(receipt["tracking_code"])
        context.update(
            tracking_code=format_tracking_code(code),
            raw_code=code,
            receipt_message=clue_message_notice(
                clue_id=int(str(receipt["clue_id"])), kind=MessageKind.RECEIPT
            ),
        )
    return render(request, "web/portal/submit_done.html", context)


@require_GET
def region_children(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The select of a region's children (HTMX swaps it below the changed select)."""
    if pk is None:
        value = request.GET.get("region", "")
        pk = int(value) if value.isdigit() else None
    parent = selectors.active_regions().filter(pk=pk).first() if pk is not None else None
    if parent is None:
        return HttpResponse("")
    level = selectors.region_level_choices(parent_id=parent.pk, depth=parent.depth + 1)
    if level is None:
        return HttpResponse("")
    return render(request, "web/portal/_region_level.html", {"level": level, "rest": []})


# ----- Tracking ------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        form = TrackForm(initial={"tracking_code": request.GET.get("code", "")})
        return render(request, "web/portal/track.html", {"form": form})
    form = TrackForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            clue = portal.portal_clue_lookup(
                tracking_code=form.cleaned_data["tracking_code"],
                query_secret=form.cleaned_data["query_secret"],
                client_ip=throttle.client_ip(request),
            )
        except portal.Throttled as throttled:
            form.add_error(None, throttled.message)
            status = 429
        except ClueNotFound as not_found:
            form.add_error(None, not_found.message)
        else:
            access.access_grant(request.session, clue_id=clue.pk)
            return redirect("web:portal_clue", code=clue.tracking_code)
    return render(request, "web/portal/track.html", {"form": form}, status=status)


def _redirect_to_track(request: HttpRequest, code: str) -> HttpResponse:
    messages.info(request, _("为保护您的信息，请输入受理编号和查询码后查看。"))
    return redirect(f"{reverse('web:portal_track')}?code={code}")


def _render_clue(
    request: HttpRequest,
    clue: Clue,
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    allowed = set(allowed_actions(clue.status, Role.CITIZEN))
    forms_by_key: dict[str, forms.Form | None] = {
        "add_info_form": AddInfoForm() if allowed & {Action.ADD_INFO, Action.SUPPLY_INFO} else None,
        "rate_form": RateForm() if Action.RATE in allowed and not clue.satisfaction else None,
        "reopen_form": ReopenForm() if Action.REOPEN in allowed else None,
        "withdraw_form": WithdrawForm() if Action.WITHDRAW in allowed else None,
    }
    forms_by_key.update(bound or {})
    context = {
        "clue": clue,
        "tracking_code": format_tracking_code(clue.tracking_code),
        "status_text": selectors.citizen_status_text(clue.status),
        "timeline": selectors.citizen_timeline(clue),
        "awaiting_info": clue.status == ClueStatus.AWAITING_INFO,
        "handle_due": clue.handle_due if clue.status in selectors.DEADLINE_STATUSES else None,
        "answered_by": clue.answered_by.name if clue.answered_by else "",
        "outcome": selectors.citizen_outcome(clue),
        "satisfaction": clue.get_satisfaction_display() if clue.satisfaction else "",
        **forms_by_key,
    }
    return render(request, "web/portal/clue.html", context, status=status)


@never_cache
@require_GET
def clue_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        clue = access.portal_granted_clue(request.session, tracking_code=code)
    except ClueNotFound:
        return _redirect_to_track(request, code)
    return _render_clue(request, clue)


FollowUp = Callable[[Clue, dict[str, Any]], object]


def _follow_up(
    request: HttpRequest,
    code: str,
    *,
    form_class: type[forms.Form],
    form_key: str,
    act: FollowUp,
    done: str,
) -> HttpResponse:
    """One follow-up action: re-check the session's grant, validate, call the service."""
    try:
        clue = access.portal_granted_clue(request.session, tracking_code=code)
    except ClueNotFound:
        return _redirect_to_track(request, code)
    form = form_class(request.POST)
    status = 400
    if form.is_valid():
        try:
            act(clue, form.cleaned_data)
        except ClueValidationError as error:
            _add_service_error(form, error)
        except ClueError as error:
            form.add_error(None, error.message)
            status = 409
        else:
            messages.success(request, done)
            return redirect("web:portal_clue", code=clue.tracking_code)
    clue.refresh_from_db()
    return _render_clue(request, clue, bound={form_key: form}, status=status)


def _add_info(clue: Clue, data: dict[str, Any]) -> object:
    if clue.status == ClueStatus.AWAITING_INFO:
        return citizen.clue_supply_info(clue_id=clue.pk, actor=Actor.citizen(), text=data["text"])
    return citizen.clue_add_info(clue_id=clue.pk, actor=Actor.citizen(), text=data["text"])


@require_POST
def clue_add_info(request: HttpRequest, code: str) -> HttpResponse:
    return _follow_up(
        request,
        code,
        form_class=AddInfoForm,
        form_key="add_info_form",
        act=_add_info,
        done=_("补充材料已提交。"),
    )


@require_POST
def clue_rate(request: HttpRequest, code: str) -> HttpResponse:
    return _follow_up(
        request,
        code,
        form_class=RateForm,
        form_key="rate_form",
        act=lambda clue, data: citizen.clue_rate(
            clue_id=clue.pk,
            actor=Actor.citizen(),
            satisfaction=data["satisfaction"],
            comment=data["comment"],
        ),
        done=_("感谢您的评价。"),
    )


@require_POST
def clue_reopen(request: HttpRequest, code: str) -> HttpResponse:
    return _follow_up(
        request,
        code,
        form_class=ReopenForm,
        form_key="reopen_form",
        act=lambda clue, data: review.clue_reopen(
            clue_id=clue.pk, actor=Actor.citizen(), reason=data["reason"]
        ),
        done=_("已申请重新办理，我们会重新转交责任单位。"),
    )


@require_POST
def clue_withdraw(request: HttpRequest, code: str) -> HttpResponse:
    return _follow_up(
        request,
        code,
        form_class=WithdrawForm,
        form_key="withdraw_form",
        act=lambda clue, data: citizen.clue_withdraw(
            clue_id=clue.pk, actor=Actor.citizen(), reason=data["reason"]
        ),
        done=_("您的反映已撤回。"),
    )
