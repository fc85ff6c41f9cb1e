"""Reads for the people who teach triage: which clues are most worth an operator's label."""

from __future__ import annotations

from dataclasses import dataclass

from minsheng.clues.models import Clue
from minsheng.clues.workflow import INTAKE_QUEUE_STATUSES
from minsheng.triage.classifier import suggest_for_labelling
from minsheng.triage.classifier.data import join_message
from minsheng.triage.registry import CATEGORY, active_model

# How many waiting clues are scored to pick the suggestions from (newest first).
CANDIDATE_POOL = 5000


@dataclass(frozen=True)
class LabellingSuggestion:
    """A clue in the intake queue that the model is unsure about, with its best guesses."""

    clue_id: int
    tracking_code: str
    title: str
    guesses: list[tuple[str, float]]


def clues_worth_labelling(*, limit: int = 20) -> list[LabellingSuggestion]:
    """Clues waiting in the intake queue without a category, that the active model is least
    sure about, near-copies passed over: an operator's category on these teaches the next
    `triage_train` the most (measured in bench/triage_active_learning.py). Empty when there
    is no model yet."""
    active = active_model(CATEGORY)
    if active is None or limit <= 0:
        return []
    _version, model = active
    rows = list(
        Clue.objects.filter(status__in=INTAKE_QUEUE_STATUSES, category__isnull=True)
        .order_by("-received_at", "-pk")
        .values_list("pk", "tracking_code", "title", "content")[:CANDIDATE_POOL]
    )
    if not rows:
        return []
    texts = [join_message(title=title, content=content) for _, _, title, content in rows]
    picked = suggest_for_labelling(model, texts, limit, diverse=True)
    guesses = model.predict_top([texts[i] for i in picked], k=3)
    return [
        LabellingSuggestion(
            clue_id=rows[i][0], tracking_code=rows[i][1], title=rows[i][2], guesses=top
        )
        for i, top in zip(picked, guesses, strict=True)
    ]
