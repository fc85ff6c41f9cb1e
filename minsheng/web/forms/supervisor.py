"""Forms of the supervisor console (督查): review, extension decisions, answer and close,
urging and escalation, typical cases.

Each form has its own prefix, so that the several forms of the clue page never share an
HTML id. Field names follow the services' error fields where they can (`reason`, `answer`,
`days`, `outcome`, `responsible_body`, `level`), so that a service's refusal lands beside
the field that caused it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.clues.choices import CLOSING_OUTCOMES, Outcome
from minsheng.clues.services.handling import MAX_EXTENSION_REQUEST_DAYS
from minsheng.clues.services.lifecycle import MAX_REASON_LENGTH
from minsheng.clues.services.review import ESCALATION_LEVELS
from minsheng.web.forms.portal import PortalForm

MAX_ANSWER_LENGTH = 5000

# The escalation levels of `review.clue_escalate` (lazy labels, translated per request).
ESCALATION_LEVEL_CHOICES = list(ESCALATION_LEVELS.items())


def _text(label: Any, *, required: bool = True, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=kwargs.pop("max_length", MAX_REASON_LENGTH),
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


class FindForm(PortalForm):
    """Open a clue by its tracking code."""

    code = forms.CharField(label=_("受理编号"), max_length=40)


class ApproveForm(PortalForm):
    """审核通过, optionally answering the citizen at once with the (edited) proposed answer."""

    prefix = "approve"

    comment = _text(_("审核意见（选填）"), required=False)
    answer_now = forms.BooleanField(label=_("同时答复群众"), required=False)
    answer = _text(
        _("答复意见"),
        required=False,
        rows=5,
        max_length=MAX_ANSWER_LENGTH,
        help_text=_("已填入承办单位的拟答复意见，可修改；勾选“同时答复群众”时发送。"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("answer_now") and not data.get("answer"):
            self.add_error("answer", _("请填写答复意见。"))
        return data


class SendBackForm(PortalForm):
    """退回重办: the reasons are required and reach the department."""

    prefix = "send_back"

    reason = _text(_("退回重办理由"))


class ApproveExtensionForm(PortalForm):
    """批准延期: at most the days asked (the service checks, and the SLA's limit)."""

    prefix = "extension_approve"

    days = forms.IntegerField(
        label=_("批准延期（工作日）"),
        min_value=1,
        max_value=MAX_EXTENSION_REQUEST_DAYS,
        help_text=_("可少于申请天数，不能多于申请天数。"),
    )
    reason = _text(_("审批意见（选填）"), required=False)


class DenyExtensionForm(PortalForm):
    """驳回延期: the deadline stands; the reason is required."""

    prefix = "extension_deny"

    reason = _text(_("驳回理由"))


class AnswerForm(PortalForm):
    """答复群众: the reply the citizen reads."""

    prefix = "answer"

    answer = _text(_("答复意见"), rows=6, max_length=MAX_ANSWER_LENGTH)


class CloseForm(PortalForm):
    """办结, with an honest outcome; "outside our remit" names the responsible body."""

    prefix = "close"

    outcome = forms.ChoiceField(
        label=_("办结结果"),
        choices=[(value, label) for value, label in Outcome.choices if value in CLOSING_OUTCOMES],
        widget=forms.RadioSelect,
    )
    responsible_body = forms.CharField(
        label=_("有权处理机关"),
        max_length=100,
        required=False,
        help_text=_("办结结果为“不属于受理范围”时必填。"),
    )
    note = _text(_("结果说明（选填）"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == Outcome.OUTSIDE_REMIT and not data.get("responsible_body"):
            self.add_error("responsible_body", _("请写明有权处理的机关。"))
        return data


class UrgeForm(PortalForm):
    """催办: a recorded reminder to the department."""

    prefix = "urge"

    reason = _text(_("催办内容"))


class EscalateForm(PortalForm):
    """督办 or 挂牌督办: formal supervision with a message."""

    prefix = "escalate"

    level = forms.ChoiceField(
        label=_("督办级别"),
        choices=ESCALATION_LEVEL_CHOICES,
        initial="supervise",
        widget=forms.RadioSelect,
    )
    reason = _text(_("督办意见"))


class TypicalForm(PortalForm):
    """Mark or unmark an important typical clue (典型案例); the form carries the intent, so
    a second supervisor's click cannot silently undo the first one's."""

    prefix = "typical"

    typical = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")],
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
    )
    reason = _text(_("理由"))
