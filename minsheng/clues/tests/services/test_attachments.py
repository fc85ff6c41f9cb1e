"""Attachments are accepted by content, size-limited, and stored under a hash name."""

from __future__ import annotations

import io

import pytest

from minsheng.accounts.actors import Actor
from minsheng.clues.errors import ActionForbidden, ClueValidationError
from minsheng.clues.services import attachments
from minsheng.clues.services.attachments import attachment_add, sniff_file_kind
from minsheng.clues.tests.conftest import World, receive
from minsheng.clues.workflow import ClueStatus

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"1 0 obj\n" * 8


@pytest.mark.parametrize(
    ("head", "content_type"),
    [
        (b"\xff\xd8\xff\xe0" + b"\x00" * 12, "image/jpeg"),
        (PNG[:16], "image/png"),
        (b"GIF89a" + b"\x00" * 10, "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (PDF[:16], "application/pdf"),
    ],
)
def test_formats_are_recognised_by_their_bytes(head: bytes, content_type: str) -> None:
    kind = sniff_file_kind(head)
    assert kind is not None
    assert kind.content_type == content_type


@pytest.mark.django_db
def test_a_png_is_stored_under_its_hash_whatever_it_was_called(world: World) -> None:
    clue = receive(world)
    attachment = attachment_add(
        clue_id=clue.pk, actor=Actor.citizen(), file=io.BytesIO(PNG), original_name="../../x.pdf"
    )
    assert attachment.content_type == "image/png"
    assert attachment.original_name == "../../x.pdf"
    assert attachment.file.name.endswith(f"{attachment.sha256}.png")
    assert ".." not in attachment.file.name
    assert attachment.file.read() == PNG


@pytest.mark.django_db
def test_a_script_named_like_a_photo_is_refused(world: World) -> None:
    clue = receive(world)
    with pytest.raises(ClueValidationError, match="按文件内容判断"):
        attachment_add(
            clue_id=clue.pk,
            actor=Actor.citizen(),
            file=io.BytesIO(b"<script>alert(1)</script>"),
            original_name="photo.jpg",
        )
    assert clue.attachments.count() == 0


@pytest.mark.django_db
def test_empty_and_oversized_files_are_refused(world: World, monkeypatch) -> None:
    clue = receive(world)
    with pytest.raises(ClueValidationError, match="文件为空"):
        attachment_add(
            clue_id=clue.pk, actor=Actor.citizen(), file=io.BytesIO(b""), original_name="a.png"
        )
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 32)
    with pytest.raises(ClueValidationError, match="不能超过"):
        attachment_add(
            clue_id=clue.pk, actor=Actor.citizen(), file=io.BytesIO(PNG), original_name="a.png"
        )


@pytest.mark.django_db
def test_departments_attach_only_to_their_own_clues(world: World, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    with pytest.raises(ActionForbidden):
        attachment_add(
            clue_id=clue.pk,
            actor=world.actor("other_handler"),
            file=io.BytesIO(PDF),
            original_name="evidence.pdf",
        )
    evidence = attachment_add(
        clue_id=clue.pk,
        actor=world.actor("handler"),
        file=io.BytesIO(PDF),
        original_name="evidence.pdf",
    )
    assert evidence.uploaded_by == world.users["handler"]


@pytest.mark.django_db
def test_nothing_is_attached_to_an_ended_clue(world: World, clue_in) -> None:
    clue = clue_in(ClueStatus.WITHDRAWN)
    with pytest.raises(ClueValidationError, match="已结束"):
        attachment_add(
            clue_id=clue.pk, actor=Actor.citizen(), file=io.BytesIO(PNG), original_name="a.png"
        )
