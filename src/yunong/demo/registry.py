"""The 全农码 registry entries of rows the demo loads in bulk."""

from datetime import UTC, datetime
from typing import NamedTuple

from sqlalchemy import DateTime, bindparam, text
from sqlalchemy.orm import Session

from yunong.core.identity.codes import Kind

REGISTERED = datetime(2023, 1, 1, tzinfo=UTC)
"""When the demo's elements were registered; fixed so that two builds are identical."""
REGISTERED_AT = REGISTERED.strftime("%Y-%m-%d %H:%M:%S")


class Source(NamedTuple):
    table: str
    entity_type: str
    national_code: str = "null"
    """The column holding the element's national code, if it has one."""


def register_loaded(session: Session, kind: Kind, sources: list[Source]) -> None:
    """Add the registry entry of every code in ``sources``' tables.

    The operational database writes them itself from the rows just loaded (on SQLite about
    a third faster than DuckDB copying them in), in code order, so that the registry's primary
    key only grows at its end. Each table's rows come in code order from its unique index on
    the code, and the database merges them rather than sorting them all again. A 全农码
    carries its region right after the kind letter.
    """
    rows = " union all ".join(
        f"select code, '{kind.value}', '{source.entity_type}', cast(id as varchar(64)),"
        f" substr(code, 2, 12), {source.national_code}, :issued_at from {source.table}"
        for source in sources
    )
    statement = text(
        "insert into identity_code"
        " (code, kind, entity_type, entity_id, region_code, national_code, issued_at)"
        f" {rows} order by code"
    ).bindparams(bindparam("issued_at", type_=DateTime(timezone=True)))
    session.execute(statement, {"issued_at": REGISTERED})
