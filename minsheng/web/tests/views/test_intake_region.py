"""受理工作台 · the dispatch form's region correction: the portal's cascading picker (province →
city → county → street) with HTMX, a flat list without script; both post "region"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minsheng.clues.models import Clue
from minsheng.clues.workflow import Action, ClueStatus
from minsheng.directory.choices import RegionLevel
from minsheng.directory.models import Region

pytestmark = pytest.mark.django_db

CHILDREN = reverse("web:portal_region_children_query")


def clue_url(clue: Clue) -> str:
    return reverse("web:intake_clue", args=[clue.pk])


def dispatch_url(clue: Clue) -> str:
    return reverse("web:intake_dispatch", args=[clue.pk])


@pytest.fixture
def street(world) -> Region:
    return Region.objects.create(
        code="430111001", name="侯家塘街道", level=RegionLevel.TOWNSHIP, parent=world.district
    )


def dispatch(world, **data: object) -> dict[str, object]:
    return {"lead_department": world.water_bureau.pk, **data}


def test_picker_shows_the_clues_region_chosen_at_every_level(client, world, clue_in, street):
    # given a clue in 雨花区, which has a street below it
    clue = clue_in(ClueStatus.TRIAGED)
    client.force_login(world.users["intake"])
    # when intake opens it
    html = client.get(clue_url(clue)).content.decode()
    # then the flat list (for no script) has the district chosen...
    assert '<fieldset class="field region-picker" id="dispatch-region"' in html
    assert '<label for="id_region">' in html
    assert f'<option value="{world.district.pk}" selected>' in html
    # ...and the cascade, hidden and disabled until intake.js swaps it in, has the chain
    # chosen, with the streets of the district to pick from, loaded by the portal endpoint
    cascade = html[html.index("data-region-cascade hidden") :]
    for depth, region in enumerate((world.province, world.city, world.district), start=1):
        assert f'id="id_region_{depth}" disabled' in cascade
        assert f'<option value="{region.pk}" selected>' in cascade
    assert 'id="id_region_4" disabled' in cascade
    assert f'<option value="{street.pk}">侯家塘街道</option>' in cascade
    assert f'hx-get="{CHILDREN}"' in cascade


def test_picker_of_a_clue_without_region_starts_at_the_top(client, world, clue_in):
    clue = clue_in(ClueStatus.RECEIVED, region=None)
    client.force_login(world.users["intake"])
    html = client.get(clue_url(clue)).content.decode()
    assert '<option value="">不更改</option>' in html
    assert " selected>" not in html[html.index('id="dispatch-region"') : html.index("</fieldset>")]
    assert 'id="id_region_1" disabled' in html
    assert 'id="id_region_2"' not in html


def test_the_portal_endpoint_answers_the_next_level(client, world, street):
    html = client.get(CHILDREN, {"region": world.district.pk}).content.decode()
    assert 'id="id_region_4"' in html
    assert "侯家塘街道" in html


def test_dispatch_with_a_chain_corrects_the_region_to_the_street(client, world, clue_in, street):
    clue = clue_in(ClueStatus.TRIAGED)
    client.force_login(world.users["intake"])
    chain = [world.province.pk, world.city.pk, world.district.pk, street.pk]
    response = client.post(dispatch_url(clue), dispatch(world, region=chain))
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.region == street
    update = clue.events.get(action=Action.UPDATE_DETAILS)
    assert update.payload["changes"]["region"] == {"from": world.district.pk, "to": street.pk}
    assert clue.status == ClueStatus.DISPATCHED


def test_dispatch_without_script_sends_one_region(client, world, clue_in):
    clue = clue_in(ClueStatus.RECEIVED)
    client.force_login(world.users["intake"])
    response = client.post(dispatch_url(clue), dispatch(world, region=world.other_district.pk))
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.region == world.other_district


@pytest.mark.parametrize("region", ["", [""]])
def test_an_unchanged_picker_corrects_nothing(client, world, clue_in, region):
    clue = clue_in(ClueStatus.RECEIVED)
    client.force_login(world.users["intake"])
    response = client.post(dispatch_url(clue), dispatch(world, region=region))
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.region == world.district
    assert not clue.events.filter(action=Action.UPDATE_DETAILS).exists()


def test_a_stale_lower_level_is_dropped(client, world, clue_in, street):
    # given a cascade where the county changed without script refreshing the street below
    clue = clue_in(ClueStatus.RECEIVED)
    client.force_login(world.users["intake"])
    chain = [world.province.pk, world.city.pk, world.other_district.pk, street.pk]
    response = client.post(dispatch_url(clue), dispatch(world, region=chain))
    # then the region is the last level that really belongs to the chain
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.region == world.other_district


def test_an_unknown_region_is_an_error_beside_the_picker(client, world, clue_in):
    clue = clue_in(ClueStatus.RECEIVED)
    client.force_login(world.users["intake"])
    response = client.post(dispatch_url(clue), dispatch(world, region=[999_999]))
    html = response.content.decode()
    assert response.status_code == 400
    picker = html[html.index('id="dispatch-region"') : html.index("</fieldset>")]
    assert "所选地区无效，请重新选择。" in picker
    assert 'aria-invalid="true"' in picker
    assert 'id="id_region_error"' in picker
    clue.refresh_from_db()
    assert clue.status == ClueStatus.RECEIVED


def test_the_posted_chain_stays_chosen_when_the_form_comes_back(client, world, clue_in):
    clue = clue_in(ClueStatus.RECEIVED)
    client.force_login(world.users["intake"])
    chain = [world.province.pk, world.city.pk, world.other_district.pk]
    # the co-handler equals the lead: the service refuses, the form is shown again
    data = dispatch(world, region=chain, co_departments=[world.water_bureau.pk])
    response = client.post(dispatch_url(clue), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert f'<option value="{world.other_district.pk}" selected>' in html
    assert f'<option value="{world.district.pk}" selected>' not in html
    clue.refresh_from_db()
    assert clue.region == world.district
