"""Forms of the citizen portal. They parse and check the shape of input; the clue services
keep the domain rules (phone and ID number formats, lengths, transitions)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from minsheng.clues.choices import ContactPreference, Satisfaction
from minsheng.clues.services.citizen import MAX_INFO_LENGTH
from minsheng.clues.services.intake import MAX_CONTENT_LENGTH, MAX_TITLE_LENGTH, ComplainantData
from minsheng.directory.models import Category, Region
from minsheng.notifications.backends import channel_available
from minsheng.notifications.models import MessageChannel
from minsheng.privacy.validators import MOBILE_RE, normalize_phone
from minsheng.web.selectors import portal as selectors
from minsheng.web.services.spam import HONEYPOT_FIELD
from minsheng.web.services.uploads import MAX_PORTAL_ATTACHMENTS

# portal.js shows a live count under textareas that carry this template.
COUNTER_TEXT = _("已输入 %(n)s 字，最多 %(max)s 字")
ACCEPTED_FILES = "image/jpeg,image/png,image/webp,application/pdf,.jpg,.jpeg,.png,.webp,.pdf"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; each is checked by its content later."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_FILES}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single_clean = super().clean
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [single_clean(file, initial) for file in files if file]
        if len(cleaned) > MAX_PORTAL_ATTACHMENTS:
            raise ValidationError(
                _("最多上传%(n)d个附件。"), params={"n": MAX_PORTAL_ATTACHMENTS}, code="too_many"
            )
        return cleaned


class RegionChainWidget(forms.Widget):
    """The region picker sends one value per level (all named "region"); see region_chain."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name, "")]
        return [str(value) for value in values if value]


class RegionChainField(forms.Field):
    widget = RegionChainWidget

    def to_python(self, value: Any) -> Region | None:
        values = value if isinstance(value, list) else [value] if value else []
        ids = [int(v) for v in values if str(v).isdigit()]
        region = selectors.region_from_chain(ids)
        if ids and region is None:
            raise ValidationError(_("所选地区无效，请重新选择。"), code="invalid")
        return region


class PortalForm(forms.Form):
    """Labels without a trailing colon (they sit above their fields, or after a checkbox)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class IdentityChoice:
    REAL_NAME = "real_name"
    ANONYMOUS = "anonymous"


class SubmitForm(PortalForm):
    """提交线索: the clue, where it happened, files, identity and consent."""

    title = forms.CharField(label=_("标题"), max_length=MAX_TITLE_LENGTH)
    content = forms.CharField(
        label=_("问题描述"),
        max_length=MAX_CONTENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8, "data-counter": COUNTER_TEXT}),
        help_text=_("请写明发生了什么、持续多久、涉及哪个单位或企业。"),
    )
    category = forms.TypedChoiceField(
        label=_("问题分类"), coerce=int, required=False, empty_value=None
    )
    region = RegionChainField(label=_("所在地区"))
    place_text = forms.CharField(
        label=_("详细地点"),
        max_length=200,
        required=False,
        help_text=_("如街道门牌、小区楼栋、道路路段。"),
    )
    attachments = MultipleFileField(
        label=_("附件（照片或PDF）"),
        required=False,
        help_text=_("最多5个，每个不超过10MB；支持 JPEG、PNG、WebP 图片和 PDF。"),
    )
    keep_location = forms.BooleanField(
        label=_("保留照片中的拍摄位置信息"),
        required=False,
        help_text=_("默认会去除照片里的定位等信息以保护您的隐私；勾选后保留，便于核查地点。"),
    )
    identity = forms.ChoiceField(
        label=_("反映方式"),
        choices=[(IdentityChoice.REAL_NAME, _("实名")), (IdentityChoice.ANONYMOUS, _("匿名"))],
        initial=IdentityChoice.REAL_NAME,
        widget=forms.RadioSelect,
        help_text=_("实名反映便于责任单位联系您核实情况；您的身份信息受保护，仅授权人员可见。"),
    )
    name = forms.CharField(label=_("姓名"), max_length=60, required=False)
    phone = forms.CharField(
        label=_("手机或电话"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    id_number = forms.CharField(label=_("身份证号（选填）"), max_length=18, required=False)
    email = forms.CharField(
        label=_("电子邮箱（选填）"),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email"}),
    )
    address = forms.CharField(label=_("联系地址（选填）"), max_length=200, required=False)
    contact_preference = forms.ChoiceField(
        label=_("希望的联系方式"),
        choices=ContactPreference.choices,
        initial=ContactPreference.PHONE,
        widget=forms.RadioSelect,
    )
    send_receipt_by = forms.ChoiceField(
        label=_("把受理编号和查询码发送给我"),
        required=False,
        initial="",
        widget=forms.RadioSelect,
        help_text=_(
            "选填，仅限实名反映：发送到上面填写的手机号码或电子邮箱，便于您保存。"
            "匿名反映不留联系方式，无法发送，请在提交后自行保存受理编号和查询码。"
        ),
    )
    consent = forms.BooleanField(
        label=_("我已阅读并同意隐私说明"),
        error_messages={"required": _("请阅读并同意隐私说明后再提交。")},
    )
    website = forms.CharField(label=_("请勿填写此栏"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        assert isinstance(category, forms.TypedChoiceField)
        category.choices = [("", _("不确定，由工作人员分类")), *selectors.category_groups()]
        self.fields["region"].required = selectors.active_regions().exists()
        self.fields[HONEYPOT_FIELD].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        category.widget.attrs["data-search"] = _("输入关键词筛选分类")
        self._offer_receipt_channels()

    def _offer_receipt_channels(self) -> None:
        """Offer only the channels that can send now (no SMS without a gateway)."""
        labels = {
            MessageChannel.SMS: _("短信，发送到填写的手机号码"),
            MessageChannel.EMAIL: _("电子邮件，发送到填写的邮箱"),
        }
        offered = [
            (channel, label) for channel, label in labels.items() if channel_available(channel)
        ]
        if not offered:
            del self.fields["send_receipt_by"]
            return
        field = self.fields["send_receipt_by"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("不发送")), *offered]

    @property
    def offers_receipt(self) -> bool:
        return "send_receipt_by" in self.fields

    def clean_category(self) -> Category | None:
        pk = self.cleaned_data.get("category")
        if pk is None:
            return None
        category = selectors.category_leaf(int(pk))
        if category is None:
            raise ValidationError(_("所选分类无效，请重新选择。"), code="invalid")
        return category

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_receipt_contact(data)
        if data.get("identity") != IdentityChoice.REAL_NAME:
            return data
        if not str(data.get("name", "")).strip():
            self.add_error("name", _("实名反映请填写姓名。"))
        preference = data.get("contact_preference")
        phone, email = str(data.get("phone", "")).strip(), str(data.get("email", "")).strip()
        if preference in (ContactPreference.PHONE, ContactPreference.SMS) and not phone:
            self.add_error("phone", _("选择电话或短信联系时请填写电话号码。"))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                self.add_error("email", _("电子邮箱格式不正确。"))
        elif preference == ContactPreference.EMAIL:
            self.add_error("email", _("选择电子邮件联系时请填写邮箱。"))
        return data

    def _check_receipt_contact(self, data: dict[str, Any]) -> None:
        """The receipt goes to the contact given above: there must be one for the channel."""
        channel = data.get("send_receipt_by") or ""
        if not channel:
            return
        phone = normalize_phone(str(data.get("phone", "")).strip())
        if data.get("identity") != IdentityChoice.REAL_NAME:
            self.add_error(
                "send_receipt_by",
                _("匿名反映不留联系方式，无法发送。请选择“不发送”，或改为实名并填写联系方式。"),
            )
        elif channel == MessageChannel.SMS and not phone:
            self.add_error("send_receipt_by", _("选择短信发送时，请在上面填写手机号码。"))
        elif channel == MessageChannel.SMS and not MOBILE_RE.match(phone):
            self.add_error(
                "send_receipt_by",
                _("短信只能发送到手机号码：请填写手机号码，或改用电子邮件、不发送。"),
            )
        elif channel == MessageChannel.EMAIL and not str(data.get("email", "")).strip():
            self.add_error("send_receipt_by", _("选择电子邮件发送时，请在上面填写电子邮箱。"))

    @property
    def receipt_channel(self) -> str:
        """The channel the citizen asked the receipt on, or "" (not asked, or not offered)."""
        return str(self.cleaned_data.get("send_receipt_by") or "")

    @property
    def is_anonymous(self) -> bool:
        return self.cleaned_data.get("identity") == IdentityChoice.ANONYMOUS

    def complainant(self) -> ComplainantData | None:
        if self.is_anonymous:
            return None
        data = self.cleaned_data
        return ComplainantData(
            name=data.get("name", ""),
            phone=data.get("phone", ""),
            id_number=data.get("id_number", ""),
            email=data.get("email", ""),
            address=data.get("address", ""),
            contact_preference=data.get("contact_preference", ContactPreference.PHONE),
        )

    def region_value(self) -> Region | None:
        """The region to show chosen (also when the form is re-shown with errors)."""
        if not self.is_bound:
            return None
        try:
            return self.fields["region"].to_python(self["region"].value())  # type: ignore[no-any-return]
        except ValidationError:
            return None


class TrackForm(PortalForm):
    """查询: the tracking code and the query secret."""

    tracking_code = forms.CharField(
        label=_("受理编号"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    query_secret = forms.CharField(
        label=_("查询码"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class AddInfoForm(PortalForm):
    text = forms.CharField(
        label=_("补充内容"),
        max_length=MAX_INFO_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "data-counter": COUNTER_TEXT}),
    )


class RateForm(PortalForm):
    satisfaction = forms.ChoiceField(
        label=_("您对答复满意吗？"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("评价意见（选填）"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReopenForm(PortalForm):
    reason = forms.CharField(
        label=_("请说明哪里不满意、希望如何处理"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WithdrawForm(PortalForm):
    reason = forms.CharField(
        label=_("撤回原因"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
