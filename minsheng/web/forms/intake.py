"""Forms of the intake workbench (受理): dispatch and rejection."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.clues.choices import RejectionReason
from minsheng.directory.choices import Priority
from minsheng.directory.models import Category
from minsheng.web.forms.portal import PortalForm
from minsheng.web.selectors import intake as selectors
from minsheng.web.selectors.portal import active_regions


class DispatchForm(PortalForm):
    """转办: the lead and co-handling departments, with optional corrections first."""

    lead_department = forms.ModelChoiceField(
        label=_("主办单位"), queryset=selectors.intake_departments()
    )
    co_departments = forms.ModelMultipleChoiceField(
        label=_("协办单位"),
        queryset=selectors.intake_departments(),
        required=False,
        help_text=_("可多选；不能与主办单位重复。"),
    )
    category = forms.ModelChoiceField(
        label=_("更正分类"),
        queryset=Category.objects.filter(is_active=True).order_by("path"),
        required=False,
    )
    region = forms.ModelChoiceField(
        label=_("更正区划"),
        queryset=active_regions().order_by("path"),
        required=False,
    )
    priority = forms.ChoiceField(
        label=_("更正优先级"), choices=[("", "—"), *Priority.choices], required=False
    )
    note = forms.CharField(
        label=_("转办意见（选填）"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RejectForm(PortalForm):
    """不予受理: a reason code and the reason in words, both required."""

    reason_code = forms.ChoiceField(label=_("不予受理原因"), choices=RejectionReason.choices)
    reason = forms.CharField(
        label=_("理由说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
