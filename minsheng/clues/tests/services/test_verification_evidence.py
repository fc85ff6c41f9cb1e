"""Evidence files on verification steps and reports: every file checked before anything is
written, all or nothing, and only on the department's own step of the same clue."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from minsheng.clues.choices import Conclusion, VerificationMethod
from minsheng.clues.errors import ActionForbidden, ClueValidationError, TransitionNotAllowed
from minsheng.clues.models import Attachment, VerificationReport, VerificationStep
from minsheng.clues.services import attachments, handling
from minsheng.clues.services.attachments import attachment_add
from minsheng.clues.tests.conftest import World
from minsheng.clues.workflow import Action, ClueStatus

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"1 0 obj\n" * 8
SCRIPT = b"<script>alert(1)</script>"

pytestmark = pytest.mark.django_db


def files(*named: tuple[str, bytes]) -> list[tuple[io.BytesIO, str]]:
    return [(io.BytesIO(data), name) for name, data in named]


def record(world: World, clue_id: int, key: str = "handler", **overrides: object):
    values: dict[str, object] = {
        "clue_id": clue_id,
        "actor": world.actor(key),
        "method": VerificationMethod.ON_SITE,
        "performed_by": "李四",
        "performed_at": timezone.now(),
        "findings": "现场核实",
    }
    values.update(overrides)
    return handling.verification_step_record(**values)  # type: ignore[arg-type]


def test_a_step_is_stored_with_its_evidence(world: World, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    step = record(world, clue.pk, files=files(("现场.png", PNG), ("台账.pdf", PDF)))
    evidence = list(step.evidence.order_by("pk"))
    assert [(a.original_name, a.content_type) for a in evidence] == [
        ("现场.png", "image/png"),
        ("台账.pdf", "application/pdf"),
    ]
    assert all(a.clue_id == clue.pk and a.report_id is None for a in evidence)
    assert all(a.uploaded_by == world.users["handler"] for a in evidence)
    # the step is on the clue's record, with how many files came with it
    event = clue.events.get(action=Action.RECORD_VERIFICATION)
    assert event.payload["verification_step"] == step.pk
    assert event.payload["evidence"] == 2


def test_each_evidence_file_costs_one_insert(world: World, clue_in, settings) -> None:
    # the transition has locked the clue and found the assignment once for all the files
    settings.MINSHENG = {**settings.MINSHENG, "CALENDAR_RECHECK_SECONDS": 3600}
    clue = clue_in(ClueStatus.ACCEPTED)

    def queries_to_record(*named: tuple[str, bytes]) -> int:
        with CaptureQueriesContext(connection) as queries:
            record(world, clue.pk, files=files(*named))
        return len(queries)

    one = queries_to_record(("a.png", PNG))
    three = queries_to_record(("b.png", PNG), ("c.png", PNG), ("d.pdf", PDF))
    assert three == one + 2
    assert Attachment.objects.filter(clue=clue).count() == 4


def test_one_bad_file_stores_nothing_and_names_it(world: World, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    with pytest.raises(ClueValidationError) as refused:
        record(world, clue.pk, files=files(("good.png", PNG), ("photo.jpg", SCRIPT)))
    assert refused.value.field == "files"
    assert "photo.jpg" in refused.value.message
    assert "按文件内容判断" in refused.value.message
    assert not VerificationStep.objects.exists()
    assert not Attachment.objects.exists()


def test_an_empty_file_is_named_too(world: World, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    with pytest.raises(ClueValidationError, match=r"“blank\.pdf”：文件为空"):
        record(world, clue.pk, files=files(("blank.pdf", b"")))
    assert not VerificationStep.objects.exists()


def test_files_beyond_the_clues_limit_store_nothing(world: World, clue_in, monkeypatch) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    monkeypatch.setattr(attachments, "MAX_ATTACHMENTS_PER_CLUE", 2)
    record(world, clue.pk, files=files(("a.png", PNG)))
    with pytest.raises(ClueValidationError, match="最多2个附件") as refused:
        record(world, clue.pk, files=files(("b.png", PNG), ("c.png", PNG)))
    assert refused.value.field == "files"
    assert VerificationStep.objects.count() == 1
    assert Attachment.objects.count() == 1


def test_a_step_needs_the_department_in_hand(world: World, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    # the co-handler has not accepted its part yet; the fire brigade has no part at all
    for key in ("co_handler", "other_handler"):
        with pytest.raises(ActionForbidden):
            record(world, clue.pk, key=key, files=files(("a.png", PNG)))
    reported = clue_in(ClueStatus.REPORTED)
    with pytest.raises(TransitionNotAllowed, match="不能执行“记录核查情况”"):
        record(world, reported.pk)
    assert not Attachment.objects.exists()


def test_evidence_only_on_a_step_of_the_same_clue(world: World, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    other = clue_in(ClueStatus.ACCEPTED)
    step = record(world, other.pk)
    with pytest.raises(ClueValidationError, match="核查记录不属于该线索") as refused:
        attachment_add(
            clue_id=clue.pk,
            actor=world.actor("handler"),
            file=io.BytesIO(PNG),
            original_name="a.png",
            verification_step=step,
        )
    assert refused.value.field == "verification_step"
    assert not Attachment.objects.exists()


def test_evidence_only_on_the_departments_own_step(world: World, clue_in) -> None:
    # given the lead's step and a co-handler that has accepted its part
    clue = clue_in(ClueStatus.ACCEPTED)
    handling.clue_co_accept(clue_id=clue.pk, actor=world.actor("co_handler"))
    step = record(world, clue.pk)
    # then the co-handler may not add files to the lead's step
    with pytest.raises(ActionForbidden, match="本单位的核查记录"):
        attachment_add(
            clue_id=clue.pk,
            actor=world.actor("co_handler"),
            file=io.BytesIO(PNG),
            original_name="a.png",
            verification_step=step,
        )
    # nor may intake, which has no department
    with pytest.raises(ActionForbidden):
        attachment_add(
            clue_id=clue.pk,
            actor=world.actor("intake"),
            file=io.BytesIO(PNG),
            original_name="a.png",
            verification_step=step,
        )
    # but the lead's head may
    added = attachment_add(
        clue_id=clue.pk,
        actor=world.actor("head"),
        file=io.BytesIO(PNG),
        original_name="a.png",
        verification_step=step,
    )
    assert list(step.evidence.all()) == [added]


def _report(world: World, clue_id: int, **overrides: object):
    values: dict[str, object] = {
        "clue_id": clue_id,
        "actor": world.actor("handler"),
        "methods": [VerificationMethod.ON_SITE],
        "findings": "主管道爆裂",
        "conclusion": Conclusion.SUBSTANTIATED,
        "proposed_answer": "已恢复供水。",
    }
    values.update(overrides)
    return handling.clue_report(**values)  # type: ignore[arg-type]


def test_a_report_is_stored_with_its_evidence(world: World, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    event = _report(world, clue.pk, files=files(("报告.pdf", PDF)))
    report = VerificationReport.objects.get(clue=clue)
    assert [(a.original_name, a.verification_step_id) for a in report.evidence.all()] == [
        ("报告.pdf", None)
    ]
    assert report.evidence.get().uploaded_by == world.users["handler"]
    assert event.payload["evidence_files"] == 1
    clue.refresh_from_db()
    assert clue.status == ClueStatus.REPORTED


def test_a_report_with_a_bad_file_changes_nothing(world: World, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    with pytest.raises(ClueValidationError, match=r"evil\.png") as refused:
        _report(world, clue.pk, files=files(("ok.pdf", PDF), ("evil.png", SCRIPT)))
    assert refused.value.field == "files"
    clue.refresh_from_db()
    assert clue.status == ClueStatus.ACCEPTED
    assert not clue.events.filter(action=Action.REPORT).exists()
    assert not VerificationReport.objects.exists()
    assert not Attachment.objects.exists()


def test_a_report_without_files_is_as_before(world: World, clue_in) -> None:
    clue = clue_in(ClueStatus.ACCEPTED)
    event = _report(world, clue.pk)
    assert "evidence_files" not in event.payload
    assert not Attachment.objects.exists()
