"""Clues, the complainant's identity, assignments, verification reports and the event chain."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.roles import Role
from minsheng.clues.choices import (
    AssignmentRole,
    AssignmentStatus,
    Channel,
    Conclusion,
    ContactPreference,
    LinkKind,
    Outcome,
    Satisfaction,
    VerificationMethod,
)
from minsheng.clues.workflow import Action, ClueStatus
from minsheng.directory.choices import Priority


class Tag(models.Model):
    """A label on clues, such as "typical case" (典型案例)."""

    TYPICAL = "typical"

    slug = models.SlugField(_("标识"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40)

    class Meta:
        verbose_name = _("标签")
        verbose_name_plural = _("标签")

    def __str__(self) -> str:
        return self.name


class Clue(models.Model):
    """A problem clue (问题线索) or suggestion from the public.

    The tracking code may be read out on the phone; it reveals nothing on its own, since
    looking a clue up also needs the query secret (stored hashed). Identity lives apart in
    `Complainant`. `status` is written only by `services.lifecycle.clue_transition`.
    """

    tracking_code = models.CharField(_("受理编号"), max_length=20, unique=True)
    query_secret_hash = models.CharField(_("查询码摘要"), max_length=128, blank=True)
    channel = models.CharField(_("来源渠道"), max_length=20, choices=Channel.choices)
    source = models.CharField(
        _("来源批次"), max_length=60, blank=True, help_text=_("导入来源名，与外部编号一起去重。")
    )
    external_id = models.CharField(_("外部编号"), max_length=64, blank=True)
    fingerprint = models.CharField(_("内容指纹"), max_length=64, db_index=True)

    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("内容"))
    category = models.ForeignKey(
        "directory.Category",
        verbose_name=_("问题分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clues",
    )
    source_category_label = models.CharField(_("原始分类"), max_length=60, blank=True)
    region = models.ForeignKey(
        "directory.Region",
        verbose_name=_("所在区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clues",
    )
    place_text = models.CharField(_("详细地点"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    reported_at = models.DateTimeField(_("反映时间"), db_index=True)
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now)

    is_anonymous = models.BooleanField(_("匿名"), default=False)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("群众账户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_clues",
    )
    priority = models.CharField(
        _("优先级"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("状态"),
        max_length=24,
        choices=ClueStatus.choices,
        default=ClueStatus.RECEIVED,
        db_index=True,
        editable=False,
    )
    outcome = models.CharField(_("办结结果"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("结果说明"), blank=True)
    responsible_body = models.CharField(
        _("有权处理机关"),
        max_length=100,
        blank=True,
        help_text=_("不属于受理范围时，写明应向哪个机关反映。"),
    )

    accept_due = models.DateField(_("签收期限"), null=True, blank=True)
    handle_due = models.DateField(_("办结期限"), null=True, blank=True, db_index=True)
    paused_since = models.DateTimeField(_("暂停计时起"), null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(_("累计暂停工作日"), default=0)
    extension_days = models.PositiveIntegerField(_("累计延期工作日"), default=0)

    answer = models.TextField(_("答复意见"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        "directory.Department",
        verbose_name=_("答复单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answered_clues",
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    satisfaction = models.CharField(
        _("满意度"), max_length=20, choices=Satisfaction.choices, blank=True
    )
    satisfaction_comment = models.TextField(_("评价意见"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("重启次数"), default=0)
    return_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    send_back_count = models.PositiveSmallIntegerField(_("退回重办次数"), default=0)

    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并至"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_clues",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("标签"), blank=True, related_name="clues")
    is_public = models.BooleanField(_("公开"), default=False)
    up_votes = models.PositiveIntegerField(_("点赞数"), default=0)
    down_votes = models.PositiveIntegerField(_("反对数"), default=0)

    # Head of the event chain, kept here so appending needs no extra query.
    last_event_seq = models.PositiveIntegerField(default=0, editable=False)
    last_event_hash = models.CharField(max_length=64, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("问题线索")
        verbose_name_plural = _("问题线索")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~models.Q(external_id=""),
                name="clue_unique_external_id_per_source",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "handle_due"], name="clue_status_due_idx"),
            models.Index(fields=["category", "region"], name="clue_category_region_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.title}"


class Complainant(models.Model):
    """Who reported a clue. Visible unmasked to intake and supervision roles only."""

    clue = models.OneToOneField(
        Clue, verbose_name=_("问题线索"), on_delete=models.CASCADE, related_name="complainant"
    )
    name = models.CharField(_("姓名"), max_length=60, blank=True)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("联系地址"), max_length=200, blank=True)
    external_user = models.CharField(_("来源用户标识"), max_length=60, blank=True)
    contact_preference = models.CharField(
        _("联系方式偏好"),
        max_length=10,
        choices=ContactPreference.choices,
        default=ContactPreference.PHONE,
    )

    class Meta:
        verbose_name = _("反映人")
        verbose_name_plural = _("反映人")

    def __str__(self) -> str:
        return f"{self.clue_id}"


class Assignment(models.Model):
    """A transfer (转办) of a clue to one department, as lead or co-handler."""

    clue = models.ForeignKey(
        Clue, verbose_name=_("问题线索"), on_delete=models.PROTECT, related_name="assignments"
    )
    department = models.ForeignKey(
        "directory.Department",
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    role = models.CharField(_("承办角色"), max_length=8, choices=AssignmentRole.choices)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.PENDING,
        editable=False,
    )
    rule = models.ForeignKey(
        "directory.ResponsibilityRule",
        verbose_name=_("依据责任清单条目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignments",
    )
    dispatched_at = models.DateTimeField(_("转办时间"))
    accept_due = models.DateField(_("签收期限"))
    handle_due = models.DateField(_("办结期限"))
    accepted_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    note = models.TextField(_("转办意见"), blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    contribution = models.TextField(_("协办意见"), blank=True)

    class Meta:
        verbose_name = _("转办")
        verbose_name_plural = _("转办")
        ordering = ["handle_due"]
        indexes = [
            models.Index(fields=["department", "status"], name="assignment_dept_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.clue_id} → {self.department_id} ({self.role})"


class VerificationStep(models.Model):
    """One act of verification (核查): how, by whom, when, and what was found."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("转办"), on_delete=models.PROTECT, related_name="steps"
    )
    method = models.CharField(_("核查方式"), max_length=20, choices=VerificationMethod.choices)
    performed_by = models.CharField(_("核查人"), max_length=100)
    performed_at = models.DateTimeField(_("核查时间"))
    findings = models.TextField(_("核查情况"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("核查记录")
        verbose_name_plural = _("核查记录")
        ordering = ["performed_at"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.performed_at:%Y-%m-%d}"


class VerificationReport(models.Model):
    """The lead department's result: methods, findings, conclusion, actions taken."""

    clue = models.ForeignKey(
        Clue, verbose_name=_("问题线索"), on_delete=models.PROTECT, related_name="reports"
    )
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("转办"), on_delete=models.PROTECT, related_name="reports"
    )
    methods = models.JSONField(_("核查方式"), default=list)
    findings = models.TextField(_("核查情况"))
    conclusion = models.CharField(_("核查结论"), max_length=20, choices=Conclusion.choices)
    actions_taken = models.TextField(_("处理措施"), blank=True)
    proposed_answer = models.TextField(_("拟答复意见"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("报送时间"))

    class Meta:
        verbose_name = _("核查报告")
        verbose_name_plural = _("核查报告")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.clue_id} {self.get_conclusion_display()}"


EXTENSIONS_BY_TYPE = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/pdf": "pdf",
}


def attachment_path(instance: Attachment, filename: str) -> str:
    """The stored name is the content hash and the sniffed type, never the uploader's name."""
    extension = EXTENSIONS_BY_TYPE.get(instance.content_type, "bin")
    return f"attachments/{timezone.now():%Y/%m}/{instance.sha256}.{extension}"


class Attachment(models.Model):
    """A file attached to a clue (by the citizen), or evidence on a verification step or a
    report (by the department that recorded it)."""

    clue = models.ForeignKey(
        Clue, verbose_name=_("问题线索"), on_delete=models.PROTECT, related_name="attachments"
    )
    report = models.ForeignKey(
        VerificationReport,
        verbose_name=_("核查报告"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    verification_step = models.ForeignKey(
        VerificationStep,
        verbose_name=_("核查记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    file = models.FileField(_("文件"), upload_to=attachment_path)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.original_name


class ClueLink(models.Model):
    """A link between two clues: a likely duplicate or a similar clue."""

    from_clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="links_out")
    to_clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(_("关联类型"), max_length=10, choices=LinkKind.choices)
    score = models.FloatField(_("相似度"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("线索关联")
        verbose_name_plural = _("线索关联")
        constraints = [
            models.UniqueConstraint(fields=["from_clue", "to_clue"], name="cluelink_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.from_clue_id} ~ {self.to_clue_id}"


class ImmutableEventError(Exception):
    """Raised on any attempt to change or delete a recorded event."""


class ClueEvent(models.Model):
    """An immutable record of one action on a clue, chained by hash to the one before it."""

    clue = models.ForeignKey(Clue, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=24, choices=Action.choices)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_role = models.CharField(max_length=20, choices=Role.choices)
    actor_name = models.CharField(max_length=100, blank=True)
    reason = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["clue_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["clue", "seq"], name="clueevent_unique_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.clue_id}#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableEventError("Clue events are immutable once written.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableEventError("Clue events cannot be deleted.")
