"""What triage stores: model versions, each clue's triage result, operators' corrections."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ModelVersion(models.Model):
    """A trained model stored under the data directory (never in git), with its metrics.

    Only an active version is used; `triage_train` activates a new one only if it is not
    worse on the evaluation split.
    """

    kind = models.CharField(_("模型类型"), max_length=20, default="category")
    version = models.PositiveIntegerField(_("版本"))
    path = models.CharField(_("存储目录"), max_length=255, help_text=_("相对于数据目录"))
    metrics = models.JSONField(_("评估指标"), default=dict)
    n_train = models.PositiveIntegerField(_("训练样本数"), default=0)
    trained_from = models.JSONField(_("训练来源"), default=dict)
    is_active = models.BooleanField(_("启用"), default=False)
    created_at = models.DateTimeField(_("训练时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("模型版本")
        verbose_name_plural = _("模型版本")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="modelversion_unique"),
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(is_active=True),
                name="modelversion_one_active_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version}"


class TriageStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    DONE = "done", _("已完成")
    NEEDS_HUMAN = "needs_human", _("需人工分拣")
    FAILED = "failed", _("失败待重试")


class TriageResult(models.Model):
    """The latest triage of one clue: suggestions with their reasons and confidence.

    Suggestions never change the clue by themselves; an operator (or, when enabled and
    confident, automatic dispatch) acts on them through the clue services.
    """

    clue = models.OneToOneField(
        "clues.Clue",
        verbose_name=_("问题线索"),
        on_delete=models.CASCADE,
        related_name="triage",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=TriageStatus.choices, default=TriageStatus.PENDING
    )
    model_version = models.ForeignKey(
        ModelVersion,
        verbose_name=_("模型版本"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    categories = models.JSONField(_("分类建议"), default=list)
    subcategories = models.JSONField(_("二级分类建议"), default=list)
    region = models.ForeignKey(
        "directory.Region",
        verbose_name=_("区划建议"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    places = models.JSONField(_("地点识别"), default=dict)
    urgency = models.JSONField(_("紧急程度"), default=dict)
    duplicates = models.JSONField(_("重复与相似线索"), default=list)
    routing = models.JSONField(_("转办建议"), default=dict)
    masked_title = models.CharField(_("脱敏标题"), max_length=200, blank=True)
    masked_content = models.TextField(_("脱敏内容"), blank=True)
    pii_kinds = models.JSONField(_("识别的个人信息类型"), default=list)
    confidence = models.FloatField(_("置信度"), default=0.0)
    notes = models.JSONField(_("说明"), default=list)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    duration_ms = models.FloatField(_("耗时（毫秒）"), default=0.0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("分拣结果")
        verbose_name_plural = _("分拣结果")
        indexes = [models.Index(fields=["status"], name="triageresult_status_idx")]

    def __str__(self) -> str:
        return f"{self.clue_id} {self.status}"


class TriageLabel(models.Model):
    """An operator's correction, kept as a training label (category, region, department,
    duplicate link), with what the triage had suggested."""

    FIELDS = (
        ("category", _("分类")),
        ("region", _("区划")),
        ("department", _("承办单位")),
        ("duplicate", _("重复线索")),
    )

    clue = models.ForeignKey("clues.Clue", on_delete=models.CASCADE, related_name="triage_labels")
    field = models.CharField(_("字段"), max_length=12, choices=FIELDS)
    value = models.CharField(_("人工结果"), max_length=64)
    suggested = models.CharField(_("系统建议"), max_length=64, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    event = models.ForeignKey(
        "clues.ClueEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("人工标注")
        verbose_name_plural = _("人工标注")
        constraints = [
            models.UniqueConstraint(fields=["event", "field"], name="triagelabel_once_per_event"),
        ]

    def __str__(self) -> str:
        return f"{self.clue_id} {self.field}={self.value}"
