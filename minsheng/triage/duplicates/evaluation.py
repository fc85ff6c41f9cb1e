"""Silver-labelled duplicate pairs from Teddy Cup message files, and scoring of the index.

No one labelled duplicates in these files, so labels are heuristic ("silver"), and built
from a representation the index does not use (jieba word sets, not character 3-grams) to
keep the evaluation from grading the index against itself:

* positive ``exact``: two messages (different 留言编号) with the same normalised body of at
  least `MIN_BODY` characters;
* positive ``same_user``: same 留言用户, different 留言编号, word-set Jaccard ≥ 0.5;
* negative ``random``: random pairs of messages from different users;
* negative ``same_topic``: same first-level label, word-set Jaccard < 0.2;
* negative ``same_user_other``: same 留言用户, word-set Jaccard < 0.2 (one person, two issues);
* negative ``other_place`` (hard): the same form letter about a different estate, district
  or building, by 留言编号 in `OTHER_PLACE_PAIRS`. These were found by hand: pairs the index
  retrieves at score ≥ 0.4 whose character diff (difflib) is mostly place names were read
  one by one, and those about a different place kept.

Pairs between 0.2 and 0.5 are left unlabelled. Different people reporting the same problem
cannot be labelled this way; `bench/duplicates_eval.py` lists a sample for hand checking.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jieba
import openpyxl

from .classify import classify
from .index import DuplicateIndex
from .place_names import PlaceNames, place_names
from .text import normalise

MIN_BODY = 30
POSITIVE_WORD_JACCARD = 0.5
NEGATIVE_WORD_JACCARD = 0.2
POSITIVE_KINDS = ("exact", "same_user")
NEGATIVE_KINDS = ("random", "same_topic", "same_user_other", "other_place")
# Same template, different place (see the module docstring); 留言编号 pairs, no text.
OTHER_PLACE_PAIRS = (
    ("233931", "242792"),  # noise from ground-floor shops, two estates in two districts
    ("233931", "360105"),
    ("200546", "268914"),  # restaurant fumes, two estates
    ("200546", "360102"),
    ("209032", "246598"),  # barbecue stalls, two estates
    ("209032", "360103"),
    ("228107", "236798"),  # fumes from street-front shops, two estates
    ("228107", "360101"),
    ("284147", "30532"),  # night-food stalls, two estates
    ("360107", "30532"),
    ("272122", "30532"),
    ("360108", "30532"),
    ("196659", "205329"),  # karaoke noise, two estates of one district
    ("184506", "149101"),  # county TV advertising, two counties
    ("272117", "8343"),  # refuse station, two estates
    ("280269", "8343"),
    ("282074", "8343"),
)


@dataclass(frozen=True, slots=True)
class Message:
    """One row of a message file; `row_id` is unique across the files read together."""

    row_id: int
    message_id: str | None
    user: str | None
    label: str | None
    text: str  # title and body, as indexed
    body: str


@dataclass(frozen=True, slots=True)
class Pair:
    """Two messages and their silver label."""

    a: int
    b: int
    kind: str

    @property
    def positive(self) -> bool:
        return self.kind in POSITIVE_KINDS


def read_messages(paths: Iterable[Path], *, limit: int | None = None) -> list[Message]:
    """Messages of the files, first copy only when a 留言编号 repeats across files."""
    messages: list[Message] = []
    seen_ids: set[str] = set()
    for path in paths:
        workbook = openpyxl.load_workbook(path, read_only=True)
        rows = workbook.active.iter_rows(values_only=True)
        header = [str(cell).strip() if cell is not None else "" for cell in next(rows)]
        for count, cells in enumerate(rows):
            if limit is not None and count >= limit:
                break
            row = dict(zip(header, cells, strict=False))
            message_id = _cell(row, "留言编号")
            if message_id is not None:
                if message_id in seen_ids:
                    continue
                seen_ids.add(message_id)
            title, body = _cell(row, "留言主题") or "", _cell(row, "留言详情") or ""
            messages.append(
                Message(
                    row_id=len(messages),
                    message_id=message_id,
                    user=_cell(row, "留言用户"),
                    label=_cell(row, "一级分类"),
                    text=f"{title}\n{body}",
                    body=body,
                )
            )
        workbook.close()
    return messages


def silver_pairs(
    messages: Sequence[Message], *, seed: int = 0, negatives_per_kind: int = 2_000
) -> list[Pair]:
    """Labelled pairs as described in the module docstring."""
    rng = random.Random(seed)  # noqa: S311 - sampling evaluation pairs, not secrets
    words = {m.row_id: _words(m.text) for m in messages}
    pairs: list[Pair] = []
    by_body: dict[str, list[int]] = defaultdict(list)
    for m in messages:
        body = normalise(m.body)
        if len(body) >= MIN_BODY:
            by_body[body].append(m.row_id)
    exact_pairs = {(g[0], other) for g in by_body.values() for other in g[1:]}
    pairs += [Pair(a, b, "exact") for a, b in sorted(exact_pairs)]

    by_user: dict[str, list[int]] = defaultdict(list)
    for m in messages:
        if m.user:
            by_user[m.user].append(m.row_id)
    other: list[Pair] = []
    for rows in by_user.values():
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                if (a, b) in exact_pairs:
                    continue
                overlap = _jaccard(words[a], words[b])
                if overlap >= POSITIVE_WORD_JACCARD:
                    pairs.append(Pair(a, b, "same_user"))
                elif overlap < NEGATIVE_WORD_JACCARD:
                    other.append(Pair(a, b, "same_user_other"))
    pairs += rng.sample(other, min(len(other), negatives_per_kind))

    ids = [m.row_id for m in messages]
    users = {m.row_id: m.user for m in messages}
    bodies = {m.row_id: normalise(m.text) for m in messages}
    random_pairs: list[Pair] = []
    while len(random_pairs) < negatives_per_kind:
        a, b = rng.sample(ids, 2)
        if (users[a] is None or users[a] != users[b]) and bodies[a] != bodies[b]:
            random_pairs.append(Pair(min(a, b), max(a, b), "random"))
    pairs += random_pairs

    by_label: dict[str, list[int]] = defaultdict(list)
    for m in messages:
        if m.label:
            by_label[m.label].append(m.row_id)
    labels = sorted(by_label)
    topic_pairs: list[Pair] = []
    attempts = 0
    while labels and len(topic_pairs) < negatives_per_kind and attempts < 50 * negatives_per_kind:
        attempts += 1
        a, b = rng.sample(by_label[rng.choice(labels)], 2)
        if _jaccard(words[a], words[b]) < NEGATIVE_WORD_JACCARD:
            topic_pairs.append(Pair(min(a, b), max(a, b), "same_topic"))
    return pairs + topic_pairs + other_place_pairs(messages)


def other_place_pairs(messages: Sequence[Message]) -> list[Pair]:
    """The hand-checked `OTHER_PLACE_PAIRS` present among `messages`."""
    rows = {m.message_id: m.row_id for m in messages if m.message_id is not None}
    return [
        Pair(min(rows[a], rows[b]), max(rows[a], rows[b]), "other_place")
        for a, b in OTHER_PLACE_PAIRS
        if a in rows and b in rows
    ]


def classified_likely(
    index: DuplicateIndex,
    messages: Sequence[Message],
    pairs: Sequence[Pair],
    *,
    place_check: bool,
    k: int = 200,
) -> list[float]:
    """1.0 where `classify` calls b a likely duplicate of a (querying a), else 0.0.

    With `place_check`, `classify` gets the place names of both texts, as triage does.
    """
    texts = {m.row_id: m.text for m in messages}
    names: dict[int, PlaceNames] = {}

    def names_of(row: int) -> PlaceNames:
        if row not in names:
            names[row] = place_names(texts[row])
        return names[row]

    out = []
    for pair in pairs:
        matches = [m for m in index.query_id(pair.a, k=k) if m.clue_id == pair.b]
        if place_check and matches:
            split = classify(
                matches, query_places=names_of(pair.a), places={pair.b: names_of(pair.b)}
            )
        else:
            split = classify(matches)
        out.append(1.0 if split.likely_duplicates else 0.0)
    return out


def build_index(messages: Sequence[Message]) -> DuplicateIndex:
    """An index of all messages keyed by row id, with the user as complainant key."""
    index = DuplicateIndex()
    index.add_many(
        [(m.row_id, m.text) for m in messages], complainant_keys=[m.user for m in messages]
    )
    return index


def pair_scores(index: DuplicateIndex, pairs: Sequence[Pair], *, k: int = 200) -> list[float]:
    """Score the index gives each pair: b's score among a's matches, 0.0 when not retrieved."""
    cache: dict[int, dict[int, float]] = {}
    scores = []
    for pair in pairs:
        if pair.a not in cache:
            cache[pair.a] = {m.clue_id: m.score for m in index.query_id(pair.a, k=k)}
        scores.append(cache[pair.a].get(pair.b, 0.0))
    return scores


def precision_recall(
    pairs: Sequence[Pair], scores: Sequence[float], *, threshold: float
) -> tuple[float, float]:
    """Precision and recall over the labelled pairs when score ≥ threshold means duplicate."""
    tp = sum(p.positive and s >= threshold for p, s in zip(pairs, scores, strict=True))
    fp = sum(not p.positive and s >= threshold for p, s in zip(pairs, scores, strict=True))
    positives = sum(p.positive for p in pairs)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / positives if positives else 0.0
    return precision, recall


def _cell(row: dict[str, Any], name: str) -> str | None:
    value = row.get(name)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in jieba.lcut(normalise(text)) if len(w) > 1)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0
