"""Operators' corrections are kept as training labels, next to what triage suggested."""

from __future__ import annotations

import pytest

from minsheng.clues.services import curation, intake
from minsheng.clues.tests.conftest import World, receive
from minsheng.triage import services
from minsheng.triage.models import TriageLabel


@pytest.mark.django_db
def test_category_and_region_corrections_become_labels(
    world: World, django_capture_on_commit_callbacks
) -> None:
    # given a clue triaged without a model (routing suggested the water bureau)
    clue = receive(world, category=None, region=None)
    services.triage_clue(clue_id=clue.pk)

    # when intake corrects category and region
    with django_capture_on_commit_callbacks(execute=True):
        intake.clue_update_details(
            clue_id=clue.pk,
            actor=world.actor("intake"),
            category=world.fire,
            region=world.district,
        )

    # then both are labels, by that operator
    labels = {(label.field, label.value) for label in TriageLabel.objects.filter(clue=clue)}
    assert labels == {("category", str(world.fire.pk)), ("region", str(world.district.pk))}
    assert TriageLabel.objects.filter(actor=world.users["intake"]).count() == 2


@pytest.mark.django_db
def test_a_manual_dispatch_teaches_the_department_and_a_link_the_duplicate(
    world: World, django_capture_on_commit_callbacks
) -> None:
    first, clue = receive(world), receive(world, title="同一个问题")
    services.triage_clue(clue_id=clue.pk)
    with django_capture_on_commit_callbacks(execute=True):
        curation.clue_link(
            clue_id=clue.pk,
            actor=world.actor("intake"),
            other_clue_id=first.pk,
            kind="duplicate",
        )
        intake.clue_dispatch(
            clue_id=clue.pk, actor=world.actor("intake"), lead_department=world.district_gov
        )
    department = TriageLabel.objects.get(clue=clue, field="department")
    assert department.value == str(world.district_gov.pk)
    assert department.suggested == str(world.water_bureau.pk)  # what routing had proposed
    assert TriageLabel.objects.get(clue=clue, field="duplicate").value == str(first.pk)


@pytest.mark.django_db
def test_the_systems_own_triage_teaches_nothing(
    world: World, django_capture_on_commit_callbacks
) -> None:
    clue = receive(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.triage_clue(clue_id=clue.pk)
        intake.clue_dispatch(clue_id=clue.pk, actor=world.actor("intake"))
    assert TriageLabel.objects.count() == 0
