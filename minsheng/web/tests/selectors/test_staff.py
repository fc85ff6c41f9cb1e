"""The shared staff reads: what each role reads of a clue, its history and its files."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from PIL import Image

from minsheng.accounts.actors import Actor
from minsheng.clues.choices import VerificationMethod
from minsheng.clues.services import citizen, handling, review
from minsheng.clues.services.attachments import attachment_add
from minsheng.clues.workflow import Action, ClueStatus
from minsheng.triage.models import TriageResult
from minsheng.web.selectors import staff

pytestmark = pytest.mark.django_db

PHONE_IN_TEXT = "我的电话13912345678，请联系。"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (10, 20, 30)).save(out, format="PNG")
    return out.getvalue()


def test_department_staff_read_the_text_and_identity_masked(world, clue_in) -> None:
    # given a clue whose text carries a phone number
    clue = clue_in(ClueStatus.ACCEPTED, content="停水三天。" + PHONE_IN_TEXT)

    # when the handler and intake read it
    for_department = staff.staff_clue_view(world.users["handler"], clue)
    for_intake = staff.staff_clue_view(world.users["intake"], clue)

    # then the department reads masked text and identity, and may ask to reveal
    assert "13912345678" not in for_department.content
    assert "139****5678" in for_department.content
    assert for_department.identity_masked
    assert for_department.may_reveal
    assert all("13812341234" not in value for _label, value in for_department.identity)
    # and intake reads everything as it was written
    assert "13912345678" in for_intake.content
    assert not for_intake.identity_masked
    assert not for_intake.may_reveal
    assert ("手机号码", "13812341234") in for_intake.identity


def test_an_anonymous_clue_offers_no_reveal(world, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED, complainant=None, is_anonymous=True)
    view = staff.staff_clue_view(world.users["handler"], clue)
    assert view.identity == []
    assert not view.may_reveal


def test_the_timeline_lists_every_event_with_details(world, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    handling.verification_step_record(
        clue_id=clue.pk,
        actor=world.actor("handler"),
        method=VerificationMethod.ON_SITE,
        performed_by="王工",
        performed_at=timezone.now() - dt.timedelta(hours=1),
        findings="现场确认停水。",
    )

    events = staff.staff_timeline(world.users["supervisor"], clue)

    assert [event.action for event in events] == [
        Action.RECEIVE,
        Action.DISPATCH,
        Action.ACCEPT,
        Action.RECORD_VERIFICATION,
    ]
    dispatch = events[1]
    assert ("主办", world.water_bureau.name) in dispatch.details
    assert dispatch.to_status == ClueStatus.DISPATCHED.label
    verification = events[-1]
    assert ("核查方式", "实地核查") in verification.details
    assert verification.role_label == "承办人"


def test_citizen_text_in_the_timeline_is_masked_for_departments(world, clue_in) -> None:
    # given a citizen who added information with a phone number in it
    clue = clue_in(ClueStatus.ACCEPTED)
    citizen.clue_add_info(clue_id=clue.pk, actor=Actor.citizen("张三"), text=PHONE_IN_TEXT)

    department_view = staff.staff_timeline(world.users["handler"], clue)[-1]
    supervisor_view = staff.staff_timeline(world.users["supervisor"], clue)[-1]

    # then the department reads it masked, without the citizen's name; the supervisor in full
    assert department_view.details == [("补充内容", "我的电话139****5678，请联系。")]
    assert all("13912345678" not in value for _label, value in department_view.details)
    assert department_view.actor == "群众"
    assert any("13912345678" in value for _label, value in supervisor_view.details)
    assert supervisor_view.actor == "张三"


def test_files_are_split_into_the_citizens_and_the_evidence(world, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    from_citizen = attachment_add(
        clue_id=clue.pk, actor=Actor.citizen(), file=io.BytesIO(png()), original_name="现场.png"
    )
    evidence = attachment_add(
        clue_id=clue.pk,
        actor=world.actor("handler"),
        file=io.BytesIO(png()),
        original_name="核查.png",
    )
    files = staff.clue_files(clue)
    assert files.from_citizen == [from_citizen]
    assert files.evidence == [evidence]


def test_a_return_names_the_department_and_its_suggestion(world, clue_in) -> None:
    # given a clue the water bureau returned, suggesting the fire brigade
    clue = clue_in(ClueStatus.DISPATCHED)
    handling.clue_return(
        clue_id=clue.pk,
        actor=world.actor("handler"),
        reason="非本单位职责",
        suggested_department=world.fire_brigade.name,
    )

    returned = staff.staff_timeline(world.users["intake"], clue)[-1]

    assert returned.action == Action.RETURN
    assert returned.reason == "非本单位职责"
    assert ("退回单位", world.water_bureau.name) in returned.details
    assert ("建议转交", world.fire_brigade.name) in returned.details


@pytest.mark.parametrize(("level", "label"), [("supervise", "督办"), ("listed", "挂牌督办")])
def test_an_escalation_names_its_level(world, clue_in, level, label) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    review.clue_escalate(
        clue_id=clue.pk, actor=world.actor("supervisor"), message="久拖未办", level=level
    )

    escalated = staff.staff_timeline(world.users["supervisor"], clue)[-1]

    assert escalated.action == Action.ESCALATE
    assert escalated.details == [("级别", label)]


def test_masked_title_prefers_triages_copy(world, clue_in) -> None:
    clue = clue_in(ClueStatus.RECEIVED, title="张三电话13912345678停水")
    assert "13912345678" not in staff.masked_title(clue)
    assert "139****5678" in staff.masked_title(clue)
    TriageResult.objects.update_or_create(clue=clue, defaults={"masked_title": "某人停水（脱敏）"})
    clue.refresh_from_db()
    assert staff.masked_title(clue) == "某人停水（脱敏）"
