"""Signals sent after a clue's transaction commits, for side effects such as notifications,
webhooks and triage (cross-cutting listeners; domain changes never travel through them)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with: clue_id, event_id, action, from_status, to_status.
clue_transitioned = Signal()
