"""Receiving a clue: validation at the boundary, identity apart, the secret that opens it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from minsheng.accounts.actors import Actor
from minsheng.clues.errors import ActionForbidden, ClueNotFound, ClueValidationError
from minsheng.clues.models import Complainant
from minsheng.clues.selectors import citizen_access_clue
from minsheng.clues.services import intake
from minsheng.clues.services.intake import ComplainantData
from minsheng.clues.tests.conftest import World, receive


@pytest.mark.parametrize(
    ("complainant", "field"),
    [
        (ComplainantData(phone="1381234"), "phone"),
        (ComplainantData(id_number="110105194912310021"), "id_number"),
    ],
)
@pytest.mark.django_db
def test_bad_identity_is_refused_naming_the_field(world: World, complainant, field) -> None:
    with pytest.raises(ClueValidationError) as refused:
        receive(world, complainant=complainant)
    assert refused.value.field == field


@pytest.mark.django_db
def test_an_anonymous_clue_keeps_no_identity(world: World) -> None:
    clue = receive(world, is_anonymous=True)
    assert clue.is_anonymous
    assert not Complainant.objects.filter(clue=clue).exists()


@pytest.mark.django_db
def test_a_report_from_the_future_is_refused(world: World) -> None:
    with pytest.raises(ClueValidationError) as refused:
        receive(world, reported_at=timezone.now() + dt.timedelta(days=1))
    assert refused.value.field == "reported_at"


@pytest.mark.django_db
def test_intake_issues_a_new_secret_that_opens_the_clue(world: World) -> None:
    # given a clue whose original secret the citizen lost
    received = intake.clue_receive(
        actor=world.actor("intake"), channel="phone_import", title="路灯不亮", content="路灯坏了"
    )
    clue = received.clue

    # when intake issues a new one
    secret = intake.clue_reset_query_secret(clue_id=clue.pk, actor=world.actor("intake"))

    # then the new secret opens the clue and the old one no longer does
    assert citizen_access_clue(clue.tracking_code, secret) == clue
    with pytest.raises(ClueNotFound):
        citizen_access_clue(clue.tracking_code, received.query_secret)


@pytest.mark.django_db
def test_departments_cannot_issue_secrets(world: World) -> None:
    clue = receive(world)
    with pytest.raises(ActionForbidden):
        intake.clue_reset_query_secret(clue_id=clue.pk, actor=world.actor("handler"))
    with pytest.raises(ActionForbidden):
        intake.clue_reset_query_secret(clue_id=clue.pk, actor=Actor.citizen())
