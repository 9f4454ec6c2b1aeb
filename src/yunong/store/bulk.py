"""Helpers for writing and reading many rows at once, the same on SQLite and PostgreSQL."""

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

T = TypeVar("T")
CHUNK = 5000
"""Rows per statement: well under SQLite's limit on bound parameters in an IN list."""


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def upsert_for(session: Session) -> Any:
    """The dialect's INSERT that knows ON CONFLICT (both SQLite and PostgreSQL have one)."""
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
