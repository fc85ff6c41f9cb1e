"""Staff sign-in lands each role on its bench, and a clue's files reach only those who may
see the clue."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image

from minsheng.accounts.actors import Actor
from minsheng.clues.services.attachments import attachment_add
from minsheng.clues.workflow import ClueStatus

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (10, 20, 30)).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("username", "bench"),
    [
        ("intake", "web:intake_queue"),
        ("supervisor", "web:supervisor_home"),
        ("admin", "web:intake_queue"),
        ("handler", "web:department_queue"),
    ],
)
def test_work_home_sends_each_role_to_its_bench(client, world, username, bench) -> None:
    client.force_login(world.users[username])
    response = client.get(reverse("web:work_home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(bench)


def test_work_home_is_for_staff_only(client, world) -> None:
    assert client.get(reverse("web:work_home")).status_code == 302  # to the login
    client.force_login(world.users["citizen"])
    assert client.get(reverse("web:work_home")).status_code == 403


def test_an_image_is_shown_inline_to_staff_who_may_see_the_clue(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    photo = attachment_add(
        clue_id=clue.pk, actor=Actor.citizen(), file=io.BytesIO(png()), original_name="现场.png"
    )
    client.force_login(world.users["handler"])
    response = client.get(reverse("web:staff_attachment", args=[photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == png()


def test_a_pdf_is_downloaded_never_shown_inline(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    pdf = attachment_add(
        clue_id=clue.pk,
        actor=world.actor("handler"),
        file=io.BytesIO(PDF),
        original_name="报告.pdf",
    )
    client.force_login(world.users["supervisor"])
    response = client.get(reverse("web:staff_attachment", args=[pdf.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")


def test_another_departments_file_is_not_found(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    photo = attachment_add(
        clue_id=clue.pk, actor=Actor.citizen(), file=io.BytesIO(png()), original_name="现场.png"
    )
    client.force_login(world.users["other_handler"])
    assert client.get(reverse("web:staff_attachment", args=[photo.pk])).status_code == 404
    client.logout()
    response = client.get(reverse("web:staff_attachment", args=[photo.pk]))
    assert response.status_code == 302
    assert reverse("web:staff_login") in response["Location"]
