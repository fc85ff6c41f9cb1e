"""Reads of clues, always limited to what the requesting user may see."""

from __future__ import annotations

import functools

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from minsheng.accounts.models import User
from minsheng.accounts.roles import Role
from minsheng.clues import permissions
from minsheng.clues.errors import ClueNotFound
from minsheng.clues.models import Assignment, Clue, ClueEvent, Complainant
from minsheng.clues.services.codes import (
    check_query_secret,
    hash_query_secret,
    normalize_tracking_code,
)
from minsheng.clues.services.identity import identity_values
from minsheng.privacy.masking import mask_complainant_fields


# Used to spend the same time on a wrong tracking code as on a wrong secret.
@functools.cache
def _dummy_secret_hash() -> str:
    """Made on first use, not at import: hashing costs start-up time in every process."""
    return hash_query_secret("NOSUCHCODE")


def clues_visible_to(user: User) -> QuerySet[Clue]:
    """Every clue for intake, supervision and analysis; a department's own for its staff;
    a citizen's own submissions for a signed-in citizen; nothing for anyone else."""
    clues = Clue.objects.all()
    if not user.is_active:
        return clues.none()
    if permissions.sees_all_clues(user.role):
        return clues
    if permissions.is_department_role(user.role) and user.department_id is not None:
        assigned = Assignment.objects.filter(clue=OuterRef("pk"), department_id=user.department_id)
        return clues.filter(Exists(assigned))
    if user.role == Role.CITIZEN:
        return clues.filter(citizen=user)
    return clues.none()


def access_clue(user: User, clue_id: int, *, for_update: bool = False) -> Clue:
    """Fetch a clue the user may see (locked when asked); a hidden clue is "not found"."""
    clues = clues_visible_to(user)
    if for_update:
        clues = clues.select_for_update()
    clue = clues.filter(pk=clue_id).first()
    if clue is None:
        raise ClueNotFound(_("线索不存在或无权查看。"))
    return clue


def clue_by_tracking_code(user: User, code: str) -> Clue | None:
    """The clue with this tracking code if `user` may see it (spaces and dashes ignored)."""
    normalized = normalize_tracking_code(code)
    if not normalized:
        return None
    return clues_visible_to(user).filter(tracking_code=normalized).first()


def citizen_access_clue(tracking_code: str, query_secret: str) -> Clue:
    """A clue looked up by a citizen: the tracking code alone reveals nothing."""
    clue = Clue.objects.filter(tracking_code=normalize_tracking_code(tracking_code)).first()
    has_secret = clue is not None and bool(clue.query_secret_hash)
    # Without a real secret a dummy hash is still checked, so that a wrong code takes as long
    # as a wrong secret; its result never opens anything.
    secret_matches = check_query_secret(
        query_secret, clue.query_secret_hash if clue and has_secret else _dummy_secret_hash()
    )
    if clue is None or not has_secret or not secret_matches:
        raise ClueNotFound(_("受理编号或查询码不正确。"))
    return clue


def complainant_identity_for(user: User, clue: Clue) -> dict[str, str]:
    """The complainant's identity as this user may see it: masked for department staff."""
    complainant = Complainant.objects.filter(clue=clue).first()
    values = identity_values(complainant)
    if permissions.sees_identity(user.role):
        return values
    return mask_complainant_fields(values)


def clue_timeline(clue: Clue) -> QuerySet[ClueEvent]:
    return clue.events.select_related("actor").order_by("seq")


def department_assignments(user: User) -> QuerySet[Assignment]:
    """The user's department's assignments, soonest deadline first."""
    if user.department_id is None:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(department_id=user.department_id)
        .select_related("clue", "department")
        .order_by("handle_due", "pk")
    )
