"""Moves the table does not allow are refused on the server, and change nothing.

For every status, every status-changing action whose sources exclude it is tried by a role
the action allows, so that the refusal comes from the status check (TransitionNotAllowed).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from minsheng.accounts.roles import DEPARTMENT_ROLES
from minsheng.clues.errors import ActionForbidden, ClueError, TransitionNotAllowed
from minsheng.clues.models import Clue
from minsheng.clues.tests.conftest import World
from minsheng.clues.tests.workflow.actions import (
    NO_DEPARTMENT_ASSIGNMENT,
    ROLE_KEYS,
    STATUS_CHANGING,
    actor_for,
    perform,
    snapshot,
)
from minsheng.clues.workflow import TRANSITIONS, Action, ClueStatus

S = ClueStatus

# Roles tried in this order: the first one the action allows takes it. Department roles come
# last, since a department must also hold an assignment on the clue.
PREFERRED_ROLE_KEYS = ["intake", "supervisor", "citizen", "inspector", "handler"]

# Where the water bureau holds no live assignment, a department-only action is refused by
# the department check, which `lifecycle.check_transition` runs before the status check:
# ActionForbidden, not TransitionNotAllowed (a department learns nothing about a clue that
# is not its own). See `actions.NO_DEPARTMENT_ASSIGNMENT`.

FORBIDDEN = [
    pytest.param(status, action, id=f"{action}-from-{status}")
    for status in S
    for action in STATUS_CHANGING
    if status not in TRANSITIONS[action].sources
]


def status_check_key(action: Action) -> str:
    roles = TRANSITIONS[action].roles
    keys_by_role = {key: role for role, key in ROLE_KEYS.items()}
    return next(key for key in PREFERRED_ROLE_KEYS if keys_by_role[key] in roles)


def test_every_status_has_forbidden_moves_listed() -> None:
    # then the list is the full cross product minus the table's edges
    allowed = sum(len(TRANSITIONS[action].sources) for action in STATUS_CHANGING)
    assert len(FORBIDDEN) == len(S) * len(STATUS_CHANGING) - allowed


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "action"), FORBIDDEN)
def test_move_not_in_the_table_is_refused(
    world: World, clue_in: Callable[..., Clue], status: ClueStatus, action: Action
) -> None:
    # given a clue in a status the action does not start from
    clue = clue_in(status)
    actor = actor_for(world, status_check_key(action))
    before = snapshot(clue)
    expected: type[ClueError] = TransitionNotAllowed
    if actor.role in DEPARTMENT_ROLES and status in NO_DEPARTMENT_ASSIGNMENT:
        expected = ActionForbidden

    # when a role allowed to take the action tries it
    with pytest.raises(ClueError) as refused:
        perform(action, world, clue, actor)

    # then it is refused with the status (or, without an assignment, department) error
    assert type(refused.value) is expected
    assert refused.value.code == expected.code
    # and nothing changed: no event, no field, no assignment
    assert snapshot(clue) == before
