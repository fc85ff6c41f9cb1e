"""Operators' corrections become training labels.

Read from the committed event (category, region, department, duplicate link), beside what
triage had suggested, so `triage_train` learns from the deployment's own decisions.
"""

from __future__ import annotations

from typing import Any

from minsheng.accounts.roles import Role
from minsheng.clues.choices import LinkKind
from minsheng.clues.models import ClueEvent
from minsheng.clues.workflow import Action
from minsheng.triage.models import TriageLabel, TriageResult


def _suggested(result: TriageResult | None, field: str) -> str:
    if result is None:
        return ""
    if field == "category" and result.categories:
        return str(result.categories[0].get("category_id") or "")
    if field == "region":
        return str(result.region_id or "")
    if field == "department":
        return str(result.routing.get("lead") or "")
    if field == "duplicate" and result.duplicates:
        return str(result.duplicates[0].get("clue_id") or "")
    return ""


def labels_from_event(event: ClueEvent) -> list[tuple[str, str]]:
    """(field, value) pairs that a human decision in `event` teaches."""
    payload: dict[str, Any] = event.payload
    if event.actor_role == Role.SYSTEM:
        return []
    if event.action in (Action.TRIAGE, Action.UPDATE_DETAILS):
        changes = payload.get("changes", {})
        return [
            (field, str(changes[field]["to"]))
            for field in ("category", "region")
            if field in changes and changes[field].get("to") is not None
        ]
    if event.action == Action.DISPATCH and payload.get("routing") == "manual":
        return [("department", str(payload["lead"]))]
    if event.action == Action.LINK and payload.get("kind") == LinkKind.DUPLICATE:
        return [("duplicate", str(payload["other"]))]
    if event.action == Action.MERGE:
        return [("duplicate", str(payload["into"]))]
    return []


def record_labels(event: ClueEvent) -> list[TriageLabel]:
    """Store the labels an event teaches (once per event and field)."""
    pairs = labels_from_event(event)
    if not pairs:
        return []
    result = TriageResult.objects.filter(clue_id=event.clue_id).first()
    labels = []
    for field, value in pairs:
        label, _created = TriageLabel.objects.get_or_create(
            event=event,
            field=field,
            defaults={
                "clue_id": event.clue_id,
                "value": value,
                "suggested": _suggested(result, field),
                "actor_id": event.actor_id,
            },
        )
        labels.append(label)
    return labels
