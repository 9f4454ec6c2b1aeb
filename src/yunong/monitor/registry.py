"""Save households read from a workbook: insert new ones, update changed ones, leave the rest.

The checked file stays in its DuckDB database; what the registry already holds
is read through the caller's session (which may hold uncommitted work) in a few
set-based queries per file and joined there, so a file of a million rows is
checked against the registry in seconds.
"""

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.core.tabular import RowError
from yunong.monitor import household_sync, household_writes
from yunong.monitor.household_writes import json_lists, load_table
from yunong.monitor.importers import read_households
from yunong.monitor.models import Household
from yunong.store.bulk import chunks, collector_paused, json_rows


@dataclass
class Counts:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


@dataclass
class HouseholdImport:
    households: Counts = field(default_factory=Counts)
    persons: Counts = field(default_factory=Counts)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    """Rows of imported households to check, such as a disaster without its grade."""

    def as_json(self) -> dict[str, Any]:
        return {
            "households": asdict(self.households),
            "persons": asdict(self.persons),
            "errors": [{"row": e.line, "field": e.column, "reason": e.reason} for e in self.errors],
            "warnings": [
                {"row": w.line, "field": w.column, "reason": w.reason} for w in self.warnings
            ],
        }


def summary(counts: Counts) -> str:
    return (
        f"新增 {counts.imported}，更新 {counts.updated}，未变 {counts.unchanged}，"
        f"拒绝 {counts.rejected}"
    )


# Households not (yet) refused: no row of theirs has an error.
OPEN_HOUSEHOLDS = """
create view open_household as
select h.* from household h anti join (
    select distinct village, number from person_row join row_error using (line)
) refused using (village, number)
"""


def import_households(session: Session, *, scope: Scope, path: Path, year: int) -> HouseholdImport:
    """Import a household workbook for ``year``; see docs/monitor.md for the columns."""
    session.flush()
    with collector_paused():
        result = check_and_write(session, scope, path, year)
    # The rows were written with plain SQL: objects the session holds must be read again.
    session.expire_all()
    audit.record_file_import(
        session,
        scope=scope,
        action="monitor.household_import",
        path=path,
        detail=f"{year} 年：{summary(result.households)}",
    )
    return result


def check_and_write(session: Session, scope: Scope, path: Path, year: int) -> HouseholdImport:
    checked = read_households(path)
    try:
        db = checked.db
        db.execute(OPEN_HOUSEHOLDS)
        refuse_outside(session, scope, db)
        load_stored_households(session, db)
        refuse_taken_ids(session, db)
        add_companion_errors(db)
        result = HouseholdImport(errors=checked.errors())
        count_rejected(db, result)
        db.execute(
            """create table accepted as select h.*, s.id as stored_id
               from open_household h left join stored_household s using (village, number)"""
        )
        result.warnings = checked.warnings("accepted")
        sync = household_sync.compare(session, db, year)
        household_writes.insert_new(session, scope, db, year)
        household_sync.write(session, db, year)
        fill_counts(db, sync, result)
    finally:
        checked.close()
    return result


def scalars(db: duckdb.DuckDBPyConnection, sql: str) -> list[Any]:
    return [row[0] for row in db.execute(sql).fetchall()]


def refuse_outside(session: Session, scope: Scope, db: duckdb.DuckDBPyConnection) -> None:
    """Every row of a household in an unknown village, or one outside the caller's scope."""
    villages = scalars(db, "select distinct village from open_household order by village")
    known = {
        code
        for chunk in chunks(villages)
        for code in session.scalars(select(Region.code).where(Region.code.in_(chunk)))
    }
    verdicts = [
        (village, f"未知的区划代码 {village}")
        if village not in known
        else (village, f"区划 {village} 不在您的管辖范围内")
        for village in villages
        if village not in known or not scope.covers(village)
    ]
    load_table(db, "village_refusal", {"village": "varchar", "reason": "varchar"}, verdicts)
    db.execute(
        """insert into row_error
           select p.line, 'village', v.reason
           from person_row p semi join open_household using (village, number)
           join village_refusal v using (village)"""
    )


def load_stored_households(session: Session, db: duckdb.DuckDBPyConnection) -> None:
    """Table ``stored_household``: the registry's households in the file's villages."""
    villages = scalars(db, "select distinct village from open_household order by village")
    found: list[tuple[str, str, int]] = []
    for chunk in chunks(villages):
        query = select(Household.village_code, Household.number, Household.id).where(
            Household.village_code.in_(chunk)
        )
        found += session.execute(query).tuples().all()
    load_table(
        db, "stored_household", {"village": "varchar", "number": "varchar", "id": "bigint"}, found
    )


def refuse_taken_ids(session: Session, db: duckdb.DuckDBPyConnection) -> None:
    """An ID number already registered in another household refuses this one."""
    owners: list[tuple[str, int, str, str]] = []
    numbers = "select id_number from person_row semi join open_household using (village, number)"
    query = text(
        f"""SELECT p.id_number, h.id, h.village_code, h.number
            FROM {json_rows(session, "numbers", "listed")}
            JOIN monitor_person p ON p.id_number = listed.value
            JOIN monitor_household h ON h.id = p.household_id"""
    )
    for listed in json_lists(db, numbers):
        owners += session.execute(query, {"numbers": listed}).tuples().all()
    load_table(
        db,
        "owner",
        {
            "id_number": "varchar",
            "household_id": "bigint",
            "village": "varchar",
            "number": "varchar",
        },
        owners,
    )
    db.execute(
        """insert into row_error
           select p.line, 'id_number', '证件号码 ' || p.id_number || ' 已登记在 '
                  || o.village || ' 村户编号 ' || o.number || ' 的农户中'
           from person_row p semi join open_household using (village, number)
           join owner o using (id_number)
           left join stored_household s on s.village = p.village and s.number = p.number
           where s.id is distinct from o.household_id"""
    )


def add_companion_errors(db: duckdb.DuckDBPyConnection) -> None:
    """The good rows of a refused household are refused too; say why on each of them."""
    db.execute(
        """insert into row_error
           select line, 'number', '同户（户编号 ' || number || '）其他行有误，整户未导入'
           from person_row anti join open_household using (village, number)
           where line not in (select line from row_error)"""
    )


def count_rejected(db: duckdb.DuckDBPyConnection, result: HouseholdImport) -> None:
    found = db.execute(
        """select count(*), coalesce(sum(members), 0)
           from household anti join open_household using (village, number)"""
    ).fetchone()
    assert found is not None
    result.households.rejected, result.persons.rejected = int(found[0]), int(found[1])


def fill_counts(
    db: duckdb.DuckDBPyConnection, sync: household_sync.Changes, result: HouseholdImport
) -> None:
    new = db.execute(
        "select count(*), coalesce(sum(members), 0) from accepted where stored_id is null"
    ).fetchone()
    assert new is not None
    result.households.imported = int(new[0])
    result.persons.imported = int(new[1]) + sync.newcomers
    result.households.updated = sync.households_changed
    result.households.unchanged = sync.households_unchanged
    result.persons.updated = sync.persons_changed
    result.persons.unchanged = sync.persons_unchanged
