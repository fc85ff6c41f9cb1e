"""Static properties of the transition table (workflow.TRANSITIONS): no database needed."""

from __future__ import annotations

from collections import deque

import pytest

from minsheng.accounts.roles import Role
from minsheng.clues.tests.workflow.actions import PERFORMERS, REPRESENTATIVE, ROLE_KEYS
from minsheng.clues.workflow import (
    CREATION_ACTIONS,
    INTAKE_QUEUE_STATUSES,
    OPEN_STATUSES,
    TERMINAL_STATUSES,
    TRANSITIONS,
    Action,
    ClueStatus,
    DeadlineEffect,
    allowed_actions,
)

S = ClueStatus


def _successors(status: ClueStatus) -> set[ClueStatus]:
    return {t.target for t in TRANSITIONS.values() if t.target is not None and status in t.sources}


def _reachable_from(start: ClueStatus) -> set[ClueStatus]:
    seen = {start}
    queue = deque([start])
    while queue:
        for target in _successors(queue.popleft()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def test_every_action_is_in_the_table_or_creates_a_clue() -> None:
    # given the actions, the table and the creation actions
    # then each action is exactly one of: a table entry, or a creation action
    assert set(TRANSITIONS).isdisjoint(CREATION_ACTIONS)
    assert set(TRANSITIONS) | set(CREATION_ACTIONS) == set(Action)
    # and each entry is filed under its own action
    assert all(action is t.action for action, t in TRANSITIONS.items())


def test_every_action_has_a_performer() -> None:
    # given the helpers the workflow tests take actions with
    # then every table action can be taken (a new edge cannot go untested)
    assert set(PERFORMERS) == set(TRANSITIONS)
    assert set(REPRESENTATIVE) == set(TRANSITIONS)
    assert set(ROLE_KEYS) == set(Role)


@pytest.mark.parametrize("action", list(TRANSITIONS), ids=str)
def test_every_transition_says_why(action: Action) -> None:
    # given an edge of the table
    transition = TRANSITIONS[action]
    # then it carries a reason for existing, sources and at least one role
    assert transition.why.strip()
    assert transition.sources
    assert transition.roles


@pytest.mark.parametrize("status", sorted(OPEN_STATUSES), ids=str)
def test_every_open_status_has_a_way_out(status: ClueStatus) -> None:
    # given a status that is not terminal
    # then at least one transition moves a clue out of it to another status
    assert _successors(status) - {status}


def test_terminal_statuses_are_exactly_the_ends() -> None:
    assert frozenset({S.CLOSED, S.REJECTED, S.WITHDRAWN, S.MERGED}) == TERMINAL_STATUSES
    assert frozenset(S) - TERMINAL_STATUSES == OPEN_STATUSES


def test_terminal_statuses_are_left_only_by_reopening_a_closed_clue() -> None:
    # given every action whose sources include a terminal status
    touching_terminal = {
        action: set(t.sources & TERMINAL_STATUSES)
        for action, t in TRANSITIONS.items()
        if t.sources & TERMINAL_STATUSES
    }
    # then only these act on ended clues: reopening and rating a closed clue, the logged
    # reveal, and the curation steps (tags on any clue, publication of a closed answer)
    assert touching_terminal == {
        Action.REOPEN: {S.CLOSED},
        Action.REVEAL_IDENTITY: set(TERMINAL_STATUSES),
        Action.RATE: {S.CLOSED},
        Action.SET_TAGS: set(TERMINAL_STATUSES),
        Action.SET_PUBLIC: {S.CLOSED},
    }
    # and of those only REOPEN changes the status
    leaving = {action for action in touching_terminal if TRANSITIONS[action].target is not None}
    assert leaving == {Action.REOPEN}
    for status in TERMINAL_STATUSES - {S.CLOSED}:
        assert _successors(status) == set()
    assert _successors(S.CLOSED) == {S.REOPENED}


def test_no_status_changing_transition_loops_to_its_own_source() -> None:
    for action, t in TRANSITIONS.items():
        assert t.target is None or t.target not in t.sources, action


@pytest.mark.parametrize("status", list(S), ids=str)
def test_every_status_is_reachable_from_received(status: ClueStatus) -> None:
    # given a graph search over the targets of the table, starting at "received"
    # then every status can be reached (answered too, without the import shortcut)
    assert status in _reachable_from(S.RECEIVED)


@pytest.mark.parametrize("status", sorted(OPEN_STATUSES), ids=str)
def test_every_open_status_can_still_end(status: ClueStatus) -> None:
    # given an open clue, then some sequence of actions ends it (no trap without an exit)
    assert _reachable_from(status) & TERMINAL_STATUSES


def test_creation_actions_start_in_intake_or_answered() -> None:
    assert CREATION_ACTIONS == {Action.RECEIVE: S.RECEIVED, Action.IMPORT_ANSWERED: S.ANSWERED}


def test_reasons_are_required_where_a_decision_must_be_explained() -> None:
    # then exactly these actions need a reason (a loosened edge fails here)
    required = {action for action, t in TRANSITIONS.items() if t.reason_required}
    assert required == {
        Action.RETURN,
        Action.REJECT,
        Action.WITHDRAW,
        Action.SEND_BACK,
        Action.REQUEST_EXTENSION,
        Action.DENY_EXTENSION,
        Action.REQUEST_INFO,
        Action.RESUME,
        Action.REOPEN,
        Action.MERGE,
        Action.CO_RETURN,
        Action.REVEAL_IDENTITY,
        Action.URGE,
        Action.ESCALATE,
        Action.SET_PUBLIC,
    }


def test_deadline_effects_follow_the_target() -> None:
    # given the status-changing edges
    for action, t in TRANSITIONS.items():
        if t.target is None:
            # then recorded steps never touch deadlines
            assert t.deadline is DeadlineEffect.NONE, action
        elif t.target in TERMINAL_STATUSES:
            # an ending stops the clock (and closes any pause)
            assert t.deadline is DeadlineEffect.STOP, action
        elif t.target is S.DISPATCHED:
            assert t.deadline is DeadlineEffect.START, action
        elif t.target in {S.RETURNED, S.REOPENED}:
            # back to intake: no department clock runs
            assert t.deadline is DeadlineEffect.CLEAR, action
        elif t.target is S.AWAITING_INFO:
            assert t.deadline is DeadlineEffect.PAUSE, action
        elif S.AWAITING_INFO in t.sources:
            # leaving the pause for work restarts the clock
            assert t.deadline is DeadlineEffect.RESUME, action


def test_the_analyst_only_reads_and_the_system_acts_only_where_listed() -> None:
    # then no edge lets an analyst act
    assert all(Role.ANALYST not in t.roles for t in TRANSITIONS.values())
    # and the platform itself takes only these actions
    system_actions = {action for action, t in TRANSITIONS.items() if Role.SYSTEM in t.roles}
    assert system_actions == {
        Action.TRIAGE,
        Action.DISPATCH,
        Action.RESUME,
        Action.CLOSE,
        Action.URGE,
        Action.ESCALATE,
        Action.UPDATE_DETAILS,
        Action.LINK,
    }


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize("status", list(S), ids=str)
def test_allowed_actions_agree_with_the_table(status: ClueStatus, role: Role) -> None:
    # given a status and a role
    expected = [
        action for action, t in TRANSITIONS.items() if status in t.sources and role in t.roles
    ]
    # when the menu asks which actions it may offer (enums or their string values)
    offered = allowed_actions(status, role)
    # then it lists exactly the table's actions, in table order
    assert offered == expected
    assert allowed_actions(status.value, role.value) == expected


@pytest.mark.parametrize(
    ("status", "role", "expected"),
    [
        (
            S.RECEIVED,
            Role.INTAKE,
            [
                Action.TRIAGE,
                Action.DISPATCH,
                Action.REJECT,
                Action.WITHDRAW,
                Action.MERGE,
                Action.ADD_INFO,
                Action.UPDATE_DETAILS,
                Action.LINK,
            ],
        ),
        (
            S.DISPATCHED,
            Role.DEPT_HANDLER,
            [
                Action.ACCEPT,
                Action.RETURN,
                Action.CO_ACCEPT,
                Action.CO_RETURN,
                Action.REVEAL_IDENTITY,
            ],
        ),
        (
            S.REPORTED,
            Role.SUPERVISOR,
            [
                Action.SEND_BACK,
                Action.APPROVE,
                Action.URGE,
                Action.ESCALATE,
                Action.LINK,
                Action.SET_TAGS,
            ],
        ),
        (S.CLOSED, Role.CITIZEN, [Action.REOPEN, Action.RATE]),
        (S.ANSWERED, Role.CITIZEN, [Action.REOPEN, Action.RATE, Action.ADD_INFO]),
        (S.MERGED, Role.INTAKE, []),
        (S.ACCEPTED, Role.ANALYST, []),
    ],
    ids=lambda value: str(value) if not isinstance(value, list) else "",
)
def test_allowed_actions_examples(status: ClueStatus, role: Role, expected: list[Action]) -> None:
    # then the menu for a few well-known situations is what a person would expect
    assert allowed_actions(status, role) == expected


def test_intake_queue_statuses_are_where_details_may_be_corrected() -> None:
    assert TRANSITIONS[Action.UPDATE_DETAILS].sources == INTAKE_QUEUE_STATUSES
    assert TRANSITIONS[Action.DISPATCH].sources == INTAKE_QUEUE_STATUSES
