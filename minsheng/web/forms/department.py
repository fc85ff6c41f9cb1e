"""Forms of the department workbench (承办): one per action on the clue page.

Several forms share one page, so each has its own prefix and its ids stay unique. The
forms check the shape of the input; the clue services keep the rules (transitions, who
may act, file contents) and their refusals are shown beside the field they name (the
services' `files` is the forms' `evidence`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.models import User
from minsheng.clues.choices import Conclusion, VerificationMethod
from minsheng.clues.services.handling import MAX_EXTENSION_REQUEST_DAYS
from minsheng.clues.services.lifecycle import MAX_REASON_LENGTH
from minsheng.directory.models import Department
from minsheng.web.forms.portal import MultipleFileField, PortalForm

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_TEXT_LENGTH = 5000
EVIDENCE_HELP = _("可选，最多5个，每个不超过10MB；照片或PDF，按文件内容检查。")


def _reason(label: StrOrPromise, *, rows: int = 3, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=MAX_REASON_LENGTH,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _text(label: StrOrPromise, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=MAX_TEXT_LENGTH,
        required=required,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _active_departments() -> QuerySet[Department]:
    return Department.objects.filter(is_active=True).order_by("name")


class DepartmentForm(PortalForm):
    """A form of the clue page, made for the signed-in department user."""

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user


class AcceptForm(DepartmentForm):
    """签收 by the lead: nothing to type."""

    prefix = "accept"


class ReturnForm(DepartmentForm):
    """退回: the clue is not this department's business."""

    prefix = "return"
    reason = _reason(_("退回理由"))
    suggested_department = forms.ModelChoiceField(
        label=_("建议转交单位（选填）"),
        queryset=_active_departments(),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.user is not None and self.user.department_id is not None:
            field = self.fields["suggested_department"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = _active_departments().exclude(pk=self.user.department_id)


class ExtensionForm(DepartmentForm):
    """申请延期: working days and why."""

    prefix = "extension"
    days = forms.IntegerField(
        label=_("延期天数（工作日）"), min_value=1, max_value=MAX_EXTENSION_REQUEST_DAYS
    )
    reason = _reason(_("延期理由"))


class RequestInfoForm(DepartmentForm):
    """请群众补充材料: the question goes to the citizen; the clock pauses."""

    prefix = "request_info"
    # Named "reason": the service files its checks of the question under that name.
    reason = _reason(_("需群众补充的内容"))


class ResumeForm(DepartmentForm):
    """恢复办理 without the citizen's answer."""

    prefix = "resume"
    reason = _reason(_("恢复办理的理由"))


def _now_to_the_minute() -> dt.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


class VerificationStepForm(DepartmentForm):
    """记录核查情况: how, who, when, what was found, and evidence files."""

    prefix = "step"
    method = forms.ChoiceField(label=_("核查方式"), choices=VerificationMethod.choices)
    performed_by = forms.CharField(label=_("核查人"), max_length=100)
    performed_at = forms.DateTimeField(
        label=_("核查时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        initial=_now_to_the_minute,
    )
    findings = _text(_("核查情况"))
    evidence = MultipleFileField(label=_("证据文件"), required=False, help_text=EVIDENCE_HELP)


class ReportForm(DepartmentForm):
    """报送办理结果: the verification report and the answer proposed to the citizen."""

    prefix = "report"
    methods = forms.MultipleChoiceField(
        label=_("核查方式"),
        choices=VerificationMethod.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("已按记录的核查情况预选，可调整。"),
    )
    findings = _text(_("核查情况"))
    conclusion = forms.ChoiceField(
        label=_("核查结论"), choices=Conclusion.choices, widget=forms.RadioSelect
    )
    actions_taken = _text(_("处理措施"), required=False)
    proposed_answer = _text(_("拟答复群众的意见"))
    evidence = MultipleFileField(label=_("报告附件"), required=False, help_text=EVIDENCE_HELP)


class CoAcceptForm(DepartmentForm):
    """协办签收: nothing to type."""

    prefix = "co_accept"


class CoReturnForm(DepartmentForm):
    """协办退回: the co-handling is not this department's business."""

    prefix = "co_return"
    reason = _reason(_("退回理由"))


class ContributeForm(DepartmentForm):
    """提交协办意见: the co-handler's part, for the lead."""

    prefix = "contribute"
    contribution = _text(_("协办意见"))


class RevealForm(DepartmentForm):
    """查看反映人信息: only with a reason, which is recorded."""

    prefix = "reveal"
    reason = _reason(_("查看理由"), rows=2)
