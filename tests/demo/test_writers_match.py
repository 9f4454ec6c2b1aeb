"""Where the demo writes rows in bulk for speed, its rows are those the services write for the
same input: the households and their department signals (as their workbooks, imported, give
them), the land (as its yearly layers, imported, give it), the history of the monitoring
cases, the grid workers' accounts, the villages' approved 达标村 checklists."""

import csv
from collections import defaultdict
from pathlib import Path
from typing import Any

import duckdb
import geopandas
import pyogrio
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from tests.conftest import dropped_when_done, migrated_copy
from tests.factories import make_place
from yunong.assess import datasets
from yunong.assess.catalogue import CHECKLIST_PREFIX
from yunong.assess.models import DataSet, Value
from yunong.core.auth import service as users
from yunong.core.auth.models import User
from yunong.core.auth.passwords import password_matches
from yunong.core.auth.roles import Role
from yunong.core.identity.models import IdentityCode, IdentitySerial
from yunong.core.scope import Scope
from yunong.demo import assess as demo_assess
from yunong.demo import cases as demo_cases
from yunong.demo.build import SEED, build
from yunong.demo.geography import create_geography
from yunong.demo.households import YEARS, create_households
from yunong.demo.land import generated_in_background
from yunong.demo.scales import Scale
from yunong.demo.users import DEMO_PASSWORD, GRID_WORKER_NAME, create_grid_workers, grid_worker_name
from yunong.land import export, importers, summary
from yunong.land.codes import USE_LABELS, Use
from yunong.land.geometry import STORAGE_EPSG
from yunong.land.models import Parcel, VillageSummary, Zone
from yunong.monitor import feeds, measures, registry, removal, visits, workflow
from yunong.monitor.importers import COLUMNS
from yunong.monitor.models import (
    Alert,
    Case,
    CaseStep,
    Household,
    HouseholdYear,
    Measure,
    MeasureProgress,
    Person,
    PersonYear,
    Signal,
    Visit,
)
from yunong.policy import loader
from yunong.policy.schema import Pack
from yunong.store.base import Base
from yunong.store.db import make_engine, make_sessionmaker, transaction

# Filled in when the row is written, by the clock rather than by the input.
WRITTEN_AT = {"created_at"}


def plan(con: duckdb.DuckDBPyConnection, sql: str) -> list[Any]:
    cursor = con.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def by_case(rows: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        found[row["case_id"]].append(row)
    return found


def acting(name: str, role: Role, village: str) -> Scope:
    """The scope of an official of ``role`` over ``village``."""
    region = {
        Role.TOWN_OFFICER: village[:9] + "000",
        Role.DISTRICT_OFFICER: village[:6] + "000000",
    }.get(role, village)
    return Scope(actor=name, region_code=region, role=role.value)


def replay_history(
    engine: Engine, con: duckdb.DuckDBPyConnection, *, pack: Pack, today: object
) -> None:
    """The demo's plan of what happened to each opened case, taken through the services one
    case after another, as the officials would have: ``write_history`` done by hand."""
    joined = "join opened o using (alert_id)"
    stories = plan(con, f"select o.case_id, c.* from story c {joined} order by o.case_id")
    steps = by_case(plan(con, f"select o.case_id, s.* from step_plan s {joined} order by 1, s.i"))
    planned_visits = by_case(
        plan(con, f"select o.case_id, v.* from visit_plan v {joined} order by 1, v.n")
    )
    planned_measures = by_case(
        plan(con, f"select o.case_id, m.* from measure_plan m {joined} order by 1, m.n")
    )
    with transaction(make_sessionmaker(engine)) as session:
        for story in stories:
            number = story["case_id"]
            replay_case(
                session,
                pack,
                story,
                steps[number],
                planned_visits[number],
                planned_measures[number],
            )


def replay_case(
    session: Session,
    pack: Pack,
    story: dict[str, Any],
    steps: list[dict[str, Any]],
    planned_visits: list[dict[str, Any]],
    planned_measures: list[dict[str, Any]],
) -> None:
    case = session.get_one(Case, story["case_id"])
    household = session.get_one(Household, case.household_id)
    village = case.village_code

    def visit(planned: dict[str, Any]) -> None:
        visit_in = visits.VisitIn(
            client_key=planned["client_key"],
            household_code=household.code,
            visited_on=planned["visited_on"],
            per_capita_income=planned["per_capita_income"],
            checks=dict.fromkeys(visits.CHECKS, planned["secure"]),
            risks_found=[planned["risks_found"]] if planned["risks_found"] else [],
            note=planned["note"],
            verifies=planned["verifies"],
        )
        scope = acting(planned["visitor"], Role.GRID_WORKER, village)
        visits.record_visit(
            session, scope=scope, visit_in=visit_in, pack=pack, today=planned["visited_on"]
        )

    for step in steps:
        day, actor, note = step["done_on"], step["actor"], step["note"]
        if day is None:
            continue  # the step the case waits for
        role = workflow.STEPS[step["step"]].role
        scope = acting(actor, role, village)
        if step["step"] == "verify":
            visit(planned_visits[0])
        elif step["step"] == "district_approval" and step["outcome"] == "passed":
            workflow.include(
                session,
                scope=scope,
                case=case,
                pack=pack,
                category=story["category"],
                risk_types=[story["risk_type"]],
                note=note,
                today=day,
            )
            plan_measures(session, pack, case, planned_measures)
            for planned in planned_visits[1:]:
                visit(planned)
        elif step["step"] == "propose_removal":
            removal.propose(session, scope=scope, case=case, pack=pack, note=note, today=day)
        else:
            workflow.take_step(
                session,
                scope=scope,
                case=case,
                step_name=step["step"],
                pack=pack,
                passed=step["outcome"] == "passed",
                note=note,
                today=day,
            )


def plan_measures(
    session: Session, pack: Pack, case: Case, planned_measures: list[dict[str, Any]]
) -> None:
    added = []
    for planned in planned_measures:
        scope = acting(planned["actor"], Role.VILLAGE_CADRE, case.village_code)
        measure_in = measures.MeasureIn(
            planned["kind"], planned["content"], planned["responsible"], planned["due_on"]
        )
        added.append(
            measures.add(
                session,
                scope=scope,
                case=case,
                measure_in=measure_in,
                pack=pack,
                today=planned["started_on"],
            )
        )
    for measure, planned in zip(added, planned_measures, strict=True):
        if planned["done_on"] is not None:
            measures.record_progress(
                session,
                scope=acting(planned["actor"], Role.VILLAGE_CADRE, case.village_code),
                measure_id=measure.id,
                note=demo_cases.DONE_NOTE,
                done=True,
                today=planned["done_on"],
            )


def table_rows(
    engine: Engine, model: type[Base], *, leave_out: set[str] = WRITTEN_AT, where: Any = None
) -> list:
    """The rows of ``model``'s table but for the columns left out, in the order of those kept.

    Floating-point figures are compared to a millionth: a sum of the same areas differs in
    its last bits with the order it was added up in.
    """
    table = model.__table__
    columns = [column for column in table.c if column.name not in leave_out]
    query = select(*columns).order_by(*columns)
    with transaction(make_sessionmaker(engine)) as session:
        rows = session.execute(query if where is None else query.where(where))
        return [
            tuple(round(value, 6) if isinstance(value, float) else value for value in row)
            for row in rows
        ]


HISTORY_TABLES = (Alert, Case, CaseStep, Visit, Signal, Measure, MeasureProgress)


@pytest.fixture(scope="module")
def both_ways(module_db_url: str, tiny_demo_url: str):
    """The tiny demo built twice: with the bulk history, and with the same history taken
    through the services."""
    bulk = make_engine(tiny_demo_url)
    through_services = make_engine(module_db_url)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(demo_cases, "write_history", replay_history)
        build(through_services, scale_name="tiny")
    yield bulk, through_services
    bulk.dispose()
    through_services.dispose()


def test_the_demo_plans_every_step_of_the_workflow(both_ways):
    bulk, _ = both_ways
    with transaction(make_sessionmaker(bulk)) as session:
        steps = set(session.scalars(select(CaseStep.step).where(CaseStep.done_on.is_not(None))))
        measures_done = session.scalars(select(MeasureProgress.id)).first()
    assert steps == set(workflow.STEPS)
    assert measures_done is not None


@pytest.mark.parametrize("model", HISTORY_TABLES, ids=lambda model: model.__tablename__)
def test_the_bulk_case_history_has_the_rows_the_services_write(both_ways, model):
    bulk, through_services = both_ways
    written = table_rows(bulk, model)
    assert written
    assert written == table_rows(through_services, model)


def test_bulk_grid_workers_are_the_users_that_user_creation_makes(session):
    place = make_place(session)
    create_grid_workers(session, [place.village])
    created = users.create(
        session,
        scope=Scope.system("test"),
        user_in=users.UserIn(
            name=grid_worker_name(place.neighbour_village),
            role=Role.GRID_WORKER.value,
            region_code=place.neighbour_village,
            password=DEMO_PASSWORD,
            full_name=GRID_WORKER_NAME,
        ),
    )
    bulk = session.scalars(select(User).where(User.name == grid_worker_name(place.village))).one()
    # Names and villages differ by design; hashes are salted; creation times are the clock's.
    differ = {"id", "name", "region_code", "password_hash", "created_at"}
    compared = [column.name for column in User.__table__.c if column.name not in differ]
    assert [getattr(bulk, name) for name in compared] == [
        getattr(created, name) for name in compared
    ]
    assert (bulk.region_code, created.region_code) == (place.village, place.neighbour_village)
    assert password_matches(bulk.password_hash, DEMO_PASSWORD)


def test_grid_workers_already_there_are_left_as_they_are(session):
    place = make_place(session)
    create_grid_workers(session, [place.village])
    first = session.scalars(select(User).where(User.name == grid_worker_name(place.village))).one()
    create_grid_workers(session, [place.village, place.neighbour_village])
    names = session.scalars(select(User.name).where(User.role == Role.GRID_WORKER.value))
    assert sorted(names) == sorted(
        grid_worker_name(v) for v in (place.village, place.neighbour_village)
    )
    assert session.get(User, first.id).password_hash == first.password_hash


SAMPLE = Scale(
    "sample",
    towns_per_district=1,
    villages_per_town=1,
    households_per_village=8,
    parcels_per_village=100,
)
"""Some eight households and a hundred parcels in each village of ``make_place``."""
SYSTEM = Scope.system("test")


def with_places(url: str) -> Engine:
    engine = make_engine(url)
    with transaction(make_sessionmaker(engine)) as session:
        make_place(session)
    return engine


def yes_no(flag: bool) -> str:
    return "是" if flag else "否"


def household_workbook(engine: Engine, year: int, path: Path) -> Path:
    """The villages' household workbook for ``year``, one row per person, as they keep it."""
    query = (
        select(
            Household.village_code,
            Household.number,
            Person.name,
            Person.id_number,
            Person.relation,
            Person.phone,
            PersonYear.disabled,
            PersonYear.student,
            PersonYear.migrant_worker,
            HouseholdYear.net_income,
            PersonYear.medical_out_of_pocket,
            HouseholdYear.disaster,
        )
        .join(Person, Person.household_id == Household.id)
        .join(PersonYear, (PersonYear.person_id == Person.id) & (PersonYear.year == year))
        .join(
            HouseholdYear,
            (HouseholdYear.household_id == Household.id) & (HouseholdYear.year == year),
        )
        .order_by(Household.id, Person.id)
    )
    with transaction(make_sessionmaker(engine)) as session, path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([labels[0] for labels in COLUMNS.values()])
        for (
            village,
            number,
            name,
            id_number,
            relation,
            phone,
            *flags,
            income,
            medical,
            hit,
        ) in session.execute(query):
            head = relation == "户主"
            writer.writerow(
                [village, number, name, id_number, relation, phone or ""]
                + [yes_no(flag) for flag in flags]
                + [income if head else "", medical, (hit or "无") if head else ""]
            )
    return path


def feed_lists(engine: Engine, directory: Path) -> list[tuple[str, Path]]:
    """Each department's list of the signals, one row per signal, as the department sends it."""
    lists = []
    with transaction(make_sessionmaker(engine)) as session:
        for source, feed in feeds.FEEDS.items():
            labels = {kind: label for label, kind in feed.kinds.items()}
            path = directory / f"{source}.csv"
            with path.open("w", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(feed.headers)
                query = (
                    select(Signal, Person.id_number, Person.name)
                    .join(Person, Person.id == Signal.person_id)
                    .where(Signal.source == source)
                    .order_by(Signal.id)
                )
                for signal, id_number, name in session.execute(query).tuples():
                    values = {
                        "date": signal.signal_date.isoformat(),
                        "choice": signal.detail if feed.detail_is_choice else labels[signal.kind],
                        "amount": signal.amount,
                        "total": signal.amount,
                        "days": signal.days,
                    }
                    writer.writerow([id_number, name, *(values[key] for key in feed.layout)])
            lists.append((source, path))
    return lists


SUBJECT_TABLES = (
    (Household, WRITTEN_AT, None),
    (Person, set(), None),
    (HouseholdYear, set(), None),
    (PersonYear, set(), None),
    (Signal, {"id"}, None),
    (IdentityCode, {"issued_at"}, IdentityCode.kind == "P"),
    (IdentitySerial, set(), None),
)


@pytest.fixture(scope="module")
def households_both_ways(module_db_url: str, tmp_path_factory: pytest.TempPathFactory):
    """A sample of demo households written in bulk, and their workbooks and department lists
    imported into a database with the same villages."""
    directory = tmp_path_factory.mktemp("workbooks")
    bulk = with_places(migrated_copy(module_db_url, directory, "bulk"))
    create_households(bulk, scale=SAMPLE, seed=SEED)
    imported = with_places(migrated_copy(module_db_url, directory, "imported"))
    with transaction(make_sessionmaker(imported)) as session:
        for year in YEARS:
            path = household_workbook(bulk, year, directory / f"households_{year}.csv")
            result = registry.import_households(session, scope=SYSTEM, path=path, year=year)
            assert result.errors == []
        for source, path in feed_lists(bulk, directory):
            assert feeds.import_feed(session, scope=SYSTEM, kind=source, path=path).errors == []
    yield bulk, imported
    for engine in (bulk, imported):
        engine.dispose()
        dropped_when_done(engine.url)


@pytest.mark.parametrize(
    ("model", "leave_out", "where"),
    SUBJECT_TABLES,
    ids=[model.__tablename__ for model, _, _ in SUBJECT_TABLES],
)
def test_bulk_households_are_what_importing_their_workbooks_writes(
    households_both_ways, model, leave_out, where
):
    bulk, imported = households_both_ways
    written = table_rows(bulk, model, leave_out=leave_out, where=where)
    assert written
    assert written == table_rows(imported, model, leave_out=leave_out, where=where)


LAND_YEARS = (2022, 2023, 2024)
"""The land demo's parcels were found abandoned from 2022 on, and some farmed again in 2024."""


def use_in(parcel: Parcel, year: int) -> str | None:
    """What the parcel was used for in ``year``, by the history the demo gives it."""
    abandoned, recultivated = parcel.abandoned_year, parcel.recultivated_year
    farmed_again = recultivated is not None and recultivated <= year
    if abandoned is not None and abandoned <= year and not farmed_again:
        return Use.ABANDONED.value
    if parcel.current_use == Use.ABANDONED.value:
        return Use.GRAIN.value  # farmed until it was abandoned
    return parcel.current_use


def land_layers(engine: Engine, directory: Path) -> list[Path]:
    """The demo's parcels as the county keeps them, one layer a year (contracted plots known
    by their plot code, others by their 全农码), and its protection zones."""
    paths = []
    with transaction(make_sessionmaker(engine)) as session:
        names = export.village_names(session, SYSTEM)
        parcels = list(session.scalars(select(Parcel).order_by(Parcel.id)))
        zones = list(session.scalars(select(Zone).order_by(Zone.id)))
        for year in LAND_YEARS:
            records = []
            for parcel in parcels:
                record = export.parcel_record(parcel, names) | {"SJNF": year}
                use = use_in(parcel, year)
                record["ZZSX"] = USE_LABELS[Use(use)] if use else None
                if parcel.contract_plot_code:
                    record["QNM"] = None
                records.append(record)
            shapes = [parcel.geom for parcel in parcels]
            paths.append(write_layer(records, shapes, directory / f"{year}.gpkg"))
        records = [export.zone_record(zone) | {"QNM": None} for zone in zones]
        paths.append(write_layer(records, [zone.geom for zone in zones], directory / "zones.gpkg"))
    return paths


def write_layer(records: list[dict[str, Any]], shapes: list[Any], path: Path) -> Path:
    frame = geopandas.GeoDataFrame(records, geometry=shapes, crs=f"EPSG:{STORAGE_EPSG}")
    pyogrio.write_dataframe(frame, path)
    return path


def with_demo_land(url: str) -> Engine:
    """The sample's villages with their demo geography, households and land."""
    engine = with_places(url)
    with transaction(make_sessionmaker(engine)) as session:
        create_geography(session, seed=SEED)
    with generated_in_background(engine, scale=SAMPLE, seed=SEED) as land:
        create_households(engine, scale=SAMPLE, seed=SEED)
        land.load(engine)
    return engine


LAND_TABLES = (
    (Parcel, {"updated_at"}, None),
    (Zone, {"updated_at"}, None),
    (VillageSummary, {"computed_at"}, None),
    (IdentityCode, {"issued_at"}, IdentityCode.kind == "L"),
    (IdentitySerial, set(), IdentitySerial.kind == "L"),
)


@pytest.fixture(scope="module")
def land_both_ways(module_db_url: str, tmp_path_factory: pytest.TempPathFactory):
    """The sample's demo land written in bulk, and its layers imported year after year into
    a database with the same villages and households."""
    directory = tmp_path_factory.mktemp("layers")
    bulk = with_demo_land(migrated_copy(module_db_url, directory, "bulk"))
    imported = with_places(migrated_copy(module_db_url, directory, "imported"))
    with transaction(make_sessionmaker(imported)) as session:
        create_geography(session, seed=SEED)
    create_households(imported, scale=SAMPLE, seed=SEED)
    *parcel_layers, zone_layer = land_layers(bulk, directory)
    with transaction(make_sessionmaker(imported)) as session:
        for path in parcel_layers:
            result = importers.import_file(session, scope=SYSTEM, path=path, layer="parcels")
            assert result.errors == []
        result = importers.import_file(session, scope=SYSTEM, path=zone_layer, layer="zones")
        assert result.errors == []
    summary.refresh(imported, pack=loader.get())
    yield bulk, imported
    for engine in (bulk, imported):
        engine.dispose()
        dropped_when_done(engine.url)


@pytest.mark.parametrize(
    ("model", "leave_out", "where"),
    LAND_TABLES,
    ids=[model.__tablename__ for model, _, _ in LAND_TABLES],
)
def test_bulk_land_is_what_importing_its_yearly_layers_writes(
    land_both_ways, model, leave_out, where
):
    bulk, imported = land_both_ways
    written = table_rows(bulk, model, leave_out=leave_out, where=where)
    assert written
    assert written == table_rows(imported, model, leave_out=leave_out, where=where)


def test_the_land_sample_has_parcels_abandoned_and_farmed_again(land_both_ways):
    bulk, _ = land_both_ways
    with transaction(make_sessionmaker(bulk)) as session:
        histories = set(
            session.execute(select(Parcel.abandoned_year, Parcel.recultivated_year)).tuples()
        )
    assert {(2022, 2024), (None, None)} <= histories
    assert {year for year, again in histories if again is None} >= {2022, 2023, 2024, None}


def test_bulk_village_checklists_are_what_the_data_set_service_leaves_once_approved(session):
    place = make_place(session)
    pack = loader.get()
    answers = [
        (CHECKLIST_PREFIX + key, float(number % 2))
        for number, key in enumerate(pack.model_village.items)
    ]
    demo_assess.write(session, [(place.village, 2024, "approved", "", answers)])
    unit = {"period": 2024, "region_code": place.neighbour_village}
    entries = [datasets.Entry(key, "是" if answer else "否") for key, answer in answers]
    scope = demo_assess.SYSTEM
    datasets.save(session, scope=scope, pack=pack, entries=entries, **unit)
    datasets.submit(session, scope=scope, pack=pack, **unit)
    datasets.approve(session, scope=scope, **unit)

    def written(village: str) -> tuple[list[Any], list[Any]]:
        data_set = session.scalars(select(DataSet).where(DataSet.region_code == village)).one()
        # Ids and villages differ by design; the times are the clock's.
        differ = {"id", "region_code", "updated_at", "submitted_at", "decided_at"}
        kept = [c.name for c in DataSet.__table__.c if c.name not in differ]
        values = session.execute(
            select(Value.item, Value.value).where(Value.data_set_id == data_set.id)
        )
        return [getattr(data_set, name) for name in kept], sorted(values.tuples())

    assert written(place.village) == written(place.neighbour_village)
