"""提交线索: the submission form, its spam checks and rate limits, and the one-time receipt."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from minsheng.clues.models import Clue, Complainant
from minsheng.clues.services.codes import check_query_secret, format_tracking_code
from minsheng.clues.workflow import ClueStatus
from minsheng.web.tests.conftest import aged_token, has_gps, png_with_gps, submission

SUBMIT = reverse("web:portal_submit")
DONE = reverse("web:portal_submit_done")

pytestmark = pytest.mark.django_db


def _secret_from(html: str) -> str:
    marker = 'data-testid="query-secret">'
    start = html.index(marker) + len(marker)
    return html[start : html.index("<", start)].strip()


def test_the_form_shows_every_part(client, world) -> None:
    response = client.get(SUBMIT)
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert '<optgroup label="供水">' in html
    assert f'<option value="{world.water_outage.pk}">' in html
    assert 'name="rendered_at"' in html
    assert 'name="website"' in html
    assert 'enctype="multipart/form-data"' in html


def test_real_name_submission_creates_the_clue_and_shows_the_secret_once(client, world) -> None:
    # when a citizen submits the form with a real name
    response = client.post(SUBMIT, submission(world))

    # then the clue is received with its identity apart, and the receipt page follows
    assert response.status_code == 302
    assert response["Location"] == DONE
    clue = Clue.objects.get()
    assert clue.status == ClueStatus.RECEIVED
    assert clue.channel == "web"
    assert clue.category == world.water_outage
    assert clue.region == world.district
    assert not clue.is_anonymous
    complainant = Complainant.objects.get(clue=clue)
    assert (complainant.name, complainant.phone) == ("张三", "13812341234")
    assert clue.events.get().actor_name == "群众"  # the name stays out of the event log

    # when the receipt is shown, it carries the code and the secret that opens the clue
    html = client.get(DONE).content.decode()
    assert format_tracking_code(clue.tracking_code) in html
    secret = _secret_from(html)
    assert check_query_secret(secret, clue.query_secret_hash)

    # and a second look shows no secret any more
    again = client.get(DONE).content.decode()
    assert secret not in again
    assert "query-secret" not in again


def test_anonymous_submission_keeps_no_identity(client, world) -> None:
    client.post(SUBMIT, submission(world, identity="anonymous", name="李四", phone="1381234"))
    clue = Clue.objects.get()
    assert clue.is_anonymous
    assert not Complainant.objects.filter(clue=clue).exists()


def test_the_receipt_page_grants_access_to_the_new_clue(client, world) -> None:
    client.post(SUBMIT, submission(world))
    clue = Clue.objects.get()
    response = client.get(reverse("web:portal_clue", kwargs={"code": clue.tracking_code}))
    assert response.status_code == 200
    assert "小区停水三天无人处理" in response.content.decode()


def test_field_errors_keep_every_typed_value_and_point_at_their_field(client, world) -> None:
    # given a form with a missing title, a bad phone number kept for the service, no consent
    data = submission(world, title="", consent="", place_text="人民路12号")
    response = client.post(SUBMIT, data)

    # then nothing is created and the page says what to fix, beside each field
    html = response.content.decode()
    assert response.status_code == 400
    assert not Clue.objects.exists()
    assert 'aria-invalid="true"' in html
    assert 'id="id_title_error"' in html
    assert 'aria-describedby="id_title_error"' in html
    assert 'id="id_consent_error"' in html
    # and what was typed is still there
    assert "雨花区某小区自周一起停水" in html
    assert 'value="人民路12号"' in html
    assert 'value="13812341234"' in html
    assert f'<option value="{world.district.pk}" selected>' in html


def test_the_service_s_phone_check_shows_beside_the_phone_field(client, world) -> None:
    response = client.post(SUBMIT, submission(world, phone="12345"))
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_phone_error"' in html
    assert "号码格式不正确" in html
    assert not Clue.objects.exists()


def test_real_name_needs_a_name_and_the_chosen_contact(client, world) -> None:
    response = client.post(SUBMIT, submission(world, name="", contact_preference="email", email=""))
    html = response.content.decode()
    assert 'id="id_name_error"' in html
    assert 'id="id_email_error"' in html


def test_a_filled_honeypot_is_refused(client, world) -> None:
    response = client.post(SUBMIT, submission(world, website="http://spam.example"))
    assert response.status_code == 400
    assert not Clue.objects.exists()


def test_a_too_fast_submission_is_refused_but_keeps_what_was_typed(client, world) -> None:
    response = client.post(SUBMIT, submission(world, rendered_at=aged_token(seconds=0)))
    html = response.content.decode()
    assert response.status_code == 400
    assert not Clue.objects.exists()
    assert "提交过快" in html
    assert 'value="小区停水三天无人处理"' in html


def test_a_stale_form_is_refused_with_its_own_message(client, world) -> None:
    response = client.post(SUBMIT, submission(world, rendered_at=aged_token(seconds=200000)))
    assert "表单已过期" in response.content.decode()
    assert not Clue.objects.exists()


def test_submissions_are_limited_per_address(client, world, settings) -> None:
    settings.MINSHENG = {**settings.MINSHENG, "PORTAL_SUBMIT_PER_IP_PER_HOUR": 2}
    for n in range(2):
        phone = f"1381234123{n}"
        assert client.post(SUBMIT, submission(world, phone=phone)).status_code == 302
    response = client.post(SUBMIT, submission(world, phone="13812341239"))
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert Clue.objects.count() == 2
    # another address may still submit
    other = client.post(SUBMIT, submission(world), REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302


def test_submissions_are_limited_per_phone(client, world, settings) -> None:
    settings.MINSHENG = {**settings.MINSHENG, "PORTAL_SUBMIT_PER_PHONE_PER_DAY": 1}
    assert client.post(SUBMIT, submission(world)).status_code == 302
    # the same phone written differently, from another address
    response = client.post(
        SUBMIT, submission(world, phone="+86 138-1234-1234"), REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 429
    assert 'id="id_phone_error"' in response.content.decode()
    assert Clue.objects.count() == 1


def test_a_photo_loses_its_gps_by_default(client, world) -> None:
    photo = SimpleUploadedFile("IMG_0001.png", png_with_gps(), content_type="image/png")
    assert client.post(SUBMIT, submission(world, attachments=[photo])).status_code == 302
    attachment = Clue.objects.get().attachments.get()
    assert attachment.content_type == "image/png"
    assert attachment.original_name == "IMG_0001.png"
    assert not has_gps(attachment.file.read())


def test_a_photo_keeps_its_gps_when_asked(client, world) -> None:
    photo = SimpleUploadedFile("IMG_0002.png", png_with_gps(), content_type="image/png")
    client.post(SUBMIT, submission(world, attachments=[photo], keep_location="on"))
    assert has_gps(Clue.objects.get().attachments.get().file.read())


def test_several_files_are_stored_together(client, world) -> None:
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="WEBP")
    files = [
        SimpleUploadedFile("a.webp", out.getvalue()),
        SimpleUploadedFile("b.pdf", b"%PDF-1.4\n"),
    ]
    client.post(SUBMIT, submission(world, attachments=files))
    kinds = set(Clue.objects.get().attachments.values_list("content_type", flat=True))
    assert kinds == {"image/webp", "application/pdf"}


def test_a_text_file_named_jpg_is_refused_and_nothing_is_created(client, world) -> None:
    fake = SimpleUploadedFile("photo.jpg", b"not really a photo", content_type="image/jpeg")
    response = client.post(SUBMIT, submission(world, attachments=[fake]))
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_attachments_error"' in html
    assert "按文件内容判断" in html
    assert "重新选择附件" in html
    assert not Clue.objects.exists()


def test_more_than_five_files_are_refused(client, world) -> None:
    files = [SimpleUploadedFile(f"{n}.pdf", b"%PDF-1.4\n") for n in range(6)]
    response = client.post(SUBMIT, submission(world, attachments=files))
    assert 'id="id_attachments_error"' in response.content.decode()
    assert not Clue.objects.exists()


def test_a_region_chain_takes_the_deepest_consistent_choice(client, world) -> None:
    # the city was changed without script: the stale district below it is ignored
    data = submission(world, region=[str(world.province.pk), str(world.city.pk), "", ""])
    client.post(SUBMIT, data)
    assert Clue.objects.get().region == world.city


def test_the_region_children_fragment_lists_one_level(client, world) -> None:
    url = reverse("web:portal_region_children", kwargs={"pk": world.city.pk})
    html = client.get(url).content.decode()
    assert "雨花区" in html
    assert "岳麓区" in html
    assert 'name="region"' in html
    assert f'<label for="id_region_{world.city.depth + 1}">' in html
    query = client.get(reverse("web:portal_region_children_query"), {"region": world.city.pk})
    assert query.content == client.get(url).content
    leaf = reverse("web:portal_region_children", kwargs={"pk": world.district.pk})
    assert client.get(leaf).content == b""
