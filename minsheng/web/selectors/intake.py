"""Reads of the intake workbench: the queue, the AI's suggestions and the identity."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, IntegerField, QuerySet, Value, When

from minsheng.accounts.models import User
from minsheng.clues.models import Clue
from minsheng.clues.selectors import clues_visible_to
from minsheng.clues.workflow import INTAKE_QUEUE_STATUSES
from minsheng.directory.choices import Priority
from minsheng.directory.models import Department
from minsheng.triage.models import TriageResult

INTAKE_PAGE_SIZE = 50
# Queue orderings by the `sort` parameter; the first is the default.
INTAKE_SORTS = ("-received", "received", "priority")
_PRIORITY_RANK = {"urgent": 0, "high": 1, "normal": 2, "low": 3}


def intake_queue(
    user: User, *, status: str = "", priority: str = "", sort: str = ""
) -> QuerySet[Clue]:
    """Clues waiting for intake that `user` may see, with their triage and directory rows
    joined (one query per page); unknown filter values are ignored."""
    clues = (
        clues_visible_to(user)
        .filter(status__in=INTAKE_QUEUE_STATUSES)
        .select_related("triage", "category", "region")
    )
    if status in INTAKE_QUEUE_STATUSES:
        clues = clues.filter(status=status)
    if priority in Priority.values:
        clues = clues.filter(priority=priority)
    if sort == "received":
        return clues.order_by("received_at", "pk")
    if sort == "priority":
        rank = Case(
            *(When(priority=value, then=Value(n)) for value, n in _PRIORITY_RANK.items()),
            default=Value(len(_PRIORITY_RANK)),
            output_field=IntegerField(),
        )
        return clues.order_by(rank, "-received_at", "-pk")
    return clues.order_by("-received_at", "-pk")


def triage_of(clue: Clue) -> TriageResult | None:
    """The clue's triage result, or None (no query when it was joined by the selector)."""
    try:
        return clue.triage
    except TriageResult.DoesNotExist:
        return None


@dataclass(frozen=True)
class IntakeSuggestion:
    """The AI's suggestions for one queue row, in the words the table shows."""

    category: str
    probability: float | None
    lead_name: str
    urgency: str
    duplicates: int


def intake_suggestion(result: TriageResult | None) -> IntakeSuggestion | None:
    if result is None:
        return None
    top = result.categories[0] if result.categories else {}
    probability = top.get("probability")
    level = str(result.urgency.get("level") or "")
    return IntakeSuggestion(
        category=str(top.get("label") or ""),
        probability=float(probability) if probability is not None else None,
        lead_name=str(result.routing.get("lead_name") or ""),
        urgency=str(Priority(level).label) if level in Priority.values else level,
        duplicates=sum(1 for d in result.duplicates if d.get("kind") == "duplicate"),
    )


def intake_display_title(clue: Clue) -> str:
    """The masked title when triage made one (intake lists must not spread identities)."""
    result = triage_of(clue)
    return result.masked_title if result is not None and result.masked_title else clue.title


def intake_departments() -> QuerySet[Department]:
    return Department.objects.filter(is_active=True).order_by("name")


def departments_by_id(ids: list[int]) -> dict[int, Department]:
    return {department.pk: department for department in Department.objects.filter(pk__in=ids)}
