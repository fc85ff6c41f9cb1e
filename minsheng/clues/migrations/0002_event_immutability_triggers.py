"""Database triggers that refuse changes to recorded events.

PostgreSQL refuses UPDATE and DELETE (TRUNCATE stays possible for a deliberate purge and for
test flushes). SQLite refuses UPDATE only: its test flush deletes rows one table at a time in
no fixed order. A deleted or altered row is still caught by `verify_event_chains`.
"""

from django.db import migrations

SQLITE_CREATE = """
CREATE TRIGGER clueevent_no_update BEFORE UPDATE ON clues_clueevent
BEGIN SELECT RAISE(ABORT, 'clue events are immutable'); END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS clueevent_no_update;"

POSTGRES_CREATE = """
CREATE OR REPLACE FUNCTION minsheng_refuse_event_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'clue events are immutable';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER clueevent_immutable BEFORE UPDATE OR DELETE ON clues_clueevent
FOR EACH ROW EXECUTE FUNCTION minsheng_refuse_event_change();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS clueevent_immutable ON clues_clueevent;
DROP FUNCTION IF EXISTS minsheng_refuse_event_change();
"""


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [("clues", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
