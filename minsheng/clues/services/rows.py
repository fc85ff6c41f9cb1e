"""Statement writers for the batch paths: many rows of one model in one statement.

Django's bulk_create and bulk_update compile every value of every row through the ORM
(bulk_update adds a CASE per row), which costs more than the rest of a triage batch; these
prepare each value with its field's own conversion and send one statement for many rows.
Measured in bench/triage_pipeline.py (docs/benchmarks.md).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connections, models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field

# Rows per INSERT statement where the backend sets no lower limit: PostgreSQL takes at
# most 65,535 parameters in one statement.
ROWS_PER_INSERT = 500

# Per field type, the Python types its values already have in the database: a field's
# conversion is skipped for these (a subclass, a lazy string, a Decimal still go through it).
_INTEGER_TYPES = (
    models.AutoField,
    models.BigAutoField,
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
)
_PLAIN_VALUES: dict[type[Field[Any, Any]], frozenset[type]] = {
    **dict.fromkeys((models.CharField, models.TextField), frozenset({str, type(None)})),
    **dict.fromkeys(_INTEGER_TYPES, frozenset({int, type(None)})),
    models.FloatField: frozenset({float, type(None)}),
}


def _value_preparer(
    field: Field[Any, Any], connection: BaseDatabaseWrapper
) -> Callable[[Any], Any]:
    """The field's `get_db_prep_save`, skipped for values already in their database type."""
    prepare = functools.partial(field.get_db_prep_save, connection=connection)
    if isinstance(field, models.JSONField):
        # What JSONField.get_db_prep_save comes to for a list or dict, without its layers.
        adapt, encoder = connection.ops.adapt_json_value, field.encoder
        return lambda value: (
            adapt(value, encoder) if type(value) in (dict, list) else prepare(value)
        )
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    plain = _PLAIN_VALUES.get(type(target))
    if plain is None:
        return prepare
    return lambda value: value if type(value) in plain else prepare(value)


def _row_reader(
    fields: Sequence[Field[Any, Any]], connection: BaseDatabaseWrapper, *, adding: bool
) -> Callable[[models.Model], list[Any]]:
    """Read one object's database values for `fields`, as Django's save would (`pre_save`
    included, for `auto_now` and the like)."""
    preparers = [_value_preparer(field, connection) for field in fields]
    readers: list[Callable[[models.Model], Any]] = [
        functools.partial(field.pre_save, add=adding)
        if type(field).pre_save is not Field.pre_save
        else operator.attrgetter(field.attname)
        for field in fields
    ]
    pairs = list(zip(readers, preparers, strict=True))
    return lambda obj: [prepare(read(obj)) for read, prepare in pairs]


def rows_insert(objs: Sequence[models.Model]) -> None:
    """INSERT new objects of one model (database-assigned pks), many rows per statement,
    and set their pks.

    Like `bulk_create` (no signals, no `save()`), with the pks returned in insertion order
    as `bulk_create` relies on for SQLite and PostgreSQL.
    """
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    fields = [
        field
        for field in meta.concrete_fields
        if not field.generated and field is not meta.auto_field
    ]
    read = _row_reader(fields, connection, adding=True)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    head = f"INSERT INTO {quote(meta.db_table)} ({columns}) "
    tail = f" RETURNING {quote(meta.pk.column)}"
    # VALUES lists rather than bulk_create's PostgreSQL UNNEST of one array per column:
    # psycopg quotes every element of a text or jsonb array in Python, which measured slower
    # than the server's parsing of the longer statement (bench/triage_pipeline.py).
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(1, min(ROWS_PER_INSERT, connection.ops.bulk_batch_size(fields, objs)))
    with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            chunk = objs[start : start + size]
            sql = f"{head}VALUES {', '.join([row_sql] * len(chunk))}{tail}"
            params = [value for obj in chunk for value in read(obj)]
            cursor.execute(sql, params)
            for obj, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = connection.alias


def rows_update(objs: Sequence[models.Model], names: Iterable[str]) -> None:
    """UPDATE the fields `names` of saved objects of one model: one statement, executed for
    every row (the caller holds the rows, locked or its own)."""
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    fields = [field for name in sorted(names) if isinstance(field := meta.get_field(name), Field)]
    read = _row_reader(fields, connection, adding=False)
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {assignments} "  # noqa: S608 - names from _meta
        f"WHERE {quote(meta.pk.column)} = %s"
    )
    with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
        cursor.executemany(sql, [[*read(obj), obj.pk] for obj in objs])
