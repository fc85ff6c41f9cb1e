"""Turn raw matches into the two answers triage shows: likely duplicate, or similar."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .index import Match

# Chosen on the silver-labelled evaluation (bench/duplicates_eval.py); see its docstring.
LIKELY_DUPLICATE_SCORE = 0.7
SIMILAR_SCORE = 0.4


@dataclass(frozen=True, slots=True)
class Classified:
    """Matches split by how sure we are; each list keeps the input's order."""

    likely_duplicates: list[Match]
    similar: list[Match]


def classify(
    matches: Iterable[Match],
    *,
    high: float = LIKELY_DUPLICATE_SCORE,
    low: float = SIMILAR_SCORE,
) -> Classified:
    """Split matches into likely duplicates and merely similar clues.

    Exact bodies and scores ≥ `high` are likely duplicates; so is a clue from the same
    complainant scoring ≥ `low`, because people repost the same issue with small edits.
    Anything else ≥ `low` is similar; the rest is dropped.
    """
    likely: list[Match] = []
    similar: list[Match] = []
    for match in matches:
        if match.exact or match.score >= high or (match.same_complainant and match.score >= low):
            likely.append(match)
        elif match.score >= low:
            similar.append(match)
    return Classified(likely_duplicates=likely, similar=similar)
