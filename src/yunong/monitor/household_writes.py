"""Write the new households and persons of a checked workbook, each with its 全农码.

Rows are composed in the file's DuckDB database (ids, codes, yearly figures)
and written through the caller's connection as ready tuples, one driver-level
executemany per batch: no ORM object and no parameter dictionary per row.
"""

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import duckdb
import pyarrow as pa
from sqlalchemy import text
from sqlalchemy.orm import Session

from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.core.identity.sql import code_sql, region_sum_sql
from yunong.core.scope import Scope
from yunong.store.bulk import BATCH, driver_now, staged


def load_table(
    db: duckdb.DuckDBPyConnection,
    name: str,
    columns: dict[str, str],
    rows: Sequence[Sequence[Any]],
) -> None:
    """A DuckDB table ``name`` holding ``rows``; ``columns`` maps each column to its type."""
    values = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    table = pa.table({column: pa.array(list(values[i])) for i, column in enumerate(columns)})
    typed = ", ".join(f"{column}::{kind} as {column}" for column, kind in columns.items())
    db.register(f"{name}_rows", table)
    db.execute(f"create or replace table {name} as select {typed} from {name}_rows")
    db.unregister(f"{name}_rows")


def fetched(db: duckdb.DuckDBPyConnection, sql: str) -> Iterator[tuple[Any, ...]]:
    """The rows of ``sql`` a batch at a time, so a million of them never sit in memory at once."""
    cursor = db.cursor()
    cursor.execute(sql)
    while batch := cursor.fetchmany(BATCH):
        yield from batch
    cursor.close()


def fetched_ahead(
    db: duckdb.DuckDBPyConnection, sql: str, *, prepare: str = "", ahead: int = 1_000_000
) -> Iterator[tuple[Any, ...]]:
    """The rows of ``sql``, the first ``ahead`` of them fetched on a thread started now,
    after it has run the statement ``prepare``.

    Start it before statements the database runs by itself (an INSERT … SELECT runs
    without Python's lock) and read it after them: the two cores then work at once.
    """
    cursor = db.cursor()

    def fetch_ahead() -> list[list[tuple[Any, ...]]]:
        if prepare:
            cursor.execute(prepare)
        cursor.execute(sql)
        batches: list[list[tuple[Any, ...]]] = []
        while len(batches) * BATCH < ahead and (batch := cursor.fetchmany(BATCH)):
            batches.append(batch)
        return batches

    pool = ThreadPoolExecutor(max_workers=1)
    fetching = pool.submit(fetch_ahead)
    pool.shutdown(wait=False)

    def rows() -> Iterator[tuple[Any, ...]]:
        for batch in fetching.result():
            yield from batch
        while batch := cursor.fetchmany(BATCH):
            yield from batch
        cursor.close()

    return rows()


def json_lists(db: duckdb.DuckDBPyConnection, sql: str, size: int = 100_000) -> Iterator[str]:
    """The single column of ``sql`` as JSON arrays of up to ``size`` values each."""
    cursor = db.cursor()
    cursor.execute(
        f"""select to_json(list(value))::varchar from (
                select #1 as value, (row_number() over () - 1) // {int(size)} as part from ({sql})
            ) group by part order by part"""
    )
    while found := cursor.fetchone():
        yield found[0]
    cursor.close()


def number_rows(session: Session, db: duckdb.DuckDBPyConnection, table: str, target: str) -> None:
    """Table ``{table}_id``: a fresh primary key of ``target`` for each row number ``n``.

    PostgreSQL hands the keys out from the column's sequence. SQLite continues after the
    largest id: the import's transaction holds SQLite's only write lock since it reserved
    its 全农码 serials, so no other writer can take the same ids.
    """
    found = db.execute(f"select count(*) from {table}").fetchone()
    count = int(found[0]) if found else 0
    if session.get_bind().dialect.name == "postgresql":
        query = text(
            "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :count)"
        )
        ids: list[int] = list(session.scalars(query, {"table": target, "count": count}))
        load_table(db, f"{table}_id", {"n": "bigint", "id": "bigint"}, list(enumerate(ids, 1)))
        return
    last = int(session.scalar(text(f"SELECT coalesce(max(id), 0) FROM {target}")) or 0)
    db.execute(
        f"create table {table}_id as select n, n + {last} as id from range(1, {count + 1}) t(n)"
    )


def per_capita_sql(cents: str, members: str) -> str:
    """Cents per member, rounded half to even as Decimal.quantize does."""
    share, rest = f"({cents} // {members})", f"({cents} % {members})"
    return f"""({share} + case when 2 * {rest} > {members} then 1
                               when 2 * {rest} = {members} then {share} % 2 else 0 end)"""


# Numbered in village order, a row's rank in its village is its number less the village's
# first number.
NEW_HOUSEHOLDS = """
create table new_household as
select *, n - min(n) over (partition by village) + 1 as rank from (
    select village, number, members, income_cents, disaster, disaster_note,
           row_number() over (order by village, first_line) as n
    from accepted where stored_id is null
)
"""

# Persons of new households, and newcomers to known ones.
NEW_PERSONS = """
create table new_person as
select *, n - min(n) over (partition by village) + 1 as rank from (
    select p.village, p.number, p.name, p.id_number, p.birth_date, p.relation, p.phone,
           p.disabled, p.student, p.migrant, p.medical_cents, a.stored_id,
           row_number() over (order by p.village, a.first_line, p.line) as n
    from person_row p join accepted a using (village, number)
    where a.stored_id is null or p.line in (select line from newcomer)
)
"""


def insert_new(session: Session, scope: Scope, db: duckdb.DuckDBPyConnection, year: int) -> None:
    """New households, their members and newcomers to known households, each with a 全农码."""
    db.execute(NEW_HOUSEHOLDS)
    db.execute(NEW_PERSONS)
    wanted = db.execute(
        """select village, count(*) from (select village from new_household
           union all select village from new_person) group by village order by village"""
    ).fetchall()
    if not wanted:
        return
    for village, _ in wanted:
        scope.check_write(village, "区划")
    serials = identity.reserve_serials(session, kind=Kind.SUBJECT, counts=dict(wanted))
    load_table(
        db,
        "reserved",
        {"village": "varchar", "first": "bigint"},
        [(village, numbers.start) for village, numbers in serials.items()],
    )
    db.execute(
        f"""create table serial as
            select *, {region_sum_sql("village")} as region_sum from reserved"""
    )
    number_rows(session, db, "new_household", "monitor_household")
    number_rows(session, db, "new_person", "monitor_person")
    db.execute(HOUSEHOLD_OUT)
    # The persons' rows are composed and read on a thread while the database writes the
    # households.
    persons = fetched_ahead(db, PERSON_ROWS, prepare=PERSON_OUT)
    with page_cache(session):
        write_new(session, scope, db, year, persons)


HOUSEHOLD_OUT = f"""
create table household_out as
select i.id, {code_sql("h.village", "s.first + h.rank - 1", region_sum="s.region_sum")} as code,
       h.*
from new_household h join new_household_id i using (n) join serial s using (village)
"""

PERSON_CODE = code_sql(
    "p.village", "s.first + coalesce(c.households, 0) + p.rank - 1", region_sum="s.region_sum"
)
PERSON_OUT = f"""
create table person_out as
select i.id, {PERSON_CODE} as code,
       coalesce(p.stored_id, h.id) as household_id, p.*
from new_person p join new_person_id i using (n) join serial s using (village)
left join (select village, count(*) as households from new_household group by village)
    c using (village)
left join household_out h using (village, number)
"""

# Birth dates as ISO text: both databases read it into a date column, and SQLite's date
# adapter would otherwise format a million date objects one by one.
PERSON_ROWS = """
select id, code, household_id, name, id_number, birth_date::varchar, relation,
       phone, disabled, student, migrant, medical_cents / 100
from person_out order by id
"""


@contextmanager
def page_cache(session: Session, kib: int = 256 * 1024) -> Iterator[None]:
    """A larger SQLite page cache while the rows are written, the usual one afterwards.

    The ID-number and code indexes take a million entries in no particular order; with
    SQLite's default 2 MB cache most of those inserts read their index page from disk.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    usual = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(usual or -2000)}")


STAGED_HOUSEHOLD = {
    "id": "integer primary key",
    "code": "varchar(20)",
    "village": "varchar(12)",
    "number": "varchar(32)",
    "members": "smallint",
    "net_income": "numeric(14, 2)",
    "per_capita_income": "numeric(14, 2)",
    "disaster": "varchar(8)",
    "disaster_note": "varchar(40)",
}
STAGED_PERSON = {
    "id": "integer primary key",
    "code": "varchar(20)",
    "household_id": "integer",
    "name": "varchar(40)",
    "id_number": "varchar(18)",
    "birth_date": "date",
    "relation": "varchar(16)",
    "phone": "varchar(11)",
    "disabled": "boolean",
    "student": "boolean",
    "migrant_worker": "boolean",
    "medical_out_of_pocket": "numeric(14, 2)",
}


def write_new(
    session: Session,
    scope: Scope,
    db: duckdb.DuckDBPyConnection,
    year: int,
    persons: Iterator[tuple[Any, ...]],
) -> None:
    """Each new household and person crosses to the database once, into a staging table;
    the database copies it on to its row, its 全农码 and its yearly figures."""
    values = {"now": driver_now(session), "year": year}
    households = f"""select id, code, village, number, members, income_cents / 100,
                            {per_capita_sql("income_cents", "members")} / 100, disaster,
                            disaster_note
                     from household_out order by id"""
    with staged(session, "staged_household", STAGED_HOUSEHOLD, fetched(db, households)):
        copy_staged(session, scope, "household", HOUSEHOLD_COPIES, values)
    with staged(session, "staged_person", STAGED_PERSON, persons):
        copy_staged(session, scope, "person", PERSON_COPIES, values)


def copy_staged(
    session: Session,
    scope: Scope,
    entity_type: str,
    copies: tuple[str, str],
    values: dict[str, Any],
) -> None:
    """Copy table ``staged_{entity_type}`` to the entities' rows, codes and yearly figures."""
    rows, years = copies
    session.execute(text(rows), values)
    identity.register_selected(
        session,
        scope=scope,
        kind=Kind.SUBJECT,
        entity_type=entity_type,
        rows=f"SELECT code, id AS entity_id FROM staged_{entity_type}",
    )
    session.execute(text(years), values)


HOUSEHOLD_YEAR_COLUMNS = [
    "household_id",
    "year",
    "members",
    "net_income",
    "per_capita_income",
    "disaster",
    "disaster_note",
]
PERSON_YEAR_COLUMNS = [
    "person_id",
    "year",
    "disabled",
    "student",
    "migrant_worker",
    "medical_out_of_pocket",
]


HOUSEHOLD_COPIES = (
    """INSERT INTO monitor_household (id, code, village_code, number, created_at)
       SELECT id, code, village, number, :now FROM staged_household ORDER BY id""",
    f"""INSERT INTO monitor_household_year ({", ".join(HOUSEHOLD_YEAR_COLUMNS)})
        SELECT id, :year, members, net_income, per_capita_income, disaster, disaster_note
        FROM staged_household ORDER BY id""",
)
PERSON_COPIES = (
    """INSERT INTO monitor_person (id, code, household_id, name, id_number, birth_date,
                                  relation, phone)
       SELECT id, code, household_id, name, id_number, birth_date, relation, phone
       FROM staged_person ORDER BY id""",
    f"""INSERT INTO monitor_person_year ({", ".join(PERSON_YEAR_COLUMNS)})
        SELECT id, :year, disabled, student, migrant_worker, medical_out_of_pocket
        FROM staged_person ORDER BY id""",
)


def household_year_sql(table: str, year: int) -> str:
    """Yearly figures of the households in ``table`` (id, members, income_cents, disaster,
    disaster_note)."""
    return f"""select id, {int(year)}, members, income_cents / 100,
                      {per_capita_sql("income_cents", "members")} / 100, disaster, disaster_note
               from {table} order by id"""


def person_year_sql(table: str, year: int) -> str:
    """Yearly figures of the persons in ``table`` (id, the flags, medical_cents)."""
    return f"""select id, {int(year)}, disabled, student, migrant, medical_cents / 100
               from {table} order by id"""
