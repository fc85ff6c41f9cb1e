"""Write one batch of clean rows: clues, complainants and creation events, in one transaction.

Per batch, a fixed number of queries whatever its size: one to find the rows already present
(by external id within the source, else by fingerprint within the source), one or more to
check new tracking codes, then bulk inserts of clues, complainants and events, and one bulk
update setting the clues' event-chain heads (an event's hash covers its clue's id, known only once
the clue is inserted).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from minsheng.accounts.actors import Actor
from minsheng.clues.choices import ContactPreference
from minsheng.clues.importing.rows import ClueRow
from minsheng.clues.models import Clue, ClueEvent, Complainant
from minsheng.clues.services.codes import new_tracking_code
from minsheng.clues.services.events import next_event
from minsheng.clues.signals import clues_imported
from minsheng.clues.workflow import CREATION_ACTIONS, Action, ClueStatus
from minsheng.directory.models import Category, Region
from minsheng.directory.selectors import category_by_path, category_find_by_name

IMPORTER = Actor.system("importer")
WRITE_ATTEMPTS = 3  # a concurrent writer may take a tracking code or an external id first
CODE_ROUNDS = 10
_REGION_CODE = re.compile(r"\d{12}|\d{9}|\d{6}")


class Resolver:
    """Category labels and region labels to rows, each label looked up once per import."""

    def __init__(self) -> None:
        self._categories: dict[str, Category | None] = {}
        self._regions: dict[str, Region | None] = {}

    def category(self, label: str) -> Category | None:
        """A bare name matches the shallowest category of that name; "A / B / C" (our own
        export's full path) is followed from the root."""
        if label not in self._categories:
            self._categories[label] = self._find_category(label)
        return self._categories[label]

    def region(self, label: str) -> Region | None:
        """A region by the code in the label ("雨花区（430111）" or "430111"), else by its
        name when that name is unique."""
        if label not in self._regions:
            self._regions[label] = self._find_region(label)
        return self._regions[label]

    @staticmethod
    def _find_category(label: str) -> Category | None:
        # A path from the root first; then a bare name (which may itself contain "/"). An
        # ambiguous name matches nothing rather than a guess, and is counted as unmatched.
        return category_by_path(path=label) or category_find_by_name(name=label)

    @staticmethod
    def _find_region(label: str) -> Region | None:
        match = _REGION_CODE.search(label)
        if match is not None:
            return Region.objects.filter(code=match.group()).first()
        regions = list(Region.objects.filter(name=label)[:2])
        return regions[0] if len(regions) == 1 else None


@dataclass(frozen=True)
class BatchTarget:
    """Where a batch goes and who writes it."""

    source: str
    channel: str
    file_name: str
    resolver: Resolver
    actor: Actor = IMPORTER


@dataclass
class BatchOutcome:
    created: int = 0
    answered: int = 0
    complainants: int = 0
    skipped_existing: int = 0
    skipped_duplicate: int = 0
    categories_matched: int = 0
    unmatched_categories: Counter[str] = field(default_factory=Counter)
    unmatched_regions: Counter[str] = field(default_factory=Counter)
    first_pk: int | None = None
    received_ids: list[int] = field(default_factory=list)


def write_batch(
    rows: Sequence[ClueRow],
    *,
    target: BatchTarget,
    created_since_pk: int | None,
    now: dt.datetime,
) -> BatchOutcome:
    """Create the clues of `rows` that are not present yet, all or none.

    `created_since_pk` is the first pk this import created: a match at or above it is a
    repeat within the file rather than a clue that was there before (concurrent writers can
    blur that count, never what is written).
    """
    for attempt in range(WRITE_ATTEMPTS):
        try:
            with transaction.atomic():
                return _write(rows, target=target, created_since_pk=created_since_pk, now=now)
        except IntegrityError:
            if attempt == WRITE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _write(
    rows: Sequence[ClueRow],
    *,
    target: BatchTarget,
    created_since_pk: int | None,
    now: dt.datetime,
) -> BatchOutcome:
    outcome = BatchOutcome()
    unique: list[ClueRow] = []
    seen: set[str] = set()
    for row in rows:
        if row.key in seen:
            outcome.skipped_duplicate += 1
        else:
            seen.add(row.key)
            unique.append(row)

    present = _present_keys(unique, source=target.source)
    new_rows: list[ClueRow] = []
    for row in unique:
        pk = present.get(row.key)
        if pk is None:
            new_rows.append(row)
        elif created_since_pk is not None and pk >= created_since_pk:
            outcome.skipped_duplicate += 1
        else:
            outcome.skipped_existing += 1
    if not new_rows:
        return outcome

    clues = [_build_clue(row, target=target, now=now, outcome=outcome) for row in new_rows]
    _assign_tracking_codes(clues)
    Clue.objects.bulk_create(clues)

    complainants = [
        Complainant(
            clue=clue,
            external_user=row.external_user,
            contact_preference=ContactPreference.NONE,
        )
        for clue, row in zip(clues, new_rows, strict=True)
        if row.external_user
    ]
    Complainant.objects.bulk_create(complainants)

    events = [
        _creation_event(clue, row, target=target, now=now)
        for clue, row in zip(clues, new_rows, strict=True)
    ]
    ClueEvent.objects.bulk_create(events)
    _store_chain_heads(clues)

    outcome.created = len(clues)
    outcome.answered = sum(1 for row in new_rows if row.answered)
    outcome.complainants = len(complainants)
    outcome.first_pk = min(clue.pk for clue in clues)
    outcome.received_ids = [clue.pk for clue in clues if clue.status == ClueStatus.RECEIVED]
    if outcome.received_ids:
        received_ids = list(outcome.received_ids)
        transaction.on_commit(
            lambda: clues_imported.send(sender=Clue, clue_ids=received_ids, source=target.source)
        )
    return outcome


def _store_chain_heads(clues: Sequence[Clue]) -> None:
    """Save each new clue's chain head, which `next_event` set on the instance: the head is
    its one event's seq and hash, so one UPDATE copies them from the stored events.

    (`bulk_update` would write the same values, but builds a CASE WHEN per row in Python:
    about 2 ms a row, more than the rest of the import together.)
    """
    first_events = ClueEvent.objects.filter(clue=OuterRef("pk"), seq=1)
    updated = Clue.objects.filter(pk__in=[clue.pk for clue in clues]).update(
        last_event_seq=1, last_event_hash=Subquery(first_events.values("hash")[:1])
    )
    if updated != len(clues):
        raise IntegrityError("chain heads of imported clues were not all stored")


def _present_keys(rows: Sequence[ClueRow], *, source: str) -> dict[str, int]:
    """Keys of `rows` already stored in `source`, with the clue's pk: one query.

    A UNION of two index searches: by (source, external id), through the partial unique
    index (hence the explicit external_id <> ''), and by fingerprint. An OR of the two in
    one WHERE would scan the whole table on SQLite, every batch.
    """
    ids = [row.external_id for row in rows if row.external_id]
    fingerprints = [row.fingerprint for row in rows if not row.external_id]
    columns = ("pk", "external_id", "fingerprint")
    by_id = (
        Clue.objects.filter(source=source, external_id__in=ids)
        .exclude(external_id="")
        .order_by()
        .values_list(*columns)
    )
    by_fingerprint = (
        Clue.objects.filter(source=source, fingerprint__in=fingerprints)
        .order_by()
        .values_list(*columns)
    )
    if ids and fingerprints:
        found = by_id.union(by_fingerprint, all=True)
    elif ids:
        found = by_id
    elif fingerprints:
        found = by_fingerprint
    else:
        return {}
    present: dict[str, int] = {}
    wanted_ids, wanted_fingerprints = set(ids), set(fingerprints)
    for pk, external_id, fingerprint in found:
        if external_id in wanted_ids:
            present.setdefault(f"id:{external_id}", pk)
        if fingerprint in wanted_fingerprints:
            present.setdefault(f"fp:{fingerprint}", pk)
    return present


def _build_clue(
    row: ClueRow, *, target: BatchTarget, now: dt.datetime, outcome: BatchOutcome
) -> Clue:
    category = target.resolver.category(row.category_label) if row.category_label else None
    if category is not None:
        outcome.categories_matched += 1
    elif row.category_label:
        outcome.unmatched_categories[row.category_label] += 1
    region = target.resolver.region(row.region_label) if row.region_label else None
    if region is None and row.region_label:
        outcome.unmatched_regions[row.region_label] += 1
    status = CREATION_ACTIONS[Action.IMPORT_ANSWERED if row.answered else Action.RECEIVE]
    return Clue(
        channel=target.channel,
        source=target.source,
        external_id=row.external_id,
        fingerprint=row.fingerprint,
        title=row.title,
        content=row.content,
        category=category,
        source_category_label=row.category_label,
        region=region,
        place_text=row.place_text,
        reported_at=row.reported_at or now,
        received_at=now,
        is_anonymous=not row.external_user,
        priority=row.priority,
        status=status,
        answer=row.answer,
        answered_at=row.answered_at,
        up_votes=row.up_votes,
        down_votes=row.down_votes,
    )


def _assign_tracking_codes(clues: Sequence[Clue]) -> None:
    """Give each clue a tracking code dated by its reported day, unique in the batch and
    in the database (codes are random: regenerate the few that clash)."""
    days = [timezone.localdate(clue.reported_at) for clue in clues]
    codes = [new_tracking_code(day) for day in days]
    unchecked = set(range(len(codes)))
    for _round in range(CODE_ROUNDS):
        clashes: set[int] = set()
        first_index: dict[str, int] = {}
        for index, code in enumerate(codes):
            if first_index.setdefault(code, index) != index:
                clashes.add(index)
        taken = set(
            Clue.objects.filter(tracking_code__in=[codes[index] for index in unchecked])
            .order_by()
            .values_list("tracking_code", flat=True)
        )
        clashes.update(index for index in unchecked if codes[index] in taken)
        if not clashes:
            break
        for index in clashes:
            codes[index] = new_tracking_code(days[index])
        unchecked = clashes
    else:
        raise IntegrityError("could not find free tracking codes")
    for clue, code in zip(clues, codes, strict=True):
        clue.tracking_code = code


def _creation_event(
    clue: Clue, row: ClueRow, *, target: BatchTarget, now: dt.datetime
) -> ClueEvent:
    action = Action.IMPORT_ANSWERED if row.answered else Action.RECEIVE
    status: ClueStatus = CREATION_ACTIONS[action]
    payload: dict[str, object] = {
        "channel": target.channel,
        "source": target.source,
        "external_id": row.external_id,
        "reported_at": _iso(row.reported_at),
        "file": target.file_name,
        "line": row.line,
    }
    if row.answered:
        payload["answered_at"] = _iso(row.answered_at)
    return next_event(
        clue,
        action=action,
        actor=target.actor,
        from_status="",
        to_status=status,
        at=now,
        payload=payload,
    )


def _iso(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment is not None else None
