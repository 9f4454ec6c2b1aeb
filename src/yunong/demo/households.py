"""Demo households for the monitoring module (防返贫监测): members, yearly figures, signals.

Everything is generated set-based in DuckDB and written straight into the
operational database through DuckDB's sqlite or postgres extension, in one
transaction: at Chongqing scale that is 3.5 million households, 10 million
persons and some 40 million rows in all, far more than inserts through
SQLAlchemy could write in minutes. Their 全农码 are issued through the identity
service's bulk path: the serials are reserved for each village before the rows
are made, and the registry entries are written by the database itself from the
loaded rows (``identity.register_selected``). tests/demo/test_writers_match.py
checks that a household workbook of the same people, imported, gives the same rows.

Randomness is ``hash(key, salt, seed)`` of stable keys (household id, person
position, year), never a random generator, so the same scale gives the same
rows on every run and every backend.
"""

import math
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from sqlalchemy import Engine, Index, text

from yunong.core.audit import service as audit
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.core.identity.sql import code_sql, digit_sum_sql, digits_sql, region_sum_sql
from yunong.core.scope import Scope
from yunong.core.validators import ID_CHECK_CHARS, ID_WEIGHTS
from yunong.demo.scales import Scale
from yunong.monitor.models import Person
from yunong.store import analytics
from yunong.store.base import table_of
from yunong.store.db import make_sessionmaker, transaction

Progress = Callable[[str, int, int], None]
STEP = "农户与人员"
SYSTEM = Scope.system("demo")
REGISTERED = datetime(2023, 1, 1, tzinfo=UTC)
"""When the demo's elements were registered; fixed so that two builds are identical."""
REGISTERED_AT = REGISTERED.strftime("%Y-%m-%d %H:%M:%S")
YEARS = (2023, 2024)
LAST_YEAR = YEARS[-1]

# Household sizes of rural Chongqing: many elderly couples and left-behind grandparents,
# about 2.9 persons a household (10 million persons in 3.5 million households).
SIZE_SHARES = (0.16, 0.30, 0.23, 0.17, 0.10, 0.04)

# A member: relation, age offset from the head (lowest, highest) and sex ("head": the
# head's own, drawn with the template's male share; "opposite" of the head; "any").
HEAD = ("户主", 0, 0, "head")
SPOUSE = ("配偶", -5, 3, "opposite")
CHILD = ("子女", -36, -22, "any")
SON = ("子女", -32, -24, "male")
DAUGHTER_IN_LAW = ("儿媳", -33, -22, "female")
GRANDCHILD = ("孙子女", -62, -44, "any")
PARENT = ("父母", 22, 32, "any")
FATHER = ("父母", 24, 34, "male")
MOTHER = ("父母", 21, 30, "female")
Member = tuple[str, int, int, str]

# Compositions per size: share within the size, head's age range, share of male heads.
TEMPLATES: tuple[tuple[int, float, tuple[int, int], float, tuple[Member, ...]], ...] = (
    (1, 0.70, (60, 88), 0.55, ()),
    (1, 0.30, (28, 59), 0.80, ()),
    (2, 0.55, (52, 86), 0.85, (SPOUSE,)),
    (2, 0.15, (24, 48), 0.85, (SPOUSE,)),
    (2, 0.15, (58, 80), 0.60, (GRANDCHILD,)),
    (2, 0.15, (46, 78), 0.55, (CHILD,)),
    (3, 0.50, (34, 60), 0.90, (SPOUSE, CHILD)),
    (3, 0.25, (58, 78), 0.85, (SPOUSE, GRANDCHILD)),
    (3, 0.25, (28, 50), 0.90, (SPOUSE, PARENT)),
    (4, 0.55, (34, 58), 0.90, (SPOUSE, CHILD, CHILD)),
    (4, 0.25, (58, 78), 0.85, (SPOUSE, GRANDCHILD, GRANDCHILD)),
    (4, 0.20, (30, 52), 0.90, (SPOUSE, CHILD, PARENT)),
    (5, 0.50, (52, 72), 0.90, (SPOUSE, SON, DAUGHTER_IN_LAW, GRANDCHILD)),
    (5, 0.50, (34, 52), 0.90, (SPOUSE, CHILD, CHILD, PARENT)),
    (6, 0.50, (54, 74), 0.90, (SPOUSE, SON, DAUGHTER_IN_LAW, GRANDCHILD, GRANDCHILD)),
    (6, 0.50, (36, 52), 0.90, (SPOUSE, CHILD, CHILD, FATHER, MOTHER)),
)

# Surnames common in Chongqing, repeated by rough frequency, and given-name characters.
SURNAMES = (
    "李" * 8 + "王" * 6 + "张" * 6 + "刘" * 6 + "陈" * 6 + "杨" * 5 + "黄" * 3 + "周" * 4
    + "吴" * 3 + "罗" * 4 + "何" * 4 + "谭" * 4 + "唐" * 4 + "冉" * 3 + "向" * 3 + "秦" * 2
    + "邓" * 3 + "曾" * 2 + "彭" * 3 + "熊" * 2 + "蒋" * 2 + "袁" * 2 + "廖" * 2 + "余" * 2
    + "胡" * 3 + "赵" * 3 + "朱" * 2 + "郭" * 2 + "马" * 2 + "田" * 2 + "谢" * 2 + "牟" * 2
    + "徐孙高林梁宋郑韩冯董程曹傅沈吕苏卢蔡魏叶杜夏钟汪任姜范方石姚邹金陆孔白崔康毛邱"
    + "江史顾侯邵孟龙万段雷钱汤尹黎易常武贺赖龚文蒲付陶"
)  # fmt: skip
MALE_CHARS = (
    "伟强军明杰涛斌超勇刚平辉建国华林波鹏飞志忠文兵磊洪富贵德成永发俊浩宇航宏庆祥福荣海江山川云"
)
FEMALE_CHARS = "芳娟秀英华玲兰梅霞燕丽红琴萍敏静婷雪莉云凤翠桂珍淑慧颖欣怡琳春秋"
MOBILE_PREFIXES = tuple(
    f"1{n}"
    for n in (30, 31, 32, 33, 35, 36, 37, 38, 39, 50, 51, 52, 55, 56, 57, 58, 59, 66)
    + (73, 75, 76, 77, 78, 80, 82, 83, 85, 86, 87, 88, 89, 91, 99)
)
DISASTER_TYPES = ("洪涝", "洪涝", "洪涝", "干旱", "干旱", "地质灾害", "风雹")


@dataclass(frozen=True)
class HouseholdCounts:
    households: int
    persons: int
    signals: int


def address_sum_sql(address: str) -> str:
    """The part of an ID number's check sum that its 6-digit address code fixes."""
    return digit_sum_sql(address, ID_WEIGHTS[:6])


def id_number_sql(address: str, birth: str, sequence: str, address_sum: str | None = None) -> str:
    """A DuckDB expression for the 18-character resident ID number (GB 11643) of a person
    with the address code, birth date and sequence number (1–999) given; the check
    character is worked out from numbers rather than characters, which is faster."""
    digits = digits_sql(f"year({birth})", 4) + digits_sql(f"month({birth})", 2)
    digits += digits_sql(f"day({birth})", 2) + digits_sql(sequence, 3)
    terms = " + ".join(f"{digit} * {ID_WEIGHTS[6 + k]}" for k, digit in enumerate(digits))
    total = f"{address_sum or address_sum_sql(address)} + {terms}"
    first17 = f"{address} || strftime({birth}, '%Y%m%d') || lpad(({sequence})::varchar, 3, '0')"
    return f"({first17} || '{ID_CHECK_CHARS}'[({total}) % 11 + 1])"


def pick(values: str | tuple[str, ...], key: str, salt: str) -> str:
    """Deterministically pick one of ``values`` for each row's ``key``."""
    index = f"(hash({key}, '{salt}', getvariable('seed')) % {len(values)})::bigint + 1"
    listed = ", ".join(f"'{value}'" for value in values)
    return f"[{listed}][{index}]"


def size_case(draw: str) -> str:
    cases, total = [], 0.0
    for size, share in enumerate(SIZE_SHARES[:-1], start=1):
        total += share
        cases.append(f"when {draw} < {total:.4f} then {size}")
    return f"case {' '.join(cases)} else {len(SIZE_SHARES)} end"


def template_rows() -> tuple[str, str]:
    """VALUES lists of the templates (with their cumulative share) and of their members."""
    templates, members = [], []
    start: dict[int, float] = {}
    for number, (size, share, (low, high), male, others) in enumerate(TEMPLATES, start=1):
        begin = start.get(size, 0.0)
        start[size] = begin + share
        end = 2.0 if math.isclose(start[size], 1.0) else start[size]
        templates.append(f"({number}, {size}, {begin}, {end}, {low}, {high}, {male})")
        for position, (relation, lo, hi, sex) in enumerate((HEAD, *others), start=1):
            members.append(f"({number}, {position}, '{relation}', {lo}, {hi}, '{sex}')")
    return ", ".join(templates), ", ".join(members)


def households_in_village_sql(village: str, households_per_village: int) -> str:
    """How many households the demo gives the village ``village`` (a code expression)."""
    return f"greatest(1, round({households_per_village} * (0.6 + 0.8 * u({village}, 'size'))))::int"


def setup_sql(households_per_village: int) -> str:
    templates, members = template_rows()
    region_sum = region_sum_sql("r.code")
    address_sum = address_sum_sql("r.code")
    return f"""
create macro u(k, salt) as (hash(k, salt, getvariable('seed')) % 4294967296)::double / 4294967296;
create macro normal(k, salt) as
    sqrt(-2 * ln(1 - u(k, salt || '1'))) * cos(2 * pi() * u(k, salt || '2'));
create table template(template_id, size, share_from, share_to, head_low, head_high,
    head_male) as values {templates};
create table member(template_id, position, relation, age_low, age_high, sex) as
    values {members};
create table village as
    select r.code, {households_in_village_sql("r.code", households_per_village)} as households,
           {region_sum} as region_sum, {address_sum} as address_sum
    from op.region r where r.level = 4;
create table village_before as
    select *, (sum(households) over (order by code))::bigint - households as households_before
    from village;
"""


# What each village is issued: its households and their members, the sizes drawn as the
# households' own generation draws them.
SUBJECTS_SQL = """
select v.code, v.households + sum({size})::bigint
from village_before v, range(1, v.households + 1) r(n)
group by v.code, v.households order by v.code
"""

# Each village's serials start after those reserved before, ids after the villages before.
VILLAGE_OFFSET_SQL = """
create table village_offset as
    select v.*, r.first - 1 as serial_base
    from village_before v join reserved r using (code)
"""


# Ids and serials run on from village to village: each village's offsets are worked out
# over the 8,000 villages, so that the millions of households need only windows within
# their village, which run in parallel, rather than one window over all of them.
HOUSEHOLD_SQL = """
with numbered as (
    select v.households_before + n as id, v.code as village_code, n,
           v.serial_base + n as serial, v.serial_base + v.households as person_serial_base,
           v.region_sum, v.address_sum
    from village_offset v, range(1, v.households + 1) r(n)
), drawn as (
    select *, {size} as size, u(id, 'template') as template_draw from numbered
), sized as (
    select *, (sum(size) over (partition by village_code order by id))::bigint - size
               as persons_in_village_before
    from drawn
), village_persons as (
    select village_code,
           (sum(sum(size)) over (order by village_code))::bigint - sum(size) as persons_before
    from drawn group by village_code
)
select d.id, d.village_code, lpad(d.n::varchar, 4, '0') as number, {household_code} as code,
       d.size,
       t.template_id, t.head_low + floor(u(d.id, 'age') * (t.head_high - t.head_low + 1))::int
           as head_age,
       u(d.id, 'sex') < t.head_male as head_male, {surname} as surname, d.region_sum,
       d.address_sum, getvariable('registered') as created_at,
       -- Persons are numbered household by household, so each household's first id and
       -- first serial follow from the sizes before it.
       b.persons_before + d.persons_in_village_before as persons_before,
       d.person_serial_base + d.persons_in_village_before as person_serial_before
from sized d join template t on t.size = d.size
    and d.template_draw >= t.share_from and d.template_draw < t.share_to
    join village_persons b using (village_code)
order by d.id
"""

PERSON_SQL = """
with drawn as (
    select h.id as household_id, h.village_code, h.surname, h.region_sum, h.address_sum,
           m.position, m.relation, h.persons_before + m.position as id,
           h.person_serial_before + m.position as serial, h.id * 8 + m.position as k,
           case m.sex when 'head' then h.head_male when 'opposite' then not h.head_male
                when 'male' then true when 'female' then false
                else u(h.id * 8 + m.position, 'sex') < 0.5 end as male,
           least(99, greatest(2, h.head_age + m.age_low
               + floor(u(h.id * 8 + m.position, 'age') * (m.age_high - m.age_low + 1))::int))
               as age
    from household h join member m using (template_id)
), dated as (
    select *, make_date({last_year} - age, 1, 1) + floor(u(k, 'day') * 365)::int as birth_date
    from drawn
), numbered as (
    -- The sequence code is unique among persons of one address, birth date and sex
    -- (odd for men, even for women), starting at a drawn offset so numbers look varied.
    select *, 2 * ((hash(substr(village_code, 1, 6), birth_date, getvariable('seed')) % 200)::int
        + row_number() over (
            partition by substr(village_code, 1, 6), birth_date, male order by id) - 1)
        + case when male then 1 else 2 end as sequence
    from dated
)
select p.id, p.household_id, p.village_code, p.position, p.relation, p.male, p.age, p.k,
    case when p.male or p.relation in ('子女', '孙子女') then p.surname
         else {other_surname} end
    || case when p.male then {male_1} else {female_1} end
    || case when u(p.k, 'name length') < 0.15 then ''
            when p.male then {male_2} else {female_2} end as name,
    p.birth_date, p.sequence, {id_number} as id_number,
    case when p.position = 1 then {mobile} || lpad((hash(p.k, 'mobile',
        getvariable('seed')) % 100000000)::varchar, 8, '0') end as phone,
    {person_code} as code
from numbered p
order by p.id
"""

# Per person and year: disability rises with age and lasts, students of school age, migrant
# work for the working-age, and out-of-pocket medical costs with a heavy tail for a few.
PERSON_YEAR_SQL = """
with aged as (
    select p.id as person_id, p.household_id, y.year, p.k, p.k * 10000 + y.year as ky,
           p.age - ({last_year} - y.year) as age
    from person p, (values {years}) y(year)
), flagged as (
    select *,
        u(k, 'disabled') < case when age < 16 then 0.008 when age < 60 then 0.025 else 0.07 end
            * case when year < {last_year} then 0.9 else 1 end as disabled,
        (age between 6 and 18 and u(k, 'student') < 0.97)
            or (age between 19 and 22 and u(k, 'student') < 0.4) as student
    from aged
)
select person_id, household_id, year, age, disabled, student,
    age between 18 and 55 and not student and not disabled and u(k, 'migrant') < 0.42
        and not (year = {last_year} and u(k, 'returned') < 0.03) as migrant_worker,
    u(k, 'migrant') < 0.42 and u(k, 'returned') < 0.03 and year = {last_year}
        and age between 19 and 56 and not student and not disabled as returned,
    round(case
        when u(ky, 'medical') < case when age >= 60 then 0.02 else 0.006 end
            then 6000 * exp(2.6 * u(ky, 'medical amount'))
        when u(ky, 'medical') < case when age >= 60 then 0.55 else 0.25 end
            then 100 + 2900 * pow(u(ky, 'medical amount'), 2)
        else 0 end, 2)::decimal(14, 2) as medical_out_of_pocket
from flagged
order by person_id, year
"""

# Per-capita income: log-normal around 18,500 yuan with a few percent in deep poverty;
# the next year grows about 6 %, except sharp falls for about 2 %.
HOUSEHOLD_YEAR_SQL = """
with base as (
    select id as household_id, size,
        case when u(id, 'poor') < 0.015 then 2500 + 5000 * u(id, 'poor amount')
             else 18500 * exp(0.38 * normal(id, 'income')) end as first_income,
        case when u(id, 'fall') < 0.02 then 0.35 + 0.3 * u(id, 'fall amount')
             else 1.06 + 0.06 * normal(id, 'growth') end as growth
    from household
), yearly as (
    select b.household_id, y.year, b.size as members, b.household_id * 10000 + y.year as ky,
        round(b.size * b.first_income * case when y.year = {last_year} then b.growth else 1 end)
            as net
    from base b, (values {years}) y(year)
)
select household_id, year, members, net::decimal(14, 2) as net_income,
    round(net / members, 2)::decimal(14, 2) as per_capita_income,
    case when u(ky, 'disaster') >= 0.012 then null
         when u(ky, 'disaster level') < 0.6 then '轻微'
         when u(ky, 'disaster level') < 0.9 then '一般' else '严重' end as disaster
from yearly
order by household_id, year
"""

# Department signals, a sprinkling per year so that every screening rule finds something:
# one row per person, source, kind and year at most (the feeds' unique key has the day).
SIGNAL_SQL = """
with hy as (
    select y.*, y.household_id * 10000 + y.year as ky, p.id as person_id, h.size,
           p.age - ({last_year} - y.year) as head_age
    from household_year y join household h on h.id = y.household_id
    join person p on p.household_id = y.household_id and p.position = 1
), py as (
    select *, person_id * 10000 + year as ky from person_year
), found as (
    select household_id, person_id, 'medical_insurance' as source, 'illness' as kind,
           null::date as signal_date, year, medical_out_of_pocket as amount, null as days,
           '' as detail
    from py where medical_out_of_pocket >= 5000 and u(ky, 'insured') < 0.8
    union all
    select household_id, person_id, 'medical_insurance', 'accident', null, year,
           round(1500 + 30000 * pow(u(ky, 'accident amount'), 2), 2), null, ''
    from py where u(ky, 'accident') < 0.004
    union all
    select household_id, person_id, 'disaster', 'disaster',
           make_date(year, 5, 1) + floor(u(ky, 'flood season') * 153)::int, year,
           round(case disaster when '轻微' then 800 + 4200 * u(ky, 'loss')
                 when '一般' then 5000 + 25000 * u(ky, 'loss')
                 else 30000 + 120000 * u(ky, 'loss') end, 2), null, {disaster_type}
    from hy where disaster is not null and (disaster <> '轻微' or u(ky, 'listed') < 0.5)
    union all
    select household_id, person_id, 'civil_affairs', kind, null, year, null, null, ''
    from (select *, case
        when per_capita_income < 5000 and size = 1 and head_age >= 60
             and u(ky, 'assist') < 0.6 then 'tekun'
        when per_capita_income < 5000 and u(ky, 'assist') < 0.7 then 'dibao'
        when per_capita_income < 7600 and u(ky, 'assist') < 0.25 then 'dibao_edge'
        when u(ky, 'temporary') < 0.003 then 'temporary' end as kind from hy)
    where kind is not null
    union all
    select household_id, person_id, 'housing', case
        when u(ky, 'grade') < 0.45 then 'grade_a' when u(ky, 'grade') < 0.80 then 'grade_b'
        when u(ky, 'grade') < 0.95 then 'grade_c' else 'grade_d' end, null, year, null, null, ''
    from hy where u(ky, 'housing') < case when year = {last_year} then 0.02 else 0.03 end
    union all
    select household_id, person_id, 'water', kind, null, year, null,
           case when kind = 'cut' then 3 + floor(87 * u(ky, 'days'))
                else 30 + floor(300 * u(ky, 'days')) end::int, ''
    from (select *, case when u(ky, 'water kind') < 0.5 then 'cut'
                         when u(ky, 'water kind') < 0.7 then 'quality'
                         when u(ky, 'water kind') < 0.9 then 'quantity' else 'distance' end as kind
          from hy where u(ky, 'water') < 0.006)
    union all
    select household_id, person_id, 'employment', kind, null, year, null, null, ''
    from (select *, case when returned then 'returned'
                         when not (age between 18 and 59) or student then null
                         when u(ky, 'job') < 0.005 then 'unemployed'
                         when u(ky, 'job') < 0.012 then 'pay_cut'
                         when u(ky, 'job') < 0.018 then 'employed' end as kind from py)
    where kind is not null
)
select row_number() over (order by year, household_id, source, kind, person_id) as id,
       household_id, person_id, source, kind, year,
       coalesce(signal_date, make_date(year, 1, 1)
           + floor(u(person_id * 10000 + year, source || kind) * 365)::int) as signal_date,
       amount::decimal(14, 2) as amount, days::int as days, detail
from found
order by id
"""


# Operational table, working table and the columns copied.
INSERTS = (
    ("monitor_household", "household", "id, code, village_code, number, created_at"),
    (
        "monitor_household_year",
        "household_year",
        "household_id, year, members, net_income, per_capita_income, disaster",
    ),
    (
        "monitor_person",
        "person",
        "id, code, household_id, name, id_number, birth_date, relation, phone",
    ),
    (
        "monitor_person_year",
        "person_year",
        "person_id, year, disabled, student, migrant_worker, medical_out_of_pocket",
    ),
    (
        "monitor_signal",
        "signal",
        "id, household_id, person_id, source, kind, signal_date, year, amount, days, detail",
    ),
)

# The household years go early as they need only the households: they are written while
# the persons are still being generated.
WORK_TABLES = (
    ("household", HOUSEHOLD_SQL),
    ("household_year", HOUSEHOLD_YEAR_SQL),
    ("person", PERSON_SQL),
    ("person_year", PERSON_YEAR_SQL),
    ("signal", SIGNAL_SQL),
)

# Built after the load rather than during it: persons arrive in id order and their ID
# numbers in no order, and filling an index out of order costs several times more than
# building it once. Building it refuses duplicates just as loading into it would.
ID_NUMBER_INDEX = next(
    index for index in table_of(Person).indexes if index.name == "uq_monitor_person_id_number"
)


def generation_sql() -> list[tuple[str, str]]:
    """The working tables, each with the query that fills it, in the order they are built."""
    parts = {
        "years": ", ".join(f"({year})" for year in YEARS),
        "last_year": LAST_YEAR,
        "size": size_case("u(id, 'size')"),
        "household_code": code_sql("d.village_code", "d.serial", region_sum="d.region_sum"),
        "surname": pick(SURNAMES, "d.id", "surname"),
        "other_surname": pick(SURNAMES, "p.k", "surname"),
        "male_1": pick(MALE_CHARS, "p.k", "given 1"),
        "male_2": pick(MALE_CHARS, "p.k", "given 2"),
        "female_1": pick(FEMALE_CHARS, "p.k", "given 1"),
        "female_2": pick(FEMALE_CHARS, "p.k", "given 2"),
        "id_number": id_number_sql(
            "substr(p.village_code, 1, 6)", "p.birth_date", "p.sequence", "p.address_sum"
        ),
        "mobile": pick(MOBILE_PREFIXES, "p.k", "mobile prefix"),
        "person_code": code_sql("p.village_code", "p.serial", region_sum="p.region_sum"),
        "disaster_type": pick(DISASTER_TYPES, "ky", "disaster type"),
    }
    return [(name, sql.format(**parts)) for name, sql in WORK_TABLES]


def connect(engine: Engine) -> duckdb.DuckDBPyConnection:
    """DuckDB with the operational database attached, writable, as ``op``."""
    con = duckdb.connect(
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    )
    # Timestamps are written as UTC whatever the machine's zone, as SQLAlchemy writes them.
    con.execute("set TimeZone = 'UTC'")
    attach_operational(con, engine)
    return con


def attach_operational(con: duckdb.DuckDBPyConnection, engine: Engine) -> None:
    url = engine.url
    if url.get_backend_name() == "sqlite":
        con.load_extension(str(analytics.extension_path("sqlite_scanner")))
        path = Path(url.database or "")
        quoted = str(path).replace("'", "''")
        # A rollback journal rather than WAL while loading: the file starts almost empty, so
        # the journal stays tiny, whereas WAL would write every new page twice. Only when no
        # one else has the file open (SQLite removes -wal and -shm with the last connection):
        # others would keep the WAL index locked. The engine turns WAL back on when it next
        # connects.
        alone = not any(path.with_name(path.name + end).exists() for end in ("-wal", "-shm"))
        journal = ", journal_mode 'delete'" if alone else ""
        con.execute(f"attach '{quoted}' as op (type sqlite{journal})")
    else:
        con.load_extension(str(analytics.extension_path("postgres_scanner")))
        dsn = analytics.libpq_dsn(url.render_as_string(hide_password=False))
        con.execute(f"attach '{dsn}' as op (type postgres)")


def create_households(
    engine: Engine, *, scale: Scale, seed: int, progress: Progress | None = None
) -> HouseholdCounts:
    """Add demo households, persons, yearly figures, signals and their 全农码 to every village.

    One DuckDB connection builds the working tables while another writes each finished one
    into the operational database, so that generating costs little beyond the writing. Each
    working table is an in-memory database of its own: the writer's transaction sees a
    database as it is when first read, which is only after it has been built.
    """
    report = progress or (lambda _step, _done, _total: None)
    with index_built_after(engine, ID_NUMBER_INDEX):
        counts = load(engine, scale=scale, seed=seed, report=report)
    finish(engine, counts)
    return counts


def load(engine: Engine, *, scale: Scale, seed: int, report: Progress) -> HouseholdCounts:
    """Generate the working tables and write them into the operational database."""
    tables = generation_sql()
    # Pooled connections would keep SQLite from leaving WAL mode for the load.
    engine.dispose()
    con = connect(engine)
    generator = con.cursor()
    try:
        prepare(con, generator, scale=scale, seed=seed, names=[name for name, _ in tables])
        reserve_serials(engine, con)
        with ThreadPoolExecutor(max_workers=1) as pool:
            built = {
                name: pool.submit(generator.execute, f"create table {name}.main.{name} as {sql}")
                for name, sql in tables
            }
            try:
                write(con, built, report, sqlite=engine.dialect.name == "sqlite")
            except BaseException:
                for future in built.values():
                    future.cancel()
                generator.interrupt()
                raise
        return HouseholdCounts(
            *(count(con, f"{name}.main.{name}") for name in ("household", "person", "signal"))
        )
    finally:
        generator.close()
        con.close()


def reserve_serials(engine: Engine, con: duckdb.DuckDBPyConnection) -> None:
    """Reserve each village's serials for its households and persons through the identity
    service, and work out where each village's codes start (table ``village_offset``)."""
    size = size_case("u(v.households_before + n, 'size')")
    wanted = dict(con.execute(SUBJECTS_SQL.format(size=size)).fetchall())
    con.execute("detach op")
    with transaction(make_sessionmaker(engine)) as session:
        reserved = identity.reserve_serials(session, kind=Kind.SUBJECT, counts=wanted)
    engine.dispose()
    attach_operational(con, engine)
    starts = sorted((village, serials.start) for village, serials in reserved.items())
    table = pa.table(
        {
            "code": pa.array([village for village, _ in starts], pa.string()),
            "first": pa.array([start for _, start in starts], pa.int64()),
        }
    )
    con.register("reserved_rows", table)
    con.execute("create table reserved as select * from reserved_rows")
    con.unregister("reserved_rows")
    con.execute(VILLAGE_OFFSET_SQL)


@contextmanager
def index_built_after(engine: Engine, index: Index) -> Iterator[None]:
    """Drop ``index`` for a bulk load and build it once the rows are in, even if the load
    fails (an empty table then gets it at once)."""
    with engine.begin() as connection:
        index.drop(connection)
    try:
        yield
    finally:
        with engine.begin() as connection:
            # SQLite sorts the entries of a new index on helper threads when allowed; its
            # default page cache sorts faster than a large one (6 s against 10 s for the
            # ten million ID numbers of the Chongqing demo).
            if engine.dialect.name == "sqlite":
                connection.exec_driver_sql("PRAGMA threads = 2")
            index.create(connection)
            if engine.dialect.name == "sqlite":
                connection.exec_driver_sql("PRAGMA threads = 0")


def prepare(
    con: duckdb.DuckDBPyConnection,
    generator: duckdb.DuckDBPyConnection,
    *,
    scale: Scale,
    seed: int,
    names: list[str],
) -> None:
    """Variables, macros, templates and villages; an empty database per working table."""
    for connection in (con, generator):
        connection.execute(f"set variable seed = {int(seed)}")
        connection.execute(f"set variable registered = timestamp '{REGISTERED_AT}'")
    con.execute(setup_sql(scale.households_per_village))
    for name in names:
        con.execute(f"attach ':memory:' as {name}")
    paths = ",".join(["memory.main", *(f"{name}.main" for name in names)])
    generator.execute(f"set search_path = '{paths}'")


def write(
    con: duckdb.DuckDBPyConnection, built: dict[str, Future[Any]], report: Progress, *, sqlite: bool
) -> None:
    """Copy each working table into the operational database once built, in one transaction."""
    con.execute("begin")
    for done, (table, source, columns) in enumerate(INSERTS, start=1):
        built[source].result()
        if source == "person":
            check_id_numbers(con)
        working = f"{source}.main.{source}"
        values = sqlite_values(con, working, columns) if sqlite else columns
        con.execute(f"insert into op.{table} ({columns}) select {values} from {working}")
        report(STEP, done, len(INSERTS) + 1)
    con.execute("commit")
    report(STEP, len(INSERTS) + 1, len(INSERTS) + 1)


# DuckDB's sqlite writer binds doubles, integers and text more cheaply than it converts
# decimals, booleans, dates and timestamps, and SQLite stores the same either way: numeric
# columns keep 12.0 as 12 and 12.5 as 12.5, booleans are 0 and 1, dates and times are text.
# Casting first takes about a fifth off writing the 27 million yearly rows.
SQLITE_CASTS = {
    "DECIMAL": "double",
    "BOOLEAN": "integer",
    "DATE": "varchar",
    "TIMESTAMP": "varchar",
}


def sqlite_values(con: duckdb.DuckDBPyConnection, working: str, columns: str) -> str:
    """The select list that writes ``columns`` of a working table into SQLite cheaply."""
    types = {name: kind for name, kind, *_ in con.execute(f"describe {working}").fetchall()}
    values = []
    for column in (name.strip() for name in columns.split(",")):
        cast = SQLITE_CASTS.get(types[column].split("(")[0])
        values.append(f"{column}::{cast} as {column}" if cast else column)
    return ", ".join(values)


def count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"select count(*) from {table}").fetchone()
    return int(row[0]) if row else 0


def check_id_numbers(con: duckdb.DuckDBPyConnection) -> None:
    """The sequence code of an ID number has three digits; far more same-day births in one
    county would overflow it, so refuse rather than write malformed numbers."""
    bad = count(con, "(select 1 from person.main.person where sequence > 999)")
    if bad:
        raise RuntimeError(f"{bad} 个演示证件号码的顺序码溢出：同县同日出生的人过多")


SUBJECT_TABLES = (("household", "monitor_household"), ("person", "monitor_person"))


def finish(engine: Engine, counts: HouseholdCounts) -> None:
    """Register the subjects' 全农码, move PostgreSQL's id sequences past the ids written and
    record the build in the audit."""
    with transaction(make_sessionmaker(engine)) as session:
        for entity_type, table in (
            ("household", "monitor_household"),
            ("person", "monitor_person"),
        ):
            identity.register_selected(
                session,
                scope=SYSTEM,
                kind=Kind.SUBJECT,
                entity_type=entity_type,
                rows=f"SELECT code, id AS entity_id FROM {table}",
                issued_at=REGISTERED,
            )
        if engine.dialect.name == "postgresql":
            for table in ("monitor_household", "monitor_person", "monitor_signal"):
                session.execute(
                    text(
                        f"select setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(select max(id) from {table}))"
                    )
                )
        audit.record(
            session,
            scope=SYSTEM,
            action="demo.households",
            target_type="demo",
            target_id="households",
            region_code=None,
            detail=f"演示农户 {counts.households} 户、人员 {counts.persons} 人、"
            f"部门筛查信息 {counts.signals} 条",
        )
