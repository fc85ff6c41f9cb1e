"""Attachments: files are accepted by what their bytes are, never by their name."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import IO

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.accounts.actors import Actor
from minsheng.accounts.roles import Role
from minsheng.clues import permissions
from minsheng.clues.errors import ActionForbidden, ClueValidationError
from minsheng.clues.models import Attachment, Clue, VerificationReport
from minsheng.clues.workflow import TERMINAL_STATUSES

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS_PER_CLUE = 20


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str


def sniff_file_kind(head: bytes) -> FileKind | None:
    """Recognise the formats we accept from their first bytes (magic numbers)."""
    if head.startswith(b"\xff\xd8\xff"):
        return FileKind("image/jpeg", "jpg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileKind("image/png", "png")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return FileKind("image/gif", "gif")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FileKind("image/webp", "webp")
    if head.startswith(b"%PDF-"):
        return FileKind("application/pdf", "pdf")
    return None


UPLOAD_ROLES = frozenset(
    {
        Role.CITIZEN,
        Role.INTAKE,
        Role.DEPT_HANDLER,
        Role.DEPT_HEAD,
        Role.SUPERVISOR,
        Role.INSPECTOR,
        Role.ADMIN,
        Role.SYSTEM,
    }
)


def attachment_add(
    *,
    clue_id: int,
    actor: Actor,
    file: IO[bytes],
    original_name: str,
    report: VerificationReport | None = None,
) -> Attachment:
    """Store a photo or PDF on a clue (or as evidence on a report).

    Preconditions: the clue is open; department staff attach only to clues assigned to
    them. The bytes decide the type; the stored name is the content hash, never the
    uploader's name (kept for display only).
    """
    if actor.role not in UPLOAD_ROLES:
        raise ActionForbidden(_("无权上传附件。"))
    data = file.read(MAX_ATTACHMENT_BYTES + 1)
    if not data:
        raise ClueValidationError(_("文件为空。"), field="file")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise ClueValidationError(
            _("文件不能超过%(mb)dMB。") % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
            field="file",
        )
    kind = sniff_file_kind(data[:16])
    if kind is None:
        raise ClueValidationError(
            _("只接受 JPEG、PNG、GIF、WebP 图片和 PDF 文件（按文件内容判断）。"), field="file"
        )
    with transaction.atomic():
        clue = Clue.objects.select_for_update().get(pk=clue_id)
        if clue.status in TERMINAL_STATUSES:
            raise ClueValidationError(_("线索已结束，不能再上传附件。"), field="file")
        if permissions.is_department_role(actor.role) and (
            permissions.department_assignment(clue, actor.department_id) is None
        ):
            raise ActionForbidden(_("本单位没有该线索的承办任务。"))
        if report is not None and report.clue_id != clue.pk:
            raise ClueValidationError(_("核查报告不属于该线索。"), field="report")
        if clue.attachments.count() >= MAX_ATTACHMENTS_PER_CLUE:
            raise ClueValidationError(
                _("每条线索最多%(n)d个附件。") % {"n": MAX_ATTACHMENTS_PER_CLUE}, field="file"
            )
        digest = hashlib.sha256(data).hexdigest()
        attachment = Attachment(
            clue=clue,
            report=report,
            original_name=original_name.strip()[-200:] or f"file.{kind.extension}",
            content_type=kind.content_type,
            size=len(data),
            sha256=digest,
            uploaded_by=actor.user,
        )
        attachment.file.save(f"{digest}.{kind.extension}", ContentFile(data), save=False)
        attachment.save(force_insert=True)
    return attachment
