"""The per-clue event chain: each event stores the hash of the one before it.

Events are built here and nowhere else, so the hash always covers the same fields in the
same canonical form; `verify_chain` recomputes it to find any altered, removed or inserted row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from minsheng.accounts.actors import Actor
from minsheng.clues.models import Clue, ClueEvent
from minsheng.clues.workflow import Action

GENESIS_HASH = ""
# Built once (`json.dumps` builds one per call when given options; the output is the same).
_HASH_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
_PAYLOAD_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)


def _canonical_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def compute_event_hash(
    *,
    clue_id: int,
    seq: int,
    action: str,
    from_status: str,
    to_status: str,
    actor_id: int | None,
    actor_role: str,
    actor_name: str,
    reason: str,
    payload: dict[str, Any],
    created_at: dt.datetime,
    prev_hash: str,
) -> str:
    document = {
        "clue": clue_id,
        "seq": seq,
        "action": action,
        "from": from_status,
        "to": to_status,
        "actor": actor_id,
        "role": actor_role,
        "name": actor_name,
        "reason": reason,
        "payload": payload,
        "at": _canonical_time(created_at),
        "prev": prev_hash,
    }
    encoded = _HASH_ENCODER.encode(document)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def hash_of(event: ClueEvent) -> str:
    return compute_event_hash(
        clue_id=event.clue_id,
        seq=event.seq,
        action=event.action,
        from_status=event.from_status,
        to_status=event.to_status,
        actor_id=event.actor_id,
        actor_role=event.actor_role,
        actor_name=event.actor_name,
        reason=event.reason,
        payload=event.payload,
        created_at=event.created_at,
        prev_hash=event.prev_hash,
    )


def next_event(
    clue: Clue,
    *,
    action: Action,
    actor: Actor,
    from_status: str,
    to_status: str,
    at: dt.datetime,
    reason: str = "",
    payload: dict[str, Any] | None = None,
) -> ClueEvent:
    """Build (unsaved) the next event of `clue`'s chain and advance the clue's chain head.

    The caller saves both the event and the clue's `last_event_seq`/`last_event_hash` in the
    same transaction, with the clue row locked.
    """
    payload = json.loads(_PAYLOAD_ENCODER.encode(payload or {}))
    event = ClueEvent(
        clue=clue,
        seq=clue.last_event_seq + 1,
        action=action.value,
        from_status=from_status,
        to_status=to_status,
        actor=actor.user,
        actor_role=actor.role.value,
        actor_name=actor.name[:100],
        reason=reason,
        payload=payload,
        created_at=at,
        prev_hash=clue.last_event_hash,
    )
    event.hash = hash_of(event)
    clue.last_event_seq = event.seq
    clue.last_event_hash = event.hash
    return event


@dataclass(frozen=True)
class ChainBreak:
    """One broken link, named precisely enough to investigate."""

    clue_id: int
    tracking_code: str
    seq: int | None
    problem: str

    def __str__(self) -> str:
        where = f"event #{self.seq}" if self.seq is not None else "chain head"
        return f"clue {self.tracking_code} (id {self.clue_id}) {where}: {self.problem}"


def verify_chain(clue: Clue, events: Iterable[ClueEvent]) -> list[ChainBreak]:
    """Check one clue's events (ordered by seq) against each other and the clue's chain head."""
    breaks: list[ChainBreak] = []
    expected_prev = GENESIS_HASH
    expected_seq = 1
    last_hash = GENESIS_HASH
    for event in events:

        def broken(problem: str, seq: int = event.seq) -> None:
            breaks.append(ChainBreak(clue.pk, clue.tracking_code, seq, problem))

        if event.seq != expected_seq:
            broken(f"sequence jumps from {expected_seq - 1} to {event.seq} (events missing)")
        if event.prev_hash != expected_prev:
            broken("prev_hash does not match the previous event (removed or reordered)")
        if hash_of(event) != event.hash:
            broken("content does not match its hash (altered)")
        expected_prev = event.hash
        expected_seq = event.seq + 1
        last_hash = event.hash
    if clue.last_event_hash != last_hash or clue.last_event_seq != expected_seq - 1:
        breaks.append(
            ChainBreak(
                clue.pk,
                clue.tracking_code,
                None,
                "the clue's chain head does not match its last event (events missing at the end)",
            )
        )
    return breaks


def verify_all_chains(batch_size: int = 500) -> Iterator[ChainBreak]:
    """Walk every clue's chain in id order, a batch of clues at a time (constant memory)."""
    last_id = 0
    while True:
        clues = list(Clue.objects.filter(pk__gt=last_id).order_by("pk")[:batch_size])
        if not clues:
            return
        by_clue: dict[int, list[ClueEvent]] = {clue.pk: [] for clue in clues}
        for event in ClueEvent.objects.filter(clue_id__in=by_clue).order_by("clue_id", "seq"):
            by_clue[event.clue_id].append(event)
        for clue in clues:
            yield from verify_chain(clue, by_clue[clue.pk])
        last_id = clues[-1].pk
