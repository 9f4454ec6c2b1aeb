"""Demo households for monitoring: whole households, valid identities, the same every time."""

import random
import sqlite3
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import duckdb
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.engine import make_url

from yunong.core.identity import codes
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.core.identity.models import IdentityCode, IdentitySerial
from yunong.core.identity.sql import code_sql, region_sum_sql
from yunong.core.regions.codes import Level
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.core.validators import resident_id_check_char, validate_mobile, validate_resident_id
from yunong.demo.build import build
from yunong.demo.households import YEARS, address_sum_sql, id_number_sql, sqlite_values
from yunong.monitor.feeds import FEEDS
from yunong.monitor.models import Household, HouseholdYear, Person, PersonYear, Signal
from yunong.store import analytics
from yunong.store.db import make_engine, make_sessionmaker, transaction


@pytest.fixture
def tiny(tiny_demo_url: str) -> Iterator[Engine]:
    engine = make_engine(tiny_demo_url)
    yield engine
    engine.dispose()


@pytest.fixture
def tiny_copy(tiny_demo_copy_url: str) -> Iterator[Engine]:
    engine = make_engine(tiny_demo_copy_url)
    yield engine
    engine.dispose()


def rows(engine: Engine, *columns) -> list[tuple]:
    with transaction(make_sessionmaker(engine)) as session:
        return list(session.execute(select(*columns).order_by(*columns)).tuples())


def table_of_values(cases: list[tuple], *names: str) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with table ``t`` holding ``cases`` in order, as column ``i``."""
    con = duckdb.connect()
    values = ", ".join(
        "(" + ", ".join([str(i), *(f"'{value}'" for value in case)]) + ")"
        for i, case in enumerate(cases)
    )
    con.execute(f"create table t as select * from (values {values}) v(i, {', '.join(names)})")
    return con


def test_code_sql_gives_the_same_codes_as_compose():
    rng = random.Random(7)
    cases = [("500101108201", 1), ("500243000000", codes.MAX_SERIAL), ("000000000000", 31)]
    cases += [
        (f"{rng.randrange(10**12):012d}", rng.randint(1, codes.MAX_SERIAL)) for _ in range(5000)
    ]
    con = table_of_values(cases, "region", "serial")
    con.execute(
        f"create table s as select i, region, serial::bigint as serial, "
        f"{region_sum_sql('region')} as region_sum from t"
    )
    expected = [codes.compose(Kind.SUBJECT, region, serial) for region, serial in cases]
    for region_sum in (None, "region_sum"):
        sql = code_sql("region", "serial", region_sum=region_sum)
        found = con.execute(f"select {sql} from s order by i").fetchall()
        assert [code for (code,) in found] == expected


def test_id_number_sql_gives_the_check_character_of_the_validator():
    rng = random.Random(11)
    cases = [
        (f"{rng.randrange(10**6):06d}", date(1900, 1, 1) + timedelta(rng.randrange(45_000)),
         rng.randint(1, 999))
        for _ in range(5000)
    ]  # fmt: skip
    con = table_of_values(cases, "address", "birth", "sequence")
    con.execute(
        "create table s as "
        "select i, address, birth::date as birth, sequence::int as sequence from t"
    )
    expected = []
    for address, birth, sequence in cases:
        first17 = f"{address}{birth:%Y%m%d}{sequence:03d}"
        expected.append(first17 + resident_id_check_char(first17))
    for address_sum in (None, address_sum_sql("address")):
        sql = id_number_sql("address", "birth", "sequence", address_sum)
        found = con.execute(f"select {sql} from s order by i").fetchall()
        assert [number for (number,) in found] == expected


def test_every_village_has_households_each_with_exactly_one_head(tiny):
    with transaction(make_sessionmaker(tiny)) as session:
        villages = set(
            session.scalars(select(Region.code).where(Region.level == int(Level.VILLAGE)))
        )
        households = session.execute(select(Household.id, Household.village_code)).tuples().all()
        heads = Counter(
            session.scalars(select(Person.household_id).where(Person.relation == "户主"))
        )
        sizes = Counter(session.scalars(select(Person.household_id)))
    assert {village for _, village in households} == villages
    assert all(heads[hid] == 1 for hid, _ in households)
    assert all(1 <= sizes[hid] <= 6 for hid, _ in households)
    numbers = rows(tiny, Household.village_code, Household.number)
    by_village = defaultdict(list)
    for village, number in numbers:
        by_village[village].append(number)
    assert all(
        found == [f"{n:04d}" for n in range(1, len(found) + 1)] for found in by_village.values()
    )


def test_persons_have_valid_unique_id_numbers_matching_their_birth_and_relation(tiny):
    persons = rows(
        tiny,
        Person.household_id,
        Person.id_number,
        Person.birth_date,
        Person.relation,
        Person.phone,
    )
    numbers = [number for _, number, _, _, _ in persons]
    assert len(set(numbers)) == len(numbers)
    heads = {hid: birth for hid, _, birth, relation, _ in persons if relation == "户主"}
    for hid, number, birth, relation, phone in persons:
        assert validate_resident_id(number) == number
        assert number[6:14] == birth.strftime("%Y%m%d")
        assert birth.year <= YEARS[0] - 1
        if relation == "户主":
            assert validate_mobile(phone) == phone
        elif relation in ("子女", "孙子女"):
            assert birth > heads[hid]
        elif relation == "父母":
            assert birth < heads[hid]
    assert {relation for *_, relation, _ in persons} >= {"户主", "配偶", "子女", "父母", "孙子女"}


def test_every_household_and_person_has_a_registered_code_and_the_counters_cover_them(tiny):
    with transaction(make_sessionmaker(tiny)) as session:
        households = session.execute(
            select(Household.code, Household.id, Household.village_code)
        ).all()
        persons = session.execute(
            select(Person.code, Person.id, Household.village_code).join(
                Household, Household.id == Person.household_id
            )
        ).all()
        registry = {
            row.code: row
            for row in session.scalars(select(IdentityCode).where(IdentityCode.kind == "P"))
        }
        counters = {
            row.region_code: row.last_serial
            for row in session.scalars(select(IdentitySerial).where(IdentitySerial.kind == "P"))
        }
    # Other demo subjects (producers of the trace demo) hold P codes too, issued afterwards.
    people = [entry for entry in registry.values() if entry.entity_type in ("household", "person")]
    assert len(people) == len(households) + len(persons)
    issued: dict[str, int] = defaultdict(int)
    for code in registry:
        parsed = codes.parse(code)
        issued[parsed.region_code] = max(issued[parsed.region_code], parsed.serial)
    highest: dict[str, int] = defaultdict(int)
    serials: dict[str, list[int]] = defaultdict(list)
    for entity_type, found in (("household", households), ("person", persons)):
        for code, entity_id, village in found:
            parsed = codes.parse(code)
            assert (parsed.kind, parsed.region_code) == (Kind.SUBJECT, village)
            entry = registry[code]
            assert (entry.entity_type, entry.entity_id, entry.region_code) == (
                entity_type,
                str(entity_id),
                village,
            )
            highest[village] = max(highest[village], parsed.serial)
            serials[village].append(parsed.serial)
    assert counters == issued
    assert all(highest[village] <= issued[village] for village in highest)
    assert all(sorted(found) == list(range(1, len(found) + 1)) for found in serials.values())


def test_codes_issued_after_the_demo_do_not_collide(tiny_copy):
    with transaction(make_sessionmaker(tiny_copy)) as session:
        village = session.scalars(select(Household.village_code).limit(1)).one()
        last = session.get(IdentitySerial, ("P", village)).last_serial
        code = identity.create(
            session,
            scope=Scope.system("test"),
            kind=Kind.SUBJECT,
            region_code=village,
            entity_type="household",
            entity_id="new",
        )
    assert codes.parse(code).serial == last + 1


def test_yearly_figures_exist_for_both_years_and_per_capita_is_income_over_members(tiny):
    members = Counter(household for (household,) in rows(tiny, Person.household_id))
    figures = rows(
        tiny,
        HouseholdYear.household_id,
        HouseholdYear.year,
        HouseholdYear.members,
        HouseholdYear.net_income,
        HouseholdYear.per_capita_income,
    )
    assert Counter(year for _, year, *_ in figures) == {year: len(members) for year in YEARS}
    for household, _, count, income, per_capita in figures:
        assert count == members[household]
        assert Decimal(per_capita) == (Decimal(income) / count).quantize(Decimal("0.01"))
    per_capita_last = [float(pc) for _, year, _, _, pc in figures if year == YEARS[-1]]
    share_poor = sum(pc < 7600 for pc in per_capita_last) / len(per_capita_last)
    share_usual = sum(10_000 <= pc <= 40_000 for pc in per_capita_last) / len(per_capita_last)
    assert 0.005 < share_poor < 0.08
    assert share_usual > 0.75
    person_years = Counter(year for _, year in rows(tiny, PersonYear.person_id, PersonYear.year))
    assert person_years == {year: sum(members.values()) for year in YEARS}


def test_signals_come_from_every_department_feed_with_its_own_kinds(tiny):
    found = rows(tiny, Signal.source, Signal.kind, Signal.year, Signal.amount, Signal.days)
    # The demo's verification visits leave signals of their own (source "visit").
    signals = [row for row in found if row[0] != "visit"]
    assert {source for source, *_ in signals} == set(FEEDS)
    for source, kind, year, amount, days in signals:
        assert kind in FEEDS[source].kinds.values()
        assert year in YEARS
        assert (amount is not None) == (source in ("medical_insurance", "disaster"))
        assert (days is not None) == (source == "water")


def test_the_same_scale_builds_the_same_monitoring_rows_twice(tiny_demo_copy_url, tiny_demo_result):
    engine = make_engine(tiny_demo_copy_url)
    tables = (
        (Household.id, Household.code, Household.village_code, Household.number),
        (Person.id, Person.code, Person.household_id, Person.name, Person.id_number,
         Person.birth_date, Person.relation, Person.phone),
        (HouseholdYear.household_id, HouseholdYear.year, HouseholdYear.members,
         HouseholdYear.net_income, HouseholdYear.per_capita_income, HouseholdYear.disaster),
        (PersonYear.person_id, PersonYear.year, PersonYear.disabled, PersonYear.student,
         PersonYear.migrant_worker, PersonYear.medical_out_of_pocket),
        (Signal.id, Signal.household_id, Signal.person_id, Signal.source, Signal.kind,
         Signal.signal_date, Signal.amount, Signal.days, Signal.detail),
        (IdentityCode.code, IdentityCode.entity_type, IdentityCode.entity_id,
         IdentityCode.issued_at),
    )  # fmt: skip
    before = monitoring_rows(engine, tables)
    again = build(engine, scale_name="tiny")
    assert monitoring_rows(engine, tables) == before
    first = tiny_demo_result
    assert (again.households, again.persons, again.signals) == (
        first.households,
        first.persons,
        first.signals,
    )
    assert len(before[0]) == first.households
    engine.dispose()


MONITORING_CODES = ("household", "person", "monitor_case")
"""The 全农码 of monitoring's own rows; other applications' codes carry the time of the build."""


def monitoring_rows(engine: Engine, tables) -> list[list[tuple]]:
    *monitor_tables, codes_table = tables
    return [rows(engine, *columns) for columns in monitor_tables] + [
        [row for row in rows(engine, *codes_table) if row[1] in MONITORING_CODES]
    ]


# Another process with the file open, as a running `yunong serve` would have: it counts the
# persons when asked on stdin. (Within one process SQLite cannot tell DuckDB's own SQLite
# copy apart from itself, so the reader must live elsewhere, as it does in real use.)
READER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1])
for _ in sys.stdin:
    print(connection.execute("select count(*) from monitor_person").fetchone()[0], flush=True)
"""


def test_a_rebuild_succeeds_while_another_process_has_the_sqlite_file_open(tiny_demo_copy_url):
    if make_url(tiny_demo_copy_url).get_backend_name() != "sqlite":
        pytest.skip("只涉及 SQLite 的日志模式")
    engine = make_engine(tiny_demo_copy_url)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(make_url(tiny_demo_copy_url).database)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert reader.stdin and reader.stdout

    def count_in_reader() -> int:
        reader.stdin.write("count\n")
        reader.stdin.flush()
        return int(reader.stdout.readline())

    try:
        before = count_in_reader()
        result = build(engine, scale_name="tiny")
        after = count_in_reader()
    finally:
        reader.stdin.close()
        reader.wait(timeout=10)
    assert before == after == result.persons
    with engine.connect() as connection:
        assert connection.exec_driver_sql("pragma journal_mode").scalar() == "wal"


def test_the_casts_for_sqlite_store_what_the_working_types_would(tmp_path):
    path = tmp_path / "casts.db"
    create = (
        "create table t{n} (amount NUMERIC(14, 2), flag BOOLEAN, day DATE, moment DATETIME, n INT)"
    )
    with sqlite3.connect(path) as plain:
        for n in (1, 2):
            plain.execute(create.format(n=n))
    con = duckdb.connect(
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    )
    con.load_extension(str(analytics.extension_path("sqlite_scanner")))
    con.execute(f"attach '{path}' as op (type sqlite)")
    con.execute(
        "create table w as select * from (values (12.00::decimal(14, 2), true, date '2024-02-29',"
        " timestamp '2023-01-01 00:00:00', 1), (12.50::decimal(14, 2), false, date '1925-01-01',"
        " timestamp '2023-01-01 08:30:00', 2)) v(amount, flag, day, moment, n)"
    )
    columns = "amount, flag, day, moment, n"
    con.execute(f"insert into op.t1 ({columns}) select {columns} from w")
    con.execute(f"insert into op.t2 ({columns}) select {sqlite_values(con, 'w', columns)} from w")
    con.close()
    stored = (
        "select amount, typeof(amount), flag, typeof(flag), day, moment, typeof(moment) from t{n}"
    )
    with sqlite3.connect(path) as plain:
        first, second = (plain.execute(stored.format(n=n)).fetchall() for n in (1, 2))
    assert first == second
    assert first[0][:2] == (12, "integer")
    assert first[1][:2] == (12.5, "real")
