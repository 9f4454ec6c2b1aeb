"""Save households read from a workbook: insert new ones, update changed ones, leave the rest.

Lookups are made in a few set-based queries per file rather than per row, so a
file of a million rows is checked against the registry in seconds.
"""

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select, tuple_, update
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.core.tabular import RowError
from yunong.monitor.importers import (
    HouseholdRows,
    PersonRow,
    column_label,
    companion_errors,
    read_households,
)
from yunong.monitor.models import Household, HouseholdYear, Person, PersonYear
from yunong.store.base import table_of
from yunong.store.bulk import bulk_insert, chunks


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

    def as_json(self) -> dict[str, Any]:
        return {
            "households": asdict(self.households),
            "persons": asdict(self.persons),
            "errors": [{"row": e.line, "field": e.column, "reason": e.reason} for e in self.errors],
        }


def summary(counts: Counts) -> str:
    return (
        f"新增 {counts.imported}，更新 {counts.updated}，未变 {counts.unchanged}，"
        f"拒绝 {counts.rejected}"
    )


def import_households(session: Session, *, scope: Scope, path: Path, year: int) -> HouseholdImport:
    """Import a household workbook for ``year``; see docs/monitor.md for the columns."""
    read = read_households(path)
    errors = list(read.errors)
    candidates = [household for household in read.households if not household.refused]
    errors += refuse_outside(session, scope, candidates)
    existing = existing_households(session, [h for h in candidates if not h.refused])
    errors += refuse_taken_ids(session, [h for h in candidates if not h.refused], existing)
    errors += companion_errors(read.households, errors)
    result = HouseholdImport(errors=sorted(errors, key=lambda error: (error.line, error.column)))
    accepted = [household for household in read.households if not household.refused]
    rejected = [household for household in read.households if household.refused]
    result.households.rejected = len(rejected)
    result.persons.rejected = sum(len(household.lines) for household in rejected)
    save(session, scope, accepted, existing, year, result)
    audit.record(
        session,
        scope=scope,
        action="monitor.household_import",
        target_type="file",
        target_id=path.name[:64],
        region_code=scope.region_code,
        detail=f"{year} 年：{summary(result.households)}",
    )
    return result


def refuse_outside(
    session: Session, scope: Scope, households: list[HouseholdRows]
) -> list[RowError]:
    villages = sorted({household.village for household in households})
    known = {
        code
        for chunk in chunks(villages)
        for code in session.scalars(select(Region.code).where(Region.code.in_(chunk)))
    }
    errors = []
    for household in households:
        if household.village not in known:
            reason = f"未知的区划代码 {household.village}"
        elif not scope.covers(household.village):
            reason = f"区划 {household.village} 不在您的管辖范围内"
        else:
            continue
        household.refused = True
        errors += [RowError(line, column_label("village"), reason) for line in household.lines]
    return errors


def existing_households(
    session: Session, households: list[HouseholdRows]
) -> dict[tuple[str, str], Household]:
    keys = [household.key for household in households]
    found: dict[tuple[str, str], Household] = {}
    for chunk in chunks(keys):
        query = select(Household).where(tuple_(Household.village_code, Household.number).in_(chunk))
        found |= {(row.village_code, row.number): row for row in session.scalars(query)}
    return found


def refuse_taken_ids(
    session: Session, households: list[HouseholdRows], existing: dict[tuple[str, str], Household]
) -> list[RowError]:
    """An ID number already registered in another household refuses this one."""
    numbers = [person.id_number for household in households for person in household.persons]
    owners: dict[str, tuple[int, str, str]] = {}
    for chunk in chunks(numbers):
        query = (
            select(Person.id_number, Household.id, Household.village_code, Household.number)
            .join(Household, Household.id == Person.household_id)
            .where(Person.id_number.in_(chunk))
        )
        owners |= {
            number: (hid, village, hnumber)
            for number, hid, village, hnumber in session.execute(query)
        }
    errors = []
    for household in households:
        own = existing.get(household.key)
        for person in household.persons:
            owner = owners.get(person.id_number)
            if owner is None or (own is not None and owner[0] == own.id):
                continue
            household.refused = True
            errors.append(
                RowError(
                    person.line,
                    column_label("id_number"),
                    f"证件号码 {person.id_number} 已登记在 {owner[1]} 村户编号 {owner[2]} 的农户中",
                )
            )
    return errors


def save(
    session: Session,
    scope: Scope,
    households: list[HouseholdRows],
    existing: dict[tuple[str, str], Household],
    year: int,
    result: HouseholdImport,
) -> None:
    new = [household for household in households if household.key not in existing]
    insert_new(session, scope, new, year)
    result.households.imported += len(new)
    result.persons.imported += sum(len(household.persons) for household in new)
    known = [household for household in households if household.key in existing]
    update_known(session, scope, known, existing, year, result)


def insert_new(session: Session, scope: Scope, households: list[HouseholdRows], year: int) -> None:
    """New households and their members, each with a 全农码, in a few bulk statements."""
    if not households:
        return
    codes = issue_codes(session, scope, [household.village for household in households])
    ids = insert_returning_ids(
        session,
        Household,
        [
            {"code": code, "village_code": household.village, "number": household.number}
            for code, household in zip(codes, households, strict=True)
        ],
    )
    identity.register(
        session,
        scope=scope,
        kind=Kind.SUBJECT,
        entity_type="household",
        codes_and_ids=[(code, str(hid)) for code, hid in zip(codes, ids, strict=True)],
    )
    members = [
        (hid, household.village, person)
        for hid, household in zip(ids, households, strict=True)
        for person in household.persons
    ]
    insert_persons(session, scope, members, year)
    write_household_years(session, list(zip(ids, households, strict=True)), year)


def issue_codes(session: Session, scope: Scope, villages: list[str]) -> list[str]:
    """One fresh 人 code per entry of ``villages``, in the same order."""
    wanted: dict[str, int] = defaultdict(int)
    for village in villages:
        wanted[village] += 1
    reserved = {
        village: iter(codes)
        for village, codes in identity.reserve(
            session, scope=scope, kind=Kind.SUBJECT, counts=wanted
        ).items()
    }
    return [next(reserved[village]) for village in villages]


def insert_returning_ids(
    session: Session, table: type[Household] | type[Person], rows: list[dict[str, Any]]
) -> list[int]:
    """Insert rows that each carry a fresh unique code; their ids, in the rows' order.

    Ids are read back by code: RETURNING over many-row inserts costs far more here.
    """
    ids: list[int] = []
    for chunk in chunks(rows):
        bulk_insert(session, table_of(table), chunk)
        wanted = [row["code"] for row in chunk]
        found = dict(
            session.execute(select(table.code, table.id).where(table.code.in_(wanted)))
            .tuples()
            .all()
        )
        ids += [found[code] for code in wanted]
    return ids


def insert_persons(
    session: Session, scope: Scope, members: list[tuple[int, str, PersonRow]], year: int
) -> None:
    """Persons as (household id, village, row)."""
    if not members:
        return
    codes = issue_codes(session, scope, [village for _, village, _ in members])
    ids = insert_returning_ids(
        session,
        Person,
        [
            {
                "code": code,
                "household_id": hid,
                "name": person.name,
                "id_number": person.id_number,
                "birth_date": person.birth_date,
                "relation": person.relation,
                "phone": person.phone,
            }
            for code, (hid, _, person) in zip(codes, members, strict=True)
        ],
    )
    identity.register(
        session,
        scope=scope,
        kind=Kind.SUBJECT,
        entity_type="person",
        codes_and_ids=[(code, str(pid)) for code, pid in zip(codes, ids, strict=True)],
    )
    write_person_years(
        session, [(pid, person) for pid, (_, _, person) in zip(ids, members, strict=True)], year
    )


def household_year_values(household: HouseholdRows) -> dict[str, Any]:
    members = len(household.persons)
    income = household.net_income
    per_capita = None if income is None else (income / members).quantize(Decimal("0.01"))
    return {
        "members": members,
        "net_income": income,
        "per_capita_income": per_capita,
        "disaster": household.disaster,
    }


def person_year_values(person: PersonRow) -> dict[str, Any]:
    return {
        "disabled": person.disabled,
        "student": person.student,
        "migrant_worker": person.migrant,
        "medical_out_of_pocket": person.medical,
    }


def write_household_years(
    session: Session, pairs: list[tuple[int, HouseholdRows]], year: int
) -> None:
    bulk_insert(
        session,
        table_of(HouseholdYear),
        [
            {"household_id": hid, "year": year, **household_year_values(household)}
            for hid, household in pairs
        ],
    )


def write_person_years(session: Session, pairs: list[tuple[int, PersonRow]], year: int) -> None:
    bulk_insert(
        session,
        table_of(PersonYear),
        [{"person_id": pid, "year": year, **person_year_values(person)} for pid, person in pairs],
    )


def update_known(
    session: Session,
    scope: Scope,
    households: list[HouseholdRows],
    existing: dict[tuple[str, str], Household],
    year: int,
    result: HouseholdImport,
) -> None:
    """Compare each known household with what is stored and write only what differs."""
    ids = [existing[household.key].id for household in households]
    stored = StoredHouseholds.load(session, ids, year)
    for household in households:
        hid = existing[household.key].id
        changed = sync_household(session, scope, hid, household, stored, year, result.persons)
        if changed:
            result.households.updated += 1
        else:
            result.households.unchanged += 1


@dataclass
class StoredHouseholds:
    years: dict[int, HouseholdYear]
    persons: dict[int, list[Person]]
    person_years: dict[int, PersonYear]

    @classmethod
    def load(cls, session: Session, ids: list[int], year: int) -> "StoredHouseholds":
        years: dict[int, HouseholdYear] = {}
        persons: dict[int, list[Person]] = defaultdict(list)
        person_years: dict[int, PersonYear] = {}
        for chunk in chunks(ids):
            years |= {
                row.household_id: row
                for row in session.scalars(
                    select(HouseholdYear).where(
                        HouseholdYear.household_id.in_(chunk), HouseholdYear.year == year
                    )
                )
            }
            for person in session.scalars(select(Person).where(Person.household_id.in_(chunk))):
                persons[person.household_id].append(person)
        person_ids = [person.id for group in persons.values() for person in group]
        for chunk in chunks(person_ids):
            person_years |= {
                row.person_id: row
                for row in session.scalars(
                    select(PersonYear).where(
                        PersonYear.person_id.in_(chunk), PersonYear.year == year
                    )
                )
            }
        return cls(years, persons, person_years)


def sync_household(
    session: Session,
    scope: Scope,
    hid: int,
    household: HouseholdRows,
    stored: StoredHouseholds,
    year: int,
    person_counts: Counts,
) -> bool:
    changed = False
    current = {person.id_number: person for person in stored.persons.get(hid, [])}
    newcomers = [person for person in household.persons if person.id_number not in current]
    if newcomers:
        insert_persons(
            session, scope, [(hid, household.village, person) for person in newcomers], year
        )
        person_counts.imported += len(newcomers)
        changed = True
    listed = {person.id_number for person in household.persons}
    for number, person in current.items():
        if number not in listed and person.left_year is None:
            person.left_year = year
            changed = True
    for row in household.persons:
        if row.id_number in current:
            changed |= sync_person(
                session, current[row.id_number], row, stored, year, person_counts
            )
    values = household_year_values(household)
    stored_year = stored.years.get(hid)
    if stored_year is None:
        write_household_years(session, [(hid, household)], year)
        changed = True
    elif differs(stored_year, values):
        session.execute(
            update(HouseholdYear)
            .where(HouseholdYear.household_id == hid, HouseholdYear.year == year)
            .values(**values)
        )
        changed = True
    return changed


def sync_person(
    session: Session,
    person: Person,
    row: PersonRow,
    stored: StoredHouseholds,
    year: int,
    counts: Counts,
) -> bool:
    values = {"name": row.name, "relation": row.relation, "phone": row.phone, "left_year": None}
    yearly = person_year_values(row)
    stored_year = stored.person_years.get(person.id)
    changed = differs(person, values) or stored_year is None or differs(stored_year, yearly)
    if not changed:
        counts.unchanged += 1
        return False
    for key, value in values.items():
        setattr(person, key, value)
    if stored_year is None:
        session.add(PersonYear(person_id=person.id, year=year, **yearly))
    else:
        for key, value in yearly.items():
            setattr(stored_year, key, value)
    counts.updated += 1
    return True


def differs(row: object, values: dict[str, Any]) -> bool:
    return any(normal(getattr(row, key)) != normal(value) for key, value in values.items())


def normal(value: Any) -> Any:
    """Compare money as cents whatever type the database returned it as."""
    if isinstance(value, Decimal | float):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    return value
