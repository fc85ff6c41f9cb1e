"""Names of the immutability triggers, for tests that must simulate an attacker who drops them."""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper


def drop_event_triggers(connection: BaseDatabaseWrapper) -> None:
    """Drop the triggers inside the current transaction (tests roll it back)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS clueevent_no_update")
        elif connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER IF EXISTS clueevent_immutable ON clues_clueevent")
