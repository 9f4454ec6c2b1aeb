"""Compare the known households of a checked workbook with the registry and write what differs.

What is stored is read through the caller's session in a few chunked queries
and compared in the file's DuckDB database; only changed rows are written.
Money is compared in whole cents, whatever type the database returns it as.
"""

from dataclasses import dataclass
from typing import Any

import duckdb
from sqlalchemy import BigInteger, ColumnElement, and_, cast, func, select
from sqlalchemy.orm import Session

from yunong.monitor.household_writes import (
    HOUSEHOLD_YEAR_COLUMNS,
    PERSON_YEAR_COLUMNS,
    fetched,
    household_year_sql,
    load_table,
    per_capita_sql,
    person_year_sql,
)
from yunong.monitor.models import HouseholdYear, Person, PersonYear
from yunong.store.bulk import chunks, execute_tuples, insert_tuples


@dataclass
class Changes:
    newcomers: int = 0
    households_changed: int = 0
    households_unchanged: int = 0
    persons_changed: int = 0
    persons_unchanged: int = 0


# The file's rows of known households, beside the stored person with the same ID number.
LISTED = """
create table listed as
select p.*, a.stored_id as household_id, s.id as person_id,
       s.id is not null and (s.name != p.name or s.relation != p.relation
           or s.phone is distinct from p.phone or s.left_year is not null) as person_differs,
       s.id is not null and (y.person_id is null or y.disabled != p.disabled
           or y.student != p.student or y.migrant != p.migrant
           or y.medical_cents != p.medical_cents) as year_differs,
       y.person_id is null as year_missing
from person_row p join accepted a using (village, number)
left join stored_person s on s.household_id = a.stored_id and s.id_number = p.id_number
left join stored_person_year y on y.person_id = s.id
where a.stored_id is not null
"""

# Stored members no longer listed in their household's rows.
LEFT = """
create table left_person as
select s.id, s.household_id from stored_person s
where s.left_year is null
  and not exists (select 1 from listed l where l.person_id = s.id)
"""

HOUSEHOLD_CHANGES = """
create table household_change as
select a.stored_id as id, a.members, a.income_cents, a.disaster, a.disaster_note,
       y.household_id is null as year_missing,
       y.household_id is not null and (y.members != a.members
           or y.income_cents is distinct from a.income_cents
           or y.per_capita_cents is distinct from {per_capita}
           or y.disaster is distinct from a.disaster
           or y.disaster_note is distinct from a.disaster_note) as year_differs,
       y.household_id is null or y.members != a.members
           or y.income_cents is distinct from a.income_cents
           or y.per_capita_cents is distinct from {per_capita}
           or y.disaster is distinct from a.disaster
           or y.disaster_note is distinct from a.disaster_note
           or a.stored_id in (select household_id from listed
                              where person_id is null or person_differs or year_differs)
           or a.stored_id in (select household_id from left_person) as changed
from accepted a left join stored_household_year y on y.household_id = a.stored_id
where a.stored_id is not null
"""

COUNTS = """
select (select count(*) from newcomer),
       (select count(*) from household_change where changed),
       (select count(*) from household_change where not changed),
       (select count(*) from listed where person_differs or year_differs),
       (select count(*) from listed where person_id is not null
            and not person_differs and not year_differs)
"""


def cents(column: Any) -> ColumnElement[int]:
    return cast(func.round(column * 100), BigInteger)


def compare(session: Session, db: duckdb.DuckDBPyConnection, year: int) -> Changes:
    """Tables ``newcomer``, ``listed``, ``left_person`` and ``household_change``; their counts."""
    known = [
        row[0]
        for row in db.execute(
            "select stored_id from accepted where stored_id is not null"
        ).fetchall()
    ]
    load_stored(session, db, known, year)
    db.execute(LISTED)
    db.execute("create table newcomer as select line from listed where person_id is null")
    db.execute(LEFT)
    db.execute(HOUSEHOLD_CHANGES.format(per_capita=per_capita_sql("a.income_cents", "a.members")))
    found = db.execute(COUNTS).fetchone()
    assert found is not None
    return Changes(*(int(value) for value in found))


def load_stored(
    session: Session, db: duckdb.DuckDBPyConnection, known: list[int], year: int
) -> None:
    """Tables ``stored_person``, ``stored_person_year`` and ``stored_household_year``."""
    persons: list[Any] = []
    person_years: list[Any] = []
    household_years: list[Any] = []
    for chunk in chunks(known):
        persons += session.execute(
            select(
                Person.id,
                Person.household_id,
                Person.id_number,
                Person.name,
                Person.relation,
                Person.phone,
                Person.left_year,
            ).where(Person.household_id.in_(chunk))
        ).all()
        person_years += session.execute(
            select(
                PersonYear.person_id,
                PersonYear.disabled,
                PersonYear.student,
                PersonYear.migrant_worker,
                cents(PersonYear.medical_out_of_pocket),
            )
            .join(Person, and_(Person.id == PersonYear.person_id, PersonYear.year == year))
            .where(Person.household_id.in_(chunk))
        ).all()
        household_years += session.execute(
            select(
                HouseholdYear.household_id,
                HouseholdYear.members,
                cents(HouseholdYear.net_income),
                cents(HouseholdYear.per_capita_income),
                HouseholdYear.disaster,
                HouseholdYear.disaster_note,
            ).where(HouseholdYear.household_id.in_(chunk), HouseholdYear.year == year)
        ).all()
    load_table(db, "stored_person", STORED_PERSON, persons)
    load_table(db, "stored_person_year", STORED_PERSON_YEAR, person_years)
    load_table(db, "stored_household_year", STORED_HOUSEHOLD_YEAR, household_years)


STORED_PERSON = {
    "id": "bigint",
    "household_id": "bigint",
    "id_number": "varchar",
    "name": "varchar",
    "relation": "varchar",
    "phone": "varchar",
    "left_year": "integer",
}
STORED_PERSON_YEAR = {
    "person_id": "bigint",
    "disabled": "boolean",
    "student": "boolean",
    "migrant": "boolean",
    "medical_cents": "bigint",
}
STORED_HOUSEHOLD_YEAR = {
    "household_id": "bigint",
    "members": "integer",
    "income_cents": "bigint",
    "per_capita_cents": "bigint",
    "disaster": "varchar",
    "disaster_note": "varchar",
}


def write(session: Session, db: duckdb.DuckDBPyConnection, year: int) -> None:
    """Mark who left, update changed persons and yearly figures, add the missing years."""
    execute_tuples(
        session,
        "UPDATE monitor_person SET left_year = ? WHERE id = ?",
        ((year, pid) for (pid,) in fetched(db, "select id from left_person order by id")),
    )
    execute_tuples(
        session,
        """UPDATE monitor_person SET name = ?, relation = ?, phone = ?, left_year = NULL
           WHERE id = ?""",
        fetched(
            db,
            """select name, relation, phone, person_id from listed
               where person_differs order by person_id""",
        ),
    )
    db.execute(
        """create table person_year_out as
           select person_id as id, disabled, student, migrant, medical_cents, year_missing
           from listed where year_differs"""
    )
    insert_tuples(
        session,
        "monitor_person_year",
        PERSON_YEAR_COLUMNS,
        fetched(db, person_year_sql("(from person_year_out where year_missing)", year)),
    )
    execute_tuples(
        session,
        f"""UPDATE monitor_person_year SET disabled = ?, student = ?, migrant_worker = ?,
            medical_out_of_pocket = ? WHERE person_id = ? AND year = {int(year)}""",
        (
            (*row[2:], row[0])
            for row in fetched(
                db, person_year_sql("(from person_year_out where not year_missing)", year)
            )
        ),
    )
    insert_tuples(
        session,
        "monitor_household_year",
        HOUSEHOLD_YEAR_COLUMNS,
        fetched(db, household_year_sql("(from household_change where year_missing)", year)),
    )
    execute_tuples(
        session,
        f"""UPDATE monitor_household_year SET members = ?, net_income = ?,
            per_capita_income = ?, disaster = ?, disaster_note = ?
            WHERE household_id = ? AND year = {int(year)}""",
        (
            (*row[2:], row[0])
            for row in fetched(
                db, household_year_sql("(from household_change where year_differs)", year)
            )
        ),
    )
