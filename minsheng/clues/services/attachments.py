"""Attachments: files are accepted by what their bytes are, never by their name."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.accounts.actors import Actor
from minsheng.accounts.roles import Role
from minsheng.clues import permissions
from minsheng.clues.errors import ActionForbidden, ClueValidationError
from minsheng.clues.models import Attachment, Clue, VerificationReport, VerificationStep
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


@dataclass(frozen=True)
class CheckedFile:
    """A file whose bytes passed the checks, read and ready to store."""

    data: bytes
    kind: FileKind
    original_name: str


def attachment_check(*, file: IO[bytes], original_name: str, field: str = "file") -> CheckedFile:
    """Read one file and accept it by its content: not empty, not too big, a known format.

    Raises ClueValidationError naming `field`; writes nothing.
    """
    data = file.read(MAX_ATTACHMENT_BYTES + 1)
    if not data:
        raise ClueValidationError(_("文件为空。"), field=field)
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise ClueValidationError(
            _("文件不能超过%(mb)dMB。") % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
            field=field,
        )
    kind = sniff_file_kind(data[:16])
    if kind is None:
        raise ClueValidationError(
            _("只接受 JPEG、PNG、GIF、WebP 图片和 PDF 文件（按文件内容判断）。"), field=field
        )
    return CheckedFile(data=data, kind=kind, original_name=original_name)


def attachments_check(
    *, files: Sequence[tuple[IO[bytes], str]], field: str = "file"
) -> list[CheckedFile]:
    """Check every file of a form before anything is stored, so that one bad file stops
    the whole action with an error that names it."""
    checked: list[CheckedFile] = []
    for file, name in files:
        try:
            checked.append(attachment_check(file=file, original_name=name, field=field))
        except ClueValidationError as error:
            raise ClueValidationError(
                _("文件“%(name)s”：%(error)s") % {"name": name, "error": error.message},
                field=field,
            ) from error
    return checked


def attachment_room_check(clue: Clue, adding: int, *, field: str = "file") -> None:
    """Raise unless `adding` more files fit within the clue's limit."""
    if clue.attachments.count() + adding > MAX_ATTACHMENTS_PER_CLUE:
        raise ClueValidationError(
            _("每条线索最多%(n)d个附件。") % {"n": MAX_ATTACHMENTS_PER_CLUE}, field=field
        )


def _check_step_evidence(clue: Clue, actor: Actor, step: VerificationStep) -> None:
    """Evidence goes only on a step of this clue, recorded by the actor's own department."""
    assignment = step.assignment
    if assignment.clue_id != clue.pk:
        raise ClueValidationError(_("核查记录不属于该线索。"), field="verification_step")
    if actor.department_id is None or assignment.department_id != actor.department_id:
        raise ActionForbidden(_("只能为本单位的核查记录上传证据。"))


def attachment_add(
    *,
    clue_id: int,
    actor: Actor,
    file: IO[bytes],
    original_name: str,
    report: VerificationReport | None = None,
    verification_step: VerificationStep | None = None,
) -> Attachment:
    """Store a photo or PDF on a clue, or as evidence on a report or a verification step.

    Preconditions: the clue is open; department staff attach only to clues assigned to
    them; a verification step belongs to the clue and to the actor's department. The bytes
    decide the type; the stored name is the content hash, never the uploader's name (kept
    for display only).
    """
    if actor.role not in UPLOAD_ROLES:
        raise ActionForbidden(_("无权上传附件。"))
    checked = attachment_check(file=file, original_name=original_name)
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
        if verification_step is not None:
            _check_step_evidence(clue, actor, verification_step)
        attachment_room_check(clue, 1)
        return attachment_store(
            clue=clue,
            actor=actor,
            checked=checked,
            report=report,
            verification_step=verification_step,
        )


def attachment_store(
    *,
    clue: Clue,
    actor: Actor,
    checked: CheckedFile,
    report: VerificationReport | None = None,
    verification_step: VerificationStep | None = None,
) -> Attachment:
    """Write a file `attachment_check` accepted, named by its content hash.

    Preconditions: the caller holds the clue's row lock and has made every check of
    `attachment_add` (or the transition it runs in has), room on the clue included.
    """
    kind = checked.kind
    digest = hashlib.sha256(checked.data).hexdigest()
    attachment = Attachment(
        clue=clue,
        report=report,
        verification_step=verification_step,
        original_name=checked.original_name.strip()[-200:] or f"file.{kind.extension}",
        content_type=kind.content_type,
        size=len(checked.data),
        sha256=digest,
        uploaded_by=actor.user,
    )
    attachment.file.save(f"{digest}.{kind.extension}", ContentFile(checked.data), save=False)
    attachment.save(force_insert=True)
    return attachment
