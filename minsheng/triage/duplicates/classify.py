"""Turn raw matches into the two answers triage shows: likely duplicate, or similar."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .index import Match
from .place_names import PlaceNames, places_differ

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
    query_places: PlaceNames | None = None,
    places: Mapping[int, PlaceNames] | None = None,
) -> Classified:
    """Split matches into likely duplicates and merely similar clues.

    Exact bodies and scores ≥ `high` are likely duplicates; so is a clue from the same
    complainant scoring ≥ `low`, because people repost the same issue with small edits.
    Anything else ≥ `low` is similar; the rest is dropped.

    Place check: given the query's `query_places` and `places` by matched clue id (both
    from `place_names`), a non-exact match whose text names a different place than the
    query (`places_differ`) is only similar, whatever its score: a form letter sent about
    another estate or district is a related case, not the same one. Matches missing from
    `places` are classified on their score alone.
    """
    likely: list[Match] = []
    similar: list[Match] = []
    for match in matches:
        if match.score < low and not match.exact:
            continue
        if match.exact or (
            (match.score >= high or match.same_complainant)
            and not _elsewhere(match, query_places, places)
        ):
            likely.append(match)
        else:
            similar.append(match)
    return Classified(likely_duplicates=likely, similar=similar)


def _elsewhere(
    match: Match, query_places: PlaceNames | None, places: Mapping[int, PlaceNames] | None
) -> bool:
    if query_places is None or places is None:
        return False
    other = places.get(match.clue_id)
    return other is not None and places_differ(query_places, other)
