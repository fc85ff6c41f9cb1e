"""Forms of the intake workbench (受理): dispatch, rejection, and linking or merging a
duplicate after comparing two clues."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from minsheng.clues.choices import LinkKind, RejectionReason
from minsheng.directory.choices import Priority
from minsheng.directory.models import Category, Region
from minsheng.web.forms.portal import PortalForm, RegionChainField
from minsheng.web.selectors import intake as selectors


class DispatchForm(PortalForm):
    """转办: the lead and co-handling departments, with optional corrections first.

    The region correction is the portal's cascading picker (one value per level, all named
    "region"); without script a flat list sends a single value, which the field accepts.
    """

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
    region = RegionChainField(
        label=_("更正区划"),
        required=False,
        help_text=_("逐级选择省、市、区县、街道；不更改则保持原区划。"),
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

    def region_choice(self) -> Region | None:
        """The region the picker shows chosen: what was posted when the form is shown
        again with errors, else the clue's current region."""
        if not self.is_bound:
            initial = self.initial.get("region")
            return initial if isinstance(initial, Region) else None
        try:
            region = self.fields["region"].to_python(self["region"].value())
        except ValidationError:
            return None
        return region if isinstance(region, Region) else None


class RejectForm(PortalForm):
    """不予受理: a reason code and the reason in words, both required."""

    reason_code = forms.ChoiceField(label=_("不予受理原因"), choices=RejectionReason.choices)
    reason = forms.CharField(
        label=_("理由说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class _IdPrefixedForm(PortalForm):
    """A form whose element ids start with `id_<id_prefix>_`, so that it can share a page
    with the dispatch and reject forms (the merge form also has a "reason")."""

    id_prefix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class CompareLookupForm(_IdPrefixedForm):
    """比较: another clue named by its tracking code."""

    id_prefix = "compare"
    code = forms.CharField(
        label=_("受理编号"),
        max_length=40,
        help_text=_("输入另一条线索的受理编号，与本线索并排比较。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class LinkForm(_IdPrefixedForm):
    """关联: record the other clue as a duplicate of, or similar to, this one."""

    id_prefix = "link"
    kind = forms.ChoiceField(
        label=_("关联类型"), choices=LinkKind.choices, widget=forms.RadioSelect
    )


class MergeForm(_IdPrefixedForm):
    """合并: this clue ends as merged; the other one carries the handling."""

    id_prefix = "merge"
    reason = forms.CharField(
        label=_("合并理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("合并后本线索终结，由对比线索继续办理；理由将记入办理记录。"),
    )
