"""Files a citizen attaches in the portal: checked by their bytes, photos cleaned of EXIF.

The attachments service decides what it stores; this module narrows the portal to photos
and PDFs and re-encodes photos so that the camera's metadata (GPS position, device serial,
time) is not kept unless the citizen asks to keep the location.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from minsheng.clues.errors import ClueValidationError
from minsheng.clues.services.attachments import MAX_ATTACHMENT_BYTES, sniff_file_kind

MAX_PORTAL_ATTACHMENTS = 5
PORTAL_CONTENT_TYPES = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WEBP",
    "application/pdf": "",
}


@dataclass(frozen=True)
class PreparedUpload:
    """A checked file ready for `attachment_add`."""

    name: str
    data: bytes
    content_type: str


def _reencoded(data: bytes, pil_format: str) -> bytes:
    """The picture drawn again without metadata; its orientation tag applied first."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            if pil_format == "JPEG" and upright.mode not in ("RGB", "L", "CMYK"):
                upright = upright.convert("RGB")
            out = io.BytesIO()
            options: dict[str, object] = {"quality": 90} if pil_format != "PNG" else {}
            upright.save(out, format=pil_format, **options)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ClueValidationError(_("图片文件已损坏，无法读取。"), field="attachments") from exc
    return out.getvalue()


def upload_prepare(*, file: IO[bytes], name: str, keep_location: bool) -> PreparedUpload:
    """Check one file by its content; re-encode photos unless `keep_location`."""
    data = file.read(MAX_ATTACHMENT_BYTES + 1)
    if not data:
        raise ClueValidationError(_("文件“%(name)s”是空的。") % {"name": name}, field="attachments")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise ClueValidationError(
            _("文件“%(name)s”超过%(mb)dMB。")
            % {"name": name, "mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
            field="attachments",
        )
    kind = sniff_file_kind(data[:16])
    if kind is None or kind.content_type not in PORTAL_CONTENT_TYPES:
        raise ClueValidationError(
            _("文件“%(name)s”不是 JPEG、PNG、WebP 图片或 PDF 文件（按文件内容判断）。")
            % {"name": name},
            field="attachments",
        )
    pil_format = PORTAL_CONTENT_TYPES[kind.content_type]
    if pil_format and not keep_location:
        data = _reencoded(data, pil_format)
    return PreparedUpload(name=name, data=data, content_type=kind.content_type)


def uploads_prepare(
    *, files: Iterable[tuple[IO[bytes], str]], keep_location: bool
) -> list[PreparedUpload]:
    """Check every file (at most MAX_PORTAL_ATTACHMENTS) before anything is stored."""
    files = list(files)
    if len(files) > MAX_PORTAL_ATTACHMENTS:
        raise ClueValidationError(
            _("最多上传%(n)d个附件。") % {"n": MAX_PORTAL_ATTACHMENTS}, field="attachments"
        )
    return [
        upload_prepare(file=file, name=name, keep_location=keep_location) for file, name in files
    ]
