"""Helpers for writing and reading many rows at once, the same on SQLite and PostgreSQL."""

import gc
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from itertools import chain
from typing import Any, TypeVar

from sqlalchemy import ColumnDefault, Table, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from yunong.store.base import utcnow

T = TypeVar("T")
CHUNK = 5000
"""Rows per statement: well under SQLite's limit on bound parameters in an IN list."""
BATCH = 50_000
"""Ready tuples handed to the driver per executemany."""
MAX_PARAMETERS = 999
"""Bound values per statement: the least limit any SQLite build has."""


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a bulk job handles millions of rows.

    The rows are tuples of plain values, which hold no cycles; left on, the collector
    would walk all of them again every few thousand allocations.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def json_rows(session: Session, parameter: str, alias: str) -> str:
    """A FROM item ``alias`` with one row, column ``value``, per element of the JSON array
    bound to ``parameter``.

    One text parameter carries a hundred thousand values to join with: no bound parameter
    per value to compile and send, and the database parses the list itself.
    """
    if session.get_bind().dialect.name == "postgresql":
        return f"json_array_elements_text(CAST(:{parameter} AS json)) AS {alias}(value)"
    return f"json_each(:{parameter}) AS {alias}"


def rows_of_listed(
    session: Session, sql: str, values: Sequence[Any], params: dict[str, Any] | None = None
) -> Any:
    """The rows of ``sql``, whose ``{listed}`` stands for a FROM item with one row, column
    ``value``, per element of ``values`` (see :func:`json_rows`).

    For looking up thousands of keys at once: one statement, one bound value.
    """
    listed = json_rows(session, "listed_values", "listed")
    bound = {"listed_values": json.dumps(list(values), ensure_ascii=False)} | (params or {})
    return session.execute(text(sql.replace("{listed}", listed)), bound)


def upsert_for(session: Session) -> Any:
    """The dialect's INSERT that knows ON CONFLICT (both SQLite and PostgreSQL have one)."""
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def bulk_insert(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many rows with one driver-level executemany per chunk.

    Values pass through each column type's own bind conversion, as SQLAlchemy
    would apply it, and Python-side column defaults are filled in, but no
    parameter dictionary is built per row: for a million rows this is several
    times faster than ``session.execute(insert(...), rows)``.
    """
    if not rows:
        return
    dialect = session.get_bind().dialect
    given = list(rows[0])
    defaults = python_defaults(table, set(given))
    names = given + list(defaults)
    converters = [table.c[name].type.bind_processor(dialect) for name in names]
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join([marker] * len(names))})"
    )
    extra = tuple(defaults.values())
    connection = session.connection()
    for chunk in chunks(rows, 50_000):
        values = [
            tuple(
                value if convert is None else convert(value)
                for value, convert in zip(
                    [row[name] for name in given] + list(extra), converters, strict=True
                )
            )
            for row in chunk
        ]
        connection.exec_driver_sql(sql, values)


def python_defaults(table: Table, given: set[str]) -> dict[str, Any]:
    """The Python-side defaults of the columns the rows leave out, evaluated once."""
    found: dict[str, Any] = {}
    for column in table.c:
        default = column.default
        if column.name in given or not isinstance(default, ColumnDefault):
            continue
        found[column.name] = default.arg(None) if default.is_callable else default.arg
    return found


def insert_tuples(
    session: Session, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert ready tuples (values as the driver takes them, see :func:`driver_now`).

    No parameter dictionary and no type conversion per row, and many rows per statement:
    each statement executed costs the driver more than the values it binds.
    """
    per_statement = max(1, MAX_PARAMETERS // len(columns))
    one = f"({', '.join(['?'] * len(columns))})"
    many = ", ".join([one] * per_statement)
    insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
    connection = session.connection()
    for batch in batched(rows):
        full = len(batch) - len(batch) % per_statement
        if full:
            joined = [
                tuple(chain.from_iterable(batch[start : start + per_statement]))
                for start in range(0, full, per_statement)
            ]
            connection.exec_driver_sql(driver_sql(session, insert + many), joined)
        if full < len(batch):
            connection.exec_driver_sql(driver_sql(session, insert + one), batch[full:])


def driver_sql(session: Session, sql: str) -> str:
    """``sql`` with ``?`` markers, in the driver's own parameter style."""
    if session.connection().dialect.paramstyle != "qmark":
        return sql.replace("?", "%s")
    return sql


@contextmanager
def staged(
    session: Session, table: str, columns: dict[str, str], rows: Iterable[Sequence[Any]]
) -> Iterator[None]:
    """A temporary table ``table`` holding ``rows`` while the block runs.

    ``columns`` maps each column to its SQL type. Rows bound for several tables cross
    from Python to the database once, and the block copies them on with INSERT … SELECT.
    If the block fails, the caller's rollback takes the table away with everything else.
    """
    definition = ", ".join(f"{name} {kind}" for name, kind in columns.items())
    connection = session.connection()
    connection.exec_driver_sql(f"CREATE TEMPORARY TABLE {table} ({definition})")
    insert_tuples(session, table, list(columns), rows)
    yield
    connection.exec_driver_sql(f"DROP TABLE {table}")


def execute_tuples(session: Session, sql: str, rows: Iterable[Sequence[Any]]) -> None:
    """Run ``sql`` (with ``?`` markers) once per tuple, one executemany per batch."""
    connection = session.connection()
    for batch in batched(rows):
        connection.exec_driver_sql(driver_sql(session, sql), batch)


def batched(rows: Iterable[Sequence[Any]]) -> Iterator[list[Sequence[Any]]]:
    batch: list[Sequence[Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def driver_now(session: Session) -> Any:
    """Now, as the driver takes it: SQLite's adapter would format a datetime again per row."""
    return driver_time(session, utcnow())


def driver_time(session: Session, moment: datetime) -> Any:
    """``moment`` as the driver takes it (see :func:`driver_now`)."""
    return moment.isoformat(" ") if session.get_bind().dialect.name == "sqlite" else moment
