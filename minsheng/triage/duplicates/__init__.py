"""Exact and near-duplicate detection for clues (MinHash LSH over character shingles)."""

from .classify import Classified, classify
from .index import DuplicateIndex, Match
from .minhash import MinHasher
from .place_names import PlaceNames, place_names, places_differ
from .text import exact_key, normalise, shingle_hashes

__all__ = [
    "Classified",
    "DuplicateIndex",
    "Match",
    "MinHasher",
    "PlaceNames",
    "classify",
    "exact_key",
    "normalise",
    "place_names",
    "places_differ",
    "shingle_hashes",
]
