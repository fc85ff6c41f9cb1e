"""Signals sent after a clue's transaction commits, for side effects such as notifications,
webhooks and triage (cross-cutting listeners; domain changes never travel through them)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with: clue_id, event_id, action, from_status, to_status, actor_role.
clue_transitioned = Signal()

# Sent after each committed import batch with: clue_ids (the clues created as received, to
# be triaged in bulk) and source.
clues_imported = Signal()
