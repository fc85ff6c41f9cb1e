"""Portal uploads: accepted by their bytes; photos lose their EXIF unless asked to keep it."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from minsheng.clues.errors import ClueValidationError
from minsheng.web.services.uploads import upload_prepare, uploads_prepare
from minsheng.web.tests.conftest import has_gps, png_with_gps


def test_gps_is_stripped_by_default_and_kept_on_request() -> None:
    data = png_with_gps()
    assert has_gps(data)
    assert not has_gps(
        upload_prepare(file=io.BytesIO(data), name="a.png", keep_location=False).data
    )
    assert has_gps(upload_prepare(file=io.BytesIO(data), name="a.png", keep_location=True).data)


def test_a_jpeg_keeps_its_picture_but_not_its_exif() -> None:
    exif = Image.Exif()
    exif.get_ifd(0x8825)[1] = "N"
    out = io.BytesIO()
    Image.new("RGB", (16, 8), (0, 0, 255)).save(out, format="JPEG", exif=exif)
    prepared = upload_prepare(file=io.BytesIO(out.getvalue()), name="p.jpg", keep_location=False)
    assert prepared.content_type == "image/jpeg"
    with Image.open(io.BytesIO(prepared.data)) as image:
        assert image.size == (16, 8)
        assert not image.getexif()


def test_a_pdf_passes_untouched() -> None:
    data = b"%PDF-1.4\n%test\n"
    assert upload_prepare(file=io.BytesIO(data), name="a.pdf", keep_location=False).data == data


@pytest.mark.parametrize("data", [b"just some text, not a photo", b"GIF89a\x01\x00\x01\x00", b""])
def test_text_gif_or_empty_files_are_refused_whatever_their_name(data: bytes) -> None:
    with pytest.raises(ClueValidationError) as refused:
        upload_prepare(file=io.BytesIO(data), name="photo.jpg", keep_location=False)
    assert refused.value.field == "attachments"


def test_a_broken_image_is_refused() -> None:
    with pytest.raises(ClueValidationError, match="损坏"):
        upload_prepare(
            file=io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40), name="x.png", keep_location=False
        )


def test_at_most_five_files() -> None:
    files = [(io.BytesIO(b"%PDF-1.4"), f"{n}.pdf") for n in range(6)]
    with pytest.raises(ClueValidationError, match="最多"):
        uploads_prepare(files=files, keep_location=False)
