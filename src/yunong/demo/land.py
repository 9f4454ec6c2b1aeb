"""Demo land: parcels of the three kinds and protection zones in every village, at each scale.

Generated set-based in DuckDB while the demo households are written (see
:class:`LandBuild`), so that the chongqing scale's two million parcels take
seconds rather than the minutes inserts through SQLAlchemy would. Randomness
is ``hash(key, salt, seed)`` of stable keys.

Each village's grid is centred on its centre in the demo geography
(:mod:`yunong.demo.geography`, written with the regions) and holds
hill-country plots: quadrilaterals of roughly 30–70 m a side (one to seven
mu), one per 100 m cell, so no two overlap. The lower rows of the grid are
permanent basic farmland with a zone drawn around them; one village in ten has
an ecological red line over its top rows. Holders are the village's demo
households.

The codes are issued through the identity service's bulk path (serials reserved for each
village before the land is made, registry entries written from the loaded rows), and the
areas are those the land import measures (each feature in the Gauss–Krüger zone of its
centre). tests/demo/test_writers_match.py checks that importing the demo's parcels and
zones, a year's layer after another, gives the same rows.
"""

import os
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
from sqlalchemy import Engine, text

from yunong.core.audit import service as audit
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.core.identity.sql import code_sql, region_sum_sql
from yunong.core.scope import Scope
from yunong.demo.households import (
    REGISTERED,
    REGISTERED_AT,
    attach_operational,
    connect,
    households_in_village_sql,
)
from yunong.demo.scales import Scale
from yunong.land import jobs, rtree, spatial
from yunong.land.geometry import ZONES_BY_MERIDIAN
from yunong.policy import loader
from yunong.store import analytics
from yunong.store.db import foreign_keys_off, make_sessionmaker, transaction

Progress = Callable[[str, int, int], None]
STEP = "农地一张图"
SYSTEM = Scope.system("demo")
YEAR = 2024

CELL = 100.0
"""Metres per grid cell, one parcel a cell."""
METRES_PER_DEGREE_LAT = 110_540.0
METRES_PER_DEGREE_LON_AT_EQUATOR = 111_320.0


@dataclass(frozen=True)
class LandCounts:
    parcels: int
    zones: int


def setup_sql(parcels_per_village: int, households_per_village: int) -> str:
    per_degree_lon = f"({METRES_PER_DEGREE_LON_AT_EQUATOR} * cos(radians(lat)))"
    return f"""
create or replace macro u(k, salt) as
    (hash(k, salt, getvariable('seed')) % 4294967296)::double / 4294967296;
create table district as select code, name from op.region where level = 2;
create table village as
with base as (
    select r.code, 0 as serial_base, g.lon, g.lat,
           greatest(1, round({parcels_per_village} * (0.6 + 0.8 * u(r.code, 'parcels'))
               * case when r.urban_rural_class = '220' then 1 else 0.2 end))::int as parcels,
           {region_sum_sql("r.code", Kind.LAND)} as region_sum,
           {households_in_village_sql("r.code", households_per_village)} as holders,
           coalesce(h.last_serial, 0) as holder_serial_base,
           {region_sum_sql("r.code", Kind.SUBJECT)} as holder_region_sum
    from op.region r join op.region_geography g on g.region_code = r.code
    left join op.identity_serial h on h.kind = 'P' and h.region_code = r.code
    where r.level = 4
)
-- The grid's south-west corner, so that the grid is centred on the village's centre.
select *, ceil(sqrt(parcels))::int as columns,
    lon - ceil(sqrt(parcels)) * {CELL} / 2 / {per_degree_lon} as corner_lon,
    lat - ceil(parcels / ceil(sqrt(parcels))) * {CELL} / 2 / {METRES_PER_DEGREE_LAT} as corner_lat
from base;
alter table village add column rows int;
update village set rows = ceil(parcels / columns)::int;
alter table village add column farmland_rows int;
update village
    set farmland_rows = greatest(1, round(rows * (0.45 + 0.3 * u(code, 'farmland'))))::int;
alter table village add column redline boolean;
update village set redline = u(code, 'redline') < 0.1;
"""


# What each village is issued: its parcels, a basic-farmland zone and perhaps a red line.
CODES_WANTED_SQL = "select code, parcels + 1 + redline::int from village order by code"


def holder_sql() -> str:
    """Each village's demo households, numbered from 0 in the order they are issued their
    codes: worked out as the households' own generation does, so that the land needs not
    wait for it."""
    code = code_sql("v.code", "v.holder_serial_base + n + 1", region_sum="v.holder_region_sum")
    return f"""
create table holder as
    select v.code as village_code, n, {code} as code
    from village v, range(0, v.holders) r(n)
"""


def degrees(x: str, y: str) -> str:
    """The point at local metres from the village grid's corner, to a nanodegree (0.1 mm)."""
    per_degree = f"({METRES_PER_DEGREE_LON_AT_EQUATOR} * cos(radians(v.corner_lat)))"
    lon = f"round(v.corner_lon + ({x}) / {per_degree}, 9)"
    lat = f"round(v.corner_lat + ({y}) / {METRES_PER_DEGREE_LAT}, 9)"
    return f"st_point({lon}, {lat})"


def projected_area_sql(geometry: str) -> str:
    """The area in m², to the cent, that the land import measures: in the Gauss–Krüger zone
    whose central meridian is nearest the feature's centre (:func:`land.geometry.areas_m2`)."""
    meridian = f"(round(st_x(st_centroid({geometry})) / 3) * 3)::int"
    zones = " ".join(f"when {m} then 'EPSG:{epsg}'" for m, epsg in ZONES_BY_MERIDIAN.items())
    zone = f"case {meridian} {zones} else 'EPSG:{ZONES_BY_MERIDIAN[108]}' end"
    projected = f"st_transform({geometry}, 'EPSG:4490', {zone}, always_xy := true)"
    return f"round(st_area({projected}), 2)::decimal(14, 2)"


def quadrilateral(a: str, b: str, c: str, d: str) -> str:
    """The polygon with the four corner points given, in GEOS's normal form."""
    return f"st_normalize(st_makepolygon(st_makeline([{a}, {b}, {c}, {d}, {a}])))"


PARCEL_SQL = """
with numbered as (
    select row_number() over (order by v.code, n) as id, v.code as village_code, n,
           v.serial_base + n as serial, v.region_sum, (n - 1) % v.columns as gx,
           (n - 1) // v.columns as gy, v.farmland_rows, v.holders
    from village v, range(1, v.parcels + 1) r(n)
), drawn as (
    select *, id as k, gx * {cell} + 6 + 10 * u(id, 'x0') as x0, gy * {cell} + 6 + 10 * u(id, 'y0')
               as y0, 30 + 42 * u(id, 'w') as w, 30 + 42 * u(id, 'h') as h,
           u(id, 'kind') as kind_draw, u(id, 'slope') as slope_draw, u(id, 'use') as use_draw
    from numbered
), corners as (
    -- A quadrilateral with each corner moved up to 6 m: the shape of a terraced plot.
    select *, x0 + 12 * u(k, 'a') - 6 as ax, y0 + 12 * u(k, 'b') - 6 as ay,
           x0 + w + 12 * u(k, 'c') - 6 as bx, y0 + 12 * u(k, 'd') - 6 as by,
           x0 + w + 12 * u(k, 'e') - 6 as cx, y0 + h + 12 * u(k, 'f') - 6 as cy,
           x0 + 12 * u(k, 'g') - 6 as dx, y0 + h + 12 * u(k, 'i') - 6 as dy,
           case when kind_draw < 0.85 then 'cultivated' when kind_draw < 0.97 then 'homestead'
                else 'construction' end as kind,
           case when slope_draw < 0.08 then 1 when slope_draw < 0.30 then 2
                when slope_draw < 0.65 then 3 when slope_draw < 0.90 then 4 else 5 end as slope
    from drawn
), attributed as (
    select c.*,
        case when kind = 'homestead' then '0702'
             when kind = 'construction'
                 then ['0601', '05H1', '1202'][1 + (hash(k, 'class') % 3)::int]
             when u(k, 'class') < 0.45 then '0101' when u(k, 'class') < 0.47 then '0102'
             else '0103' end as land_class_code,
        kind = 'cultivated' and ((gy < farmland_rows and slope <= 4) <> (u(k, 'pbf noise') < 0.02))
            as permanent_farmland,
        case when kind <> 'cultivated' then null
             when use_draw < case when slope = 5 then 0.25 else 0.05 end then 'abandoned'
             when use_draw < 0.58 then 'grain' when use_draw < 0.70 then 'oil'
             when use_draw < 0.76 then 'rotation' when use_draw < 0.84 then 'cash_crop'
             when use_draw < 0.90 then 'perennial' when use_draw < 0.92 then 'facility'
             when use_draw < 0.93 then 'intercrop' when use_draw < 0.95 then 'fallow'
             else 'grain' end as current_use
    from corners c
)
select a.id, {code} as code, a.village_code, a.kind, a.land_class_code,
    case a.land_class_code when '0101' then '水田' when '0102' then '水浇地'
         when '0103' then '旱地' when '0702' then '农村宅基地' when '0601' then '工业用地'
         when '05H1' then '商业服务业设施用地' else '设施农用地' end as land_class,
    case when a.kind = 'cultivated' then a.slope end as slope_grade,
    case when a.kind <> 'cultivated' then null when a.land_class_code = '0101' then 'TT'
         else 'PD' end as terrace,
    a.permanent_farmland,
    -- High-standard farmland comes only from accepted projects (the farmland demo).
    false as high_standard,
    null::varchar as high_standard_project,
    -- A few grain plots were abandoned in 2022 and farmed again this year.
    case when a.current_use = 'grain' and u(a.k, 'recultivated') < 0.04 then 'grain'
         else a.current_use end as current_use,
    {year} as use_year,
    case when a.current_use = 'abandoned' then 2022 + (hash(a.k, 'since') % 3)::int
         when a.current_use = 'grain' and u(a.k, 'recultivated') < 0.04 then 2022 end
         as abandoned_year,
    case when a.current_use = 'grain' and u(a.k, 'recultivated') < 0.04 then {year} end
         as recultivated_year,
    case when a.kind <> 'construction' then h.code end as holder_code,
    -- Contracted plots (cultivated land with a household) carry a 19-digit plot code:
    -- village 12, group 2, plot 5.
    case when a.kind = 'cultivated' and h.code is not null
         then a.village_code || lpad((1 + a.gy % 9)::varchar, 2, '0')
              || lpad((a.id % 100000)::varchar, 5, '0') end as contract_plot_code,
    a.village_code || '0000000' as owner_code,
    {geom} as geom,
    a.gy
from attributed a
join village v on v.code = a.village_code
left join district d on d.code = substr(a.village_code, 1, 6) || '000000'
left join holder h on h.village_code = a.village_code
    and h.n = (hash(a.k, 'holder', getvariable('seed')) % greatest(a.holders, 1))::int
order by a.id
"""

ZONE_SQL = """
with zones as (
    select v.code as village_code, 'permanent_farmland' as kind, v.code || '-JBNT' as number,
           0.0 as y0, v.farmland_rows * {cell} as y1
    from village v
    union all
    select v.code, 'ecological_redline', v.code || '-HX', greatest(0, v.rows - 2) * {cell},
           v.rows * {cell}
    from village v where v.redline
), numbered as (
    -- Each village's zones take the serials after its parcels', in the order of their ids.
    select z.*, v.serial_base + v.parcels
               + row_number() over (partition by z.village_code order by z.kind) as serial
    from zones z join village v on v.code = z.village_code
)
select row_number() over (order by village_code, kind) as id, z.village_code, z.kind, z.number,
    {code} as code,
    case z.kind when 'permanent_farmland' then '永久基本农田保护片'
         else '生态保护红线' end as name,
    {geom} as geom
from numbered z join village v on v.code = z.village_code
order by id
"""


def generation_sql() -> tuple[str, str]:
    parcel_code = code_sql("a.village_code", "a.serial", Kind.LAND, region_sum="a.region_sum")
    zone_code = code_sql("z.village_code", "z.serial", Kind.LAND, region_sum="v.region_sum")
    parcel = PARCEL_SQL.format(
        cell=CELL,
        year=YEAR,
        code=parcel_code,
        geom=quadrilateral(
            degrees("a.ax", "a.ay"),
            degrees("a.bx", "a.by"),
            degrees("a.cx", "a.cy"),
            degrees("a.dx", "a.dy"),
        ),
    )
    zone = ZONE_SQL.format(
        cell=CELL,
        code=zone_code,
        geom=quadrilateral(
            degrees("-2", "z.y0 - 2"),
            degrees(f"v.columns * {CELL} + 2", "z.y0 - 2"),
            degrees(f"v.columns * {CELL} + 2", "z.y1 + 2"),
            degrees("-2", "z.y1 + 2"),
        ),
    )
    return parcel, zone


PARCEL_COLUMNS = (
    "id, code, source_key, contract_plot_code, village_code, kind, land_class_code, land_class, "
    "area_m2, slope_grade, terrace, permanent_farmland, high_standard, high_standard_project, "
    "current_use, use_year, abandoned_year, recultivated_year, holder_code, owner_code, geom, "
    "min_x, min_y, max_x, max_y, updated_at"
)

WITH_BOX_SQL = f"""create or replace table {{table}} as
select *, {projected_area_sql("geom")} as area_m2, st_xmin(geom) as min_x, st_ymin(geom) as min_y,
    st_xmax(geom) as max_x, st_ymax(geom) as max_y
from {{table}}"""


def write_sql(target: str, geometry: str) -> list[str]:
    """Statements that copy the working tables into the database attached as ``target``."""
    return [
        f"""insert into {target}.land_parcel ({PARCEL_COLUMNS})
        select id, code,
            case when contract_plot_code is null then 'QNM:' || code
                 else 'DKBM:' || contract_plot_code end,
            contract_plot_code, village_code, kind, land_class_code, land_class, area_m2,
            slope_grade, terrace, permanent_farmland, high_standard, high_standard_project,
            current_use, use_year, abandoned_year, recultivated_year, holder_code, owner_code,
            {geometry}, min_x, min_y, max_x, max_y, getvariable('registered')
        from parcel""",
        f"""insert into {target}.land_zone (id, code, source_key, kind, name, region_code,
            area_m2, geom, min_x, min_y, max_x, max_y, updated_at)
        select id, code, kind || ':' || village_code || ':' || number, kind, name, village_code,
            area_m2, {geometry}, min_x, min_y, max_x, max_y, getvariable('registered') from zone""",
        f"""insert into {target}.land_village_summary ({jobs.SUMMARY_COLUMNS}, computed_at)
        select *, getvariable('registered') from ({jobs.village_summary_sql(loader.get())})""",
    ]


COPIED_TABLES = ("land_parcel", "land_zone", "land_village_summary")
BACKGROUND_NICENESS = 15


@contextmanager
def generated_in_background(engine: Engine, *, scale: Scale, seed: int) -> Iterator["LandBuild"]:
    """Start making the demo land ready while the caller goes on with other work."""
    build = LandBuild(engine, scale=scale, seed=seed)
    try:
        yield build
    finally:
        build.close()


class LandBuild:
    """Demo parcels and zones, made ready on a thread of their own and then loaded.

    They are generated in DuckDB. On SQLite they are also written, before loading, into a
    scratch database file beside the operational one, where the R-tree of the parcels is
    packed too: SQLite takes one writer at a time, and writing two million parcels and
    packing their R-tree costs about half a minute of a core, which this way runs beside
    the households' load. Loading then copies the finished tables and index pages in a
    few seconds.

    The villages' figures are read when the build starts, before the households are issued:
    the holders of the parcels are the households the demo is about to give each village.
    """

    def __init__(self, engine: Engine, *, scale: Scale, seed: int) -> None:
        self.scratch = scratch_path(engine) if engine.dialect.name == "sqlite" else None
        schema = land_schema(engine) if self.scratch else []
        engine.dispose()
        self.pool = ThreadPoolExecutor(max_workers=1)
        try:
            self.con = self.pool.submit(self.start, engine, scale, seed).result()
        except BaseException:
            self.pool.shutdown()
            raise
        self.ready = self.pool.submit(self.prepare, schema)

    def start(self, engine: Engine, scale: Scale, seed: int) -> duckdb.DuckDBPyConnection:
        """DuckDB on this thread, at a lower priority, with the villages' figures read."""
        yield_to_others()
        con = connect(engine)
        try:
            con.load_extension(str(analytics.extension_path("spatial")))
            con.execute(f"set variable seed = {int(seed)}")
            con.execute(f"set variable registered = timestamp '{REGISTERED_AT}'")
            con.execute(setup_sql(scale.parcels_per_village, scale.households_per_village))
            # Nothing of this process keeps the operational file open while others write it.
            con.execute("detach op")
            reserve_serials(engine, con)
        except BaseException:
            con.close()
            raise
        return con

    def prepare(self, schema: list[str]) -> None:
        parcel_sql, zone_sql = generation_sql()
        self.con.execute(holder_sql())
        self.con.execute(f"create table parcel as {parcel_sql}")
        self.con.execute(f"create table zone as {zone_sql}")
        for table in ("parcel", "zone"):
            self.con.execute(WITH_BOX_SQL.format(table=table))
        if self.scratch:
            self.write_scratch(self.scratch, schema)

    def write_scratch(self, path: Path, schema: list[str]) -> None:
        """The land tables, filled, and the parcels' R-tree in a database file of their own."""
        remove_database_file(path)
        with closing(sqlite3.connect(path)) as scratch:
            scratch.executescript(";\n".join(schema))
        quoted = str(path).replace("'", "''")
        self.con.execute(f"attach '{quoted}' as scratch (type sqlite, journal_mode 'off')")
        self.copy_into("scratch", "st_aswkb(geom)")
        boxes = self.con.execute(
            f"select id, {', '.join(spatial.BOX_COLUMNS)} from parcel order by id"
        ).fetchnumpy()
        with closing(sqlite3.connect(path, isolation_level=None)) as scratch:
            scratch.execute("pragma journal_mode = off")
            scratch.execute("pragma synchronous = off")
            scratch.execute("begin")
            scratch.execute(spatial.rtree_ddl("land_parcel"))
            rtree.pack(
                scratch,
                "land_parcel_rtree",
                boxes["id"],
                np.column_stack([boxes[name] for name in spatial.BOX_COLUMNS]),
            )
            scratch.execute("commit")

    def load(self, engine: Engine, progress: Progress | None = None) -> LandCounts:
        """Wait until the land is ready and add it, with its 全农码, to every village."""
        report = progress or (lambda _step, _done, _total: None)
        self.ready.result()
        report(STEP, 1, 3)
        if self.scratch:
            copy_scratch(engine, self.scratch)
        else:
            self.write_operational(engine)
        report(STEP, 2, 3)
        counts = LandCounts(count(self.con, "parcel"), count(self.con, "zone"))
        finish(engine, counts)
        report(STEP, 3, 3)
        return counts

    def write_operational(self, engine: Engine) -> None:
        with spatial.rebuilt_after(engine):
            attach_operational(self.con, engine)
            self.copy_into("op", "geom")

    def copy_into(self, target: str, geometry: str) -> None:
        """Copy the working tables into the database attached as ``target``, in one
        transaction, and detach it."""
        try:
            self.con.execute("begin")
            for statement in write_sql(target, geometry):
                self.con.execute(statement)
            self.con.execute("commit")
        finally:
            self.con.execute(f"detach {target}")

    def close(self) -> None:
        if not self.ready.done():
            self.con.interrupt()
        self.pool.shutdown(wait=True)
        self.con.close()
        if self.scratch:
            remove_database_file(self.scratch)


def reserve_serials(engine: Engine, con: duckdb.DuckDBPyConnection) -> None:
    """Reserve each village's land serials through the identity service; the village's
    codes start after those reserved before."""
    wanted = dict(con.execute(CODES_WANTED_SQL).fetchall())
    with transaction(make_sessionmaker(engine)) as session:
        reserved = identity.reserve_serials(session, kind=Kind.LAND, counts=wanted)
    engine.dispose()
    starts = pa.table(
        {
            "code": pa.array(list(reserved), pa.string()),
            "first": pa.array([serials.start for serials in reserved.values()], pa.int64()),
        }
    )
    con.register("reserved_rows", starts)
    con.execute(
        "update village set serial_base = r.first - 1"
        " from reserved_rows r where r.code = village.code"
    )
    con.unregister("reserved_rows")


def yield_to_others() -> None:
    """Lower the CPU priority of the calling thread and of the threads it goes on to start
    (DuckDB's workers among them).

    The households' single writer is what the build waits for; the land, made ready beside
    it, then takes only what the writer leaves of the two cores. Linux sets the priority of
    one thread; elsewhere the call would lower the whole process, so it is left out there.
    """
    if sys.platform == "linux":
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICENESS)


def scratch_path(engine: Engine) -> Path:
    path = Path(engine.url.database or "")
    return path.with_name(path.name + ".land")


def remove_database_file(path: Path) -> None:
    for name in (path, path.with_name(path.name + "-journal")):
        name.unlink(missing_ok=True)


def land_schema(engine: Engine) -> list[str]:
    """The CREATE statements of the copied tables and their indexes, as the operational
    database has them: copying keeps rows as they are only between identical tables."""
    listed = ", ".join(f"'{name}'" for name in COPIED_TABLES)
    with engine.connect() as connection:
        # The R-tree's node size follows the page size.
        page_size = connection.exec_driver_sql("pragma page_size").scalar_one()
        return [
            f"pragma page_size = {int(page_size)}",
            *connection.exec_driver_sql(
                "select sql from sqlite_master where type in ('table', 'index')"
                f" and sql is not null and tbl_name in ({listed}) order by type desc, name"
            ).scalars(),
        ]


def copy_scratch(engine: Engine, path: Path) -> None:
    """Copy the land tables and the parcels' R-tree from the scratch file into the empty
    operational tables.

    SQLite copies whole records, index entries included, from one table into an identical
    empty one when nothing may object row by row: no triggers on the target (the spatial
    index's are dropped first) and no foreign-key checks (the rows came from these regions).
    """
    with engine.connect() as connection, foreign_keys_off(connection):
        driver = connection.connection.driver_connection
        assert driver is not None
        driver.execute("attach ? as scratch", (str(path),))
        try:
            with connection.begin():
                for name in spatial.INDEXED_TABLES:
                    for statement in spatial.drop_index_ddl(name, "sqlite"):
                        connection.exec_driver_sql(statement)
                for table in COPIED_TABLES:
                    connection.exec_driver_sql(f"insert into {table} select * from scratch.{table}")
                for statement in spatial.adopt_index_ddl("land_parcel", "scratch"):
                    connection.exec_driver_sql(statement)
                spatial.create_index(connection, "land_zone")
        finally:
            driver.execute("detach scratch")


def count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"select count(*) from {table}").fetchone()
    return int(row[0]) if row else 0


def finish(engine: Engine, counts: LandCounts) -> None:
    """The parcels' and zones' 全农码 in the registry, PostgreSQL's id sequences and the
    audit entry."""
    with transaction(make_sessionmaker(engine)) as session:
        identity.register_selected(
            session,
            scope=SYSTEM,
            kind=Kind.LAND,
            entity_type="land_parcel",
            rows="SELECT code, id AS entity_id, contract_plot_code AS national_code"
            " FROM land_parcel",
            with_national_code=True,
            issued_at=REGISTERED,
        )
        identity.register_selected(
            session,
            scope=SYSTEM,
            kind=Kind.LAND,
            entity_type="land_zone",
            rows="SELECT code, id AS entity_id FROM land_zone",
            issued_at=REGISTERED,
        )
        if engine.dialect.name == "postgresql":
            for table in ("land_parcel", "land_zone"):
                session.execute(
                    text(
                        f"select setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(select coalesce(max(id), 1) from {table}))"
                    )
                )
        audit.record(
            session,
            scope=SYSTEM,
            action="demo.land",
            target_type="demo",
            target_id="land",
            region_code=None,
            detail=f"演示地块 {counts.parcels} 块、保护区域 {counts.zones} 个",
        )
