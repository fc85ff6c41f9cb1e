"""Domain errors of the clue lifecycle; each carries a stable code for the API."""

from __future__ import annotations


class ClueError(Exception):
    code = "clue_error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ClueNotFound(ClueError):
    """No such clue, or not one this user may see (the two are not told apart)."""

    code = "not_found"


class TransitionNotAllowed(ClueError):
    """The transition table has no such move from the clue's current status."""

    code = "transition_not_allowed"


class ActionForbidden(ClueError):
    """The actor's role or department may not take this action on this clue."""

    code = "forbidden"


class ClueValidationError(ClueError):
    """The action's input is wrong; `field` names the input that caused it."""

    code = "invalid"
