"""Who may do what to which clue, and who may see which clue and whose identity.

Role checks come from the transition table (every role not listed is refused), department
checks from `permissions` (the right assignment for the action), visibility from
`selectors`. Parameters are built from `TRANSITIONS` and `Role`, so a new action or role is
covered without editing this file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from minsheng.accounts.actors import Actor
from minsheng.accounts.models import User
from minsheng.accounts.roles import DEPARTMENT_ROLES, Role
from minsheng.clues.errors import ActionForbidden, ClueNotFound, ClueValidationError
from minsheng.clues.models import Clue
from minsheng.clues.permissions import CO_ACTIONS
from minsheng.clues.selectors import (
    access_clue,
    citizen_access_clue,
    clues_visible_to,
    complainant_identity_for,
)
from minsheng.clues.services import handling, identity, intake, review
from minsheng.clues.services.codes import format_tracking_code
from minsheng.clues.tests.conftest import World, receive
from minsheng.clues.tests.workflow.actions import (
    NO_DEPARTMENT_ASSIGNMENT,
    PREPARE,
    ROLE_KEYS,
    actor_for,
    actor_in_role,
    ordered,
    perform,
    snapshot,
)
from minsheng.clues.workflow import TRANSITIONS, Action, ClueStatus

S = ClueStatus
PEOPLE = [role for role in Role if role is not Role.SYSTEM]

DENIED = [
    pytest.param(action, role, id=f"{action}-by-{role}")
    for action, t in TRANSITIONS.items()
    for role in PEOPLE
    if role not in t.roles
]
ALLOWED = [
    pytest.param(action, role, id=f"{action}-by-{role}")
    for action, t in TRANSITIONS.items()
    for role in PEOPLE
    if role in t.roles
]
SYSTEM_CASES = [
    pytest.param(action, Role.SYSTEM in t.roles, id=f"{action}")
    for action, t in TRANSITIONS.items()
]


def _first_source(action: Action, role: Role | None = None) -> ClueStatus:
    """The first source of the action; for department staff, one where their department
    holds an assignment (the department check would refuse them anywhere else)."""
    sources = ordered(TRANSITIONS[action].sources)
    if role in DEPARTMENT_ROLES:
        sources = [status for status in sources if status not in NO_DEPARTMENT_ASSIGNMENT]
    return sources[0]


def _actor(world: World, action: Action, role: Role) -> Actor:
    """An actor in `role`; department staff belong to the department the action needs
    (the co-handler's for co-handling steps, the lead's otherwise)."""
    if role in DEPARTMENT_ROLES and action in CO_ACTIONS:
        if role is Role.DEPT_HANDLER:
            return world.actor("co_handler")
        head = User.objects.create_user(
            username="co_head", role=role, department=world.district_gov, display_name="co_head"
        )
        return Actor.of(head)
    return actor_in_role(world, role)


# --- Roles ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role"), DENIED)
def test_role_not_in_the_table_is_forbidden(
    world: World, clue_in: Callable[..., Clue], action: Action, role: Role
) -> None:
    # given a clue where the action could be taken
    clue = clue_in(_first_source(action))
    if action in PREPARE:
        PREPARE[action](world, clue, world.actor("co_handler"))
    before = snapshot(clue)

    # when a role the table does not list takes it
    with pytest.raises(ActionForbidden):
        perform(action, world, clue, _actor(world, action, role))

    # then nothing changed
    assert snapshot(clue) == before


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role"), ALLOWED)
def test_role_in_the_table_may_act(
    world: World, clue_in: Callable[..., Clue], action: Action, role: Role
) -> None:
    # given a clue where the action may be taken
    source = _first_source(action, role)
    clue = clue_in(source)
    if action in PREPARE:
        PREPARE[action](world, clue, world.actor("co_handler"))
    actor = _actor(world, action, role)

    # when a listed role takes it
    perform(action, world, clue, actor)

    # then it is recorded as taken in that role
    event = clue.events.order_by("-seq").first()
    assert event is not None
    assert (event.action, event.actor_role) == (action, role)
    clue.refresh_from_db()
    assert clue.status == (TRANSITIONS[action].target or source)


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "listed"), SYSTEM_CASES)
def test_the_system_acts_only_where_listed(
    world: World, clue_in: Callable[..., Clue], action: Action, listed: bool
) -> None:
    # given a clue where the action may be taken
    clue = clue_in(_first_source(action))
    if action in PREPARE:
        PREPARE[action](world, clue, world.actor("co_handler"))
    before = snapshot(clue)

    if listed:
        # when the platform takes a listed action, then it is recorded as the system's
        perform(action, world, clue, Actor.system())
        event = clue.events.order_by("-seq").first()
        assert event is not None
        assert (event.action, event.actor_role, event.actor_id) == (action, Role.SYSTEM, None)
    else:
        # otherwise it is forbidden and changes nothing
        with pytest.raises(ActionForbidden):
            perform(action, world, clue, Actor.system())
        assert snapshot(clue) == before


# --- Departments ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "status"),
    [
        (Action.ACCEPT, S.DISPATCHED),
        (Action.RETURN, S.DISPATCHED),
        (Action.REPORT, S.ACCEPTED),
        (Action.REQUEST_INFO, S.ACCEPTED),
        (Action.REQUEST_EXTENSION, S.ACCEPTED),
        (Action.REVEAL_IDENTITY, S.ACCEPTED),
        (Action.CO_ACCEPT, S.DISPATCHED),
    ],
    ids=str,
)
def test_another_department_may_not_act(
    world: World, clue_in: Callable[..., Clue], action: Action, status: ClueStatus
) -> None:
    # given a water clue, and a fire-brigade handler (right role, wrong department)
    clue = clue_in(status)
    before = snapshot(clue)

    # when the fire brigade acts on it, then it is forbidden and nothing changes
    with pytest.raises(ActionForbidden):
        perform(action, world, clue, world.actor("other_handler"))
    assert snapshot(clue) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "status"),
    [(Action.ACCEPT, S.DISPATCHED), (Action.RETURN, S.DISPATCHED), (Action.REPORT, S.ACCEPTED)],
    ids=str,
)
def test_the_co_handler_may_not_take_lead_actions(
    world: World, clue_in: Callable[..., Clue], action: Action, status: ClueStatus
) -> None:
    # given a clue the district government co-handles (and has signed for)
    clue = clue_in(status)
    handling.clue_co_accept(clue_id=clue.pk, actor=world.actor("co_handler"))
    before = snapshot(clue)

    # when it tries an action of the lead, then it is forbidden
    with pytest.raises(ActionForbidden):
        perform(action, world, clue, world.actor("co_handler"))
    assert snapshot(clue) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "status"),
    [
        (Action.CO_ACCEPT, S.DISPATCHED),
        (Action.CO_RETURN, S.DISPATCHED),
        (Action.CO_CONTRIBUTE, S.ACCEPTED),
    ],
    ids=str,
)
@pytest.mark.parametrize("key", ["handler", "head"])
def test_the_lead_may_not_take_co_handling_actions(
    world: World, clue_in: Callable[..., Clue], action: Action, status: ClueStatus, key: str
) -> None:
    # given a clue the water bureau leads
    clue = clue_in(status)
    before = snapshot(clue)

    # when its staff try a co-handler's step, then it is forbidden
    with pytest.raises(ActionForbidden):
        perform(action, world, clue, world.actor(key))
    assert snapshot(clue) == before


@pytest.mark.django_db
def test_department_staff_without_a_department_may_not_act(
    world: World, clue_in: Callable[..., Clue]
) -> None:
    stray = User.objects.create_user(username="stray", role=Role.DEPT_HANDLER, department=None)
    clue = clue_in(S.DISPATCHED)
    with pytest.raises(ActionForbidden):
        handling.clue_accept(clue_id=clue.pk, actor=Actor.of(stray))


@pytest.mark.django_db
def test_a_returned_assignment_no_longer_entitles(
    world: World, clue_in: Callable[..., Clue]
) -> None:
    # given a clue the water bureau returned and intake sent to the fire brigade
    clue = clue_in(S.RETURNED)
    intake.clue_dispatch(
        clue_id=clue.pk, actor=world.actor("intake"), lead_department=world.fire_brigade
    )

    # when the water bureau tries to accept it, then it is forbidden; the fire brigade may
    with pytest.raises(ActionForbidden):
        handling.clue_accept(clue_id=clue.pk, actor=world.actor("handler"))
    handling.clue_accept(clue_id=clue.pk, actor=world.actor("other_handler"))


def _superseded_lead_clue(world: World, clue_in: Callable[..., Clue], status: ClueStatus) -> Clue:
    """A clue the water bureau led and completed, reopened and now led by the fire brigade."""
    clue = clue_in(S.REOPENED)
    intake.clue_dispatch(
        clue_id=clue.pk, actor=world.actor("intake"), lead_department=world.fire_brigade
    )
    handling.clue_accept(clue_id=clue.pk, actor=world.actor("other_handler"))
    if status is S.APPROVED:
        perform(Action.REPORT, world, clue, world.actor("other_handler"))
        review.clue_approve(clue_id=clue.pk, actor=world.actor("supervisor"))
    clue.refresh_from_db()
    assert clue.status == status
    return clue


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "status"),
    [
        (Action.REQUEST_INFO, S.ACCEPTED),
        (Action.REQUEST_EXTENSION, S.ACCEPTED),
        (Action.ANSWER, S.APPROVED),
    ],
    ids=str,
)
def test_a_superseded_lead_may_not_take_lead_actions(
    world: World, clue_in: Callable[..., Clue], action: Action, status: ClueStatus
) -> None:
    # given a clue reopened after the water bureau completed it, now led by the fire brigade
    clue = _superseded_lead_clue(world, clue_in, status)
    before = snapshot(clue)

    # when the water bureau takes a lead action on it, then it is forbidden
    with pytest.raises(ActionForbidden):
        perform(action, world, clue, world.actor("handler"))
    assert snapshot(clue) == before


# --- Visibility -------------------------------------------------------------------------


@pytest.fixture
def clues(world: World, clue_in: Callable[..., Clue]) -> dict[str, Clue]:
    """A received clue, a dispatched water clue, a dispatched fire clue, a citizen's own."""
    return {
        "received": clue_in(S.RECEIVED),
        "water": clue_in(S.DISPATCHED),
        "fire": clue_in(S.DISPATCHED, category=world.fire, title="楼道堆放杂物堵塞消防通道"),
        "own": clue_in(S.RECEIVED, citizen_user=world.users["citizen"]),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["intake", "supervisor", "inspector", "admin", "analyst"])
def test_intake_supervision_and_analysis_see_every_clue(
    world: World, clues: dict[str, Clue], key: str
) -> None:
    visible = set(clues_visible_to(world.users[key]))
    assert visible == set(Clue.objects.all())
    assert set(clues.values()) <= visible


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("handler", {"water", "own_dispatched"}),
        ("head", {"water", "own_dispatched"}),
        ("co_handler", {"water", "own_dispatched"}),
        ("other_handler", {"fire"}),
    ],
)
def test_department_staff_see_only_clues_assigned_to_their_department(
    world: World, clues: dict[str, Clue], key: str, expected: set[str]
) -> None:
    # given the citizen's own clue dispatched too (to the water bureau, co the district)
    intake.clue_dispatch(clue_id=clues["own"].pk, actor=world.actor("intake"))
    named = {**clues, "own_dispatched": clues["own"]}
    # then staff see the clues assigned to their department, as lead or co-handler
    visible = set(clues_visible_to(world.users[key]))
    assert visible == {named[name] for name in expected}


@pytest.mark.django_db
def test_a_citizen_sees_only_their_own_clues(world: World, clues: dict[str, Clue]) -> None:
    assert list(clues_visible_to(world.users["citizen"])) == [clues["own"]]
    other = User.objects.create_user(username="other_citizen", role=Role.CITIZEN)
    assert not clues_visible_to(other).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["intake", "supervisor", "admin", "handler", "citizen"])
def test_an_inactive_user_sees_nothing(world: World, clues: dict[str, Clue], key: str) -> None:
    user = world.users[key]
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert not clues_visible_to(user).exists()


@pytest.mark.django_db
def test_department_staff_without_a_department_see_nothing(
    world: World, clues: dict[str, Clue]
) -> None:
    stray = User.objects.create_user(username="stray", role=Role.DEPT_HEAD, department=None)
    assert not clues_visible_to(stray).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "name", "found"),
    [
        ("supervisor", "fire", True),
        ("handler", "water", True),
        ("handler", "fire", False),
        ("handler", "received", False),
        ("other_handler", "water", False),
        ("citizen", "own", True),
        ("citizen", "water", False),
    ],
)
@pytest.mark.parametrize("for_update", [False, True])
def test_access_clue_hides_what_the_user_may_not_see(
    world: World, clues: dict[str, Clue], key: str, name: str, found: bool, for_update: bool
) -> None:
    user = world.users[key]
    clue = clues[name]
    with transaction.atomic():
        if found:
            assert access_clue(user, clue.pk, for_update=for_update) == clue
        else:
            with pytest.raises(ClueNotFound) as hidden:
                access_clue(user, clue.pk, for_update=for_update)
            # and a hidden clue reads exactly like a missing one
            with pytest.raises(ClueNotFound) as missing:
                access_clue(user, clue.pk + 10_000, for_update=for_update)
            assert hidden.value.message == missing.value.message


# --- Citizens by tracking code and query secret ----------------------------------------


def _received_with_secret(world: World) -> tuple[Clue, str]:
    received = intake.clue_receive(
        actor=Actor.citizen(), channel="web", title="路灯不亮", content="某路口路灯已坏一周。"
    )
    return received.clue, received.query_secret


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("spell_code", "spell_secret"),
    [
        pytest.param(lambda code: code, lambda secret: secret, id="as-issued"),
        pytest.param(format_tracking_code, str.lower, id="spaced-code-lowercase-secret"),
        pytest.param(
            lambda code: "-".join(code[i : i + 4] for i in range(0, 16, 4)),
            lambda secret: f" {secret[:4]}-{secret[4:].lower()} ",
            id="dashed-code-split-secret",
        ),
    ],
)
def test_citizen_finds_the_clue_with_code_and_secret(
    world: World,
    spell_code: Callable[[str], str],
    spell_secret: Callable[[str], str],
) -> None:
    clue, secret = _received_with_secret(world)
    found = citizen_access_clue(spell_code(clue.tracking_code), spell_secret(secret))
    assert found == clue


@pytest.mark.django_db
def test_wrong_code_and_wrong_secret_are_told_apart_by_nothing(world: World) -> None:
    # given a clue and its secret, and another clue
    clue, secret = _received_with_secret(world)
    other, _other_secret = _received_with_secret(world)
    wrong_secret = "".join("Z" if ch != "Z" else "Y" for ch in secret)

    # when a citizen gets either the code or the secret wrong
    with pytest.raises(ClueNotFound) as bad_secret:
        citizen_access_clue(clue.tracking_code, wrong_secret)
    with pytest.raises(ClueNotFound) as bad_code:
        citizen_access_clue("2611281234567897", secret)
    with pytest.raises(ClueNotFound) as someone_elses:
        citizen_access_clue(other.tracking_code, secret)

    # then the error is the same, so guessing learns nothing
    assert type(bad_secret.value) is type(bad_code.value) is type(someone_elses.value)
    assert bad_secret.value.message == bad_code.value.message == someone_elses.value.message


@pytest.mark.django_db
@pytest.mark.parametrize("guess", ["NOSUCHCODE", "no-such-code"])
def test_a_clue_without_a_query_secret_cannot_be_opened(
    world: World, settings: Any, guess: str
) -> None:
    # given a clue with no query secret, as the bulk importer stores them
    clue = receive(world)
    Clue.objects.filter(pk=clue.pk).update(query_secret_hash="")

    # when someone tries the tracking code with the selector's dummy secret
    # then it is not found: there is no secret that opens it
    with pytest.raises(ClueNotFound):
        citizen_access_clue(clue.tracking_code, guess)


@pytest.mark.django_db
def test_a_clue_without_a_query_secret_refuses_ordinary_guesses(world: World) -> None:
    clue = receive(world)
    Clue.objects.filter(pk=clue.pk).update(query_secret_hash="")
    for guess in ["", "ABCDEFGH", "23456789"]:
        with pytest.raises(ClueNotFound):
            citizen_access_clue(clue.tracking_code, guess)


# --- The complainant's identity --------------------------------------------------------

UNMASKED = {
    "name": "张三",
    "phone": "13812341234",
    "id_number": "11010519491231002X",
    "email": "",
    "address": "湖南省长沙市雨花区某小区3栋",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "masked"),
    [
        ("intake", False),
        ("supervisor", False),
        ("inspector", False),
        ("admin", False),
        ("handler", True),
        ("head", True),
        ("co_handler", True),
        ("analyst", True),
        ("citizen", True),
    ],
)
def test_identity_is_masked_for_all_but_intake_and_supervision(
    world: World, clue_in: Callable[..., Clue], key: str, masked: bool
) -> None:
    clue = clue_in(S.DISPATCHED)
    shown = complainant_identity_for(world.users[key], clue)
    if not masked:
        assert shown == UNMASKED
    else:
        assert shown["name"] == "张*"
        assert shown["phone"] == "138****1234"
        assert shown["id_number"] == "1101**********002X"
        assert shown["address"] != UNMASKED["address"]
        assert all(shown[field] != value for field, value in UNMASKED.items() if value)


@pytest.mark.django_db
def test_an_anonymous_clue_shows_no_identity(world: World, clue_in: Callable[..., Clue]) -> None:
    clue = clue_in(S.RECEIVED, is_anonymous=True)
    assert set(complainant_identity_for(world.users["intake"], clue).values()) == {""}


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["handler", "head", "co_handler"])
def test_department_staff_reveal_identity_with_a_logged_reason(
    world: World, clue_in: Callable[..., Clue], key: str
) -> None:
    # given a clue in hand at the water bureau (co-handled by the district government)
    clue = clue_in(S.ACCEPTED)
    events_before = clue.events.count()
    user = world.users[key]

    # when its staff reveal the complainant's identity, saying why
    shown = identity.complainant_reveal(
        clue_id=clue.pk, actor=world.actor(key), reason="需电话联系反映人核实地址"
    )

    # then they get it unmasked, and the reveal is an event: who, in which role, why, what
    assert shown == UNMASKED
    assert clue.events.count() == events_before + 1
    event = clue.events.order_by("-seq").first()
    assert event is not None
    assert event.action == Action.REVEAL_IDENTITY
    assert (event.actor_id, event.actor_role) == (user.pk, user.role)
    assert event.reason == "需电话联系反映人核实地址"
    assert set(event.payload["fields"]) == {"name", "phone", "id_number", "address"}
    assert event.from_status == event.to_status == S.ACCEPTED


@pytest.mark.django_db
def test_reveal_without_a_reason_is_refused(world: World, clue_in: Callable[..., Clue]) -> None:
    clue = clue_in(S.ACCEPTED)
    before = snapshot(clue)
    with pytest.raises(ClueValidationError) as refused:
        identity.complainant_reveal(clue_id=clue.pk, actor=world.actor("handler"), reason="  ")
    assert refused.value.field == "reason"
    assert snapshot(clue) == before


@pytest.mark.django_db
def test_reveal_of_an_anonymous_clue_is_refused(world: World, clue_in: Callable[..., Clue]) -> None:
    clue = clue_in(S.ACCEPTED, is_anonymous=True)
    before = snapshot(clue)
    with pytest.raises(ClueValidationError):
        identity.complainant_reveal(
            clue_id=clue.pk, actor=world.actor("handler"), reason="需联系反映人"
        )
    assert snapshot(clue) == before


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["intake", "supervisor", "admin", "analyst", "citizen"])
def test_reveal_is_only_for_departments_and_inspectors(
    world: World, clue_in: Callable[..., Clue], key: str
) -> None:
    # intake and supervision already see the identity; analysts and citizens never do
    clue = clue_in(S.ACCEPTED)
    with pytest.raises(ActionForbidden):
        identity.complainant_reveal(clue_id=clue.pk, actor=actor_for(world, key), reason="查看")


def test_every_role_has_an_actor() -> None:
    assert set(ROLE_KEYS) == set(Role)
