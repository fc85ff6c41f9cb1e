"""Enumerations of the clue domain. Statuses live in workflow.py with the transition table."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WEB = "web", _("网站")
    API = "api", _("接口")
    OPEN311 = "open311", _("Open311")
    PHONE_IMPORT = "phone_import", _("热线导入")
    BULK_IMPORT = "bulk_import", _("批量导入")


class Outcome(models.TextChoices):
    """How a clue ended. Only RESOLVED counts as "fixed" in statistics."""

    RESOLVED = "resolved", _("已解决")
    EXPLAINED = "explained", _("已解释说明")
    NOT_SUBSTANTIATED = "not_substantiated", _("反映不属实")
    OUTSIDE_REMIT = "outside_remit", _("不属于受理范围")
    WITHDRAWN = "withdrawn", _("群众撤回")
    MERGED = "merged", _("合并办理")
    INVALID = "invalid", _("无效线索")


# Outcomes a reviewer may choose when closing a handled clue; the others follow from the
# transition that ended the clue (withdraw, merge, reject).
CLOSING_OUTCOMES = frozenset(
    {Outcome.RESOLVED, Outcome.EXPLAINED, Outcome.NOT_SUBSTANTIATED, Outcome.OUTSIDE_REMIT}
)


class RejectionReason(models.TextChoices):
    SPAM = "spam", _("垃圾信息")
    OUT_OF_SCOPE = "out_of_scope", _("不属于受理范围")
    INSUFFICIENT = "insufficient", _("内容不完整无法办理")
    ABUSIVE = "abusive", _("含有违法或辱骂内容")
    OTHER = "other", _("其他")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("主办")
    CO = "co", _("协办")


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", _("待签收")
    ACCEPTED = "accepted", _("办理中")
    RETURNED = "returned", _("已退回")
    CONTRIBUTED = "contributed", _("已提交协办意见")
    REPORTED = "reported", _("已报结")
    COMPLETED = "completed", _("已完成")
    CANCELLED = "cancelled", _("已撤销")


OPEN_ASSIGNMENT_STATUSES = frozenset(
    {AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED, AssignmentStatus.REPORTED}
)


class VerificationMethod(models.TextChoices):
    WEB_SEARCH = "web_search", _("网络搜索")
    ONLINE_INTERVIEW = "online_interview", _("线上访谈")
    ONLINE_EVIDENCE = "online_evidence", _("线上取证")
    REMOTE_DOCUMENTS = "remote_documents", _("远程调阅资料")
    VIDEO_LINK = "video_link", _("视频连线")
    ON_SITE = "on_site", _("实地核查")


REMOTE_METHODS = frozenset(set(VerificationMethod) - {VerificationMethod.ON_SITE})


class Conclusion(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("属实")
    PARTLY = "partly", _("部分属实")
    NOT_SUBSTANTIATED = "not_substantiated", _("不属实")


class Satisfaction(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("非常满意")
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class ContactPreference(models.TextChoices):
    PHONE = "phone", _("电话")
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")
    NONE = "none", _("无需联系")


class LinkKind(models.TextChoices):
    DUPLICATE = "duplicate", _("重复")
    SIMILAR = "similar", _("相似")
