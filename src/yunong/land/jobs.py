"""Land analysis as DuckDB jobs over the operational database, per region and level.

* :func:`statistics` — area by kind, land class and slope; permanent basic
  farmland and the share of it that is high-standard; abandoned land by slope
  and re-cultivation progress; one row per region of the level asked for.
* :func:`recultivation_list` — abandoned cultivated parcels up to the pack's
  slope grade (below 25°), each with its holder: all of them are to be farmed again.
* :func:`non_grain_list` — non-grain use inside permanent basic farmland or
  high-standard farmland, each with the end of its transition period.
* :func:`against_target` — cultivated land against the city's target in the pack.
* :func:`overlay` — parcels against the protection zones (geometry intersection).

Every job reads only the rows inside the caller's scope.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb
from sqlalchemy import Engine, text

from yunong.core.regions import codes as region_codes
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.land.codes import UnitKind, Use, ZoneKind
from yunong.land.geometry import SQUARE_METRES_PER_MU
from yunong.policy.schema import Pack
from yunong.store import analytics

MU = float(SQUARE_METRES_PER_MU)

PARCELS_SQL = """
create or replace temp table parcel as
select id, code, village_code, kind, land_class_code, land_class, area_m2::double as area_m2,
       slope_grade, permanent_farmland::boolean as permanent_farmland,
       high_standard::boolean as high_standard, high_standard_project, current_use, use_year,
       abandoned_year, recultivated_year, holder_code, min_x, min_y, max_x, max_y{geometry}
from op.land_parcel where {where}
"""

REGION_SQL = "rpad(substr(village_code, 1, {length}), 12, '0')"

TOTALS_SQL = """
select {region} as region, count(*) as parcels,
    coalesce(sum(area_m2) filter (where kind = 'cultivated'), 0) as cultivated,
    coalesce(sum(area_m2) filter (where kind = 'homestead'), 0) as homestead,
    coalesce(sum(area_m2) filter (where kind = 'construction'), 0) as construction,
    coalesce(sum(area_m2) filter (where kind = 'cultivated' and permanent_farmland), 0)
        as permanent_farmland,
    coalesce(sum(area_m2) filter (
        where kind = 'cultivated' and permanent_farmland and high_standard), 0)
        as permanent_high_standard,
    coalesce(sum(area_m2) filter (where kind = 'cultivated' and high_standard), 0)
        as high_standard,
    coalesce(sum(area_m2) filter (where kind = 'cultivated' and current_use = 'abandoned'), 0)
        as abandoned,
    coalesce(sum(area_m2) filter (where kind = 'cultivated' and current_use = 'abandoned'
        and slope_grade <= {max_grade}), 0) as to_recultivate,
    coalesce(sum(area_m2) filter (where kind = 'cultivated' and recultivated_year is not null
        and current_use <> 'abandoned' and slope_grade <= {max_grade}), 0) as recultivated,
    avg((min_x + max_x) / 2) as lon, avg((min_y + max_y) / 2) as lat,
    min(min_x) as min_x, min(min_y) as min_y, max(max_x) as max_x, max(max_y) as max_y
from parcel group by 1 order by 1
"""

SUMMARY_COLUMNS = (
    "village_code, parcels, cultivated, homestead, construction, permanent_farmland, "
    "permanent_high_standard, high_standard, abandoned, to_recultivate, recultivated, "
    "lon, lat, min_x, min_y, max_x, max_y"
)
"""The columns of ``land_village_summary`` that :func:`village_summary_sql` yields, in order."""

BREAKDOWN_SQL = """
select {region} as region, {key} as key, sum(area_m2) as area from parcel
where {where} group by 1, 2 order by 1, 2
"""


def village_summary_sql(pack: Pack) -> str:
    """The village rows of ``land_village_summary`` (:data:`SUMMARY_COLUMNS`, areas in m²),
    from a ``parcel`` table with the bounding-box columns."""
    return TOTALS_SQL.format(
        region="village_code", max_grade=pack.land.recultivation.max_slope_grade
    )


def village_summaries(engine: Engine, *, pack: Pack, villages: list[str]) -> list[tuple[Any, ...]]:
    """The summary rows of ``villages`` (those with parcels), from the stored parcels."""
    url = engine.url.render_as_string(hide_password=False)
    return analytics.apart(url, village_summaries_at, pack, villages)


def village_summaries_at(db_url: str, pack: Pack, villages: list[str]) -> list[tuple[Any, ...]]:
    con = analytics.connect(db_url)
    try:
        con.execute(
            PARCELS_SQL.format(
                geometry="", where="village_code in (select unnest($villages::varchar[]))"
            ),
            {"villages": villages},
        )
        return con.execute(village_summary_sql(pack)).fetchall()
    finally:
        con.close()


@dataclass
class RegionStats:
    """Areas of one region in 亩."""

    region_code: str
    name: str = ""
    parcels: int = 0
    by_kind: dict[str, float] = field(default_factory=dict)
    by_class: dict[str, float] = field(default_factory=dict)
    by_slope: dict[str, float] = field(default_factory=dict)
    permanent_farmland: float = 0.0
    permanent_high_standard: float = 0.0
    high_standard: float = 0.0
    abandoned: float = 0.0
    abandoned_by_slope: dict[str, float] = field(default_factory=dict)
    to_recultivate: float = 0.0
    recultivated: float = 0.0

    @property
    def high_standard_share(self) -> float | None:
        """Share of permanent basic farmland that is high-standard farmland."""
        if not self.permanent_farmland:
            return None
        return self.permanent_high_standard / self.permanent_farmland

    @property
    def recultivation_progress(self) -> float | None:
        """Re-cultivated over re-cultivated plus still abandoned (below 25°)."""
        total = self.recultivated + self.to_recultivate
        return self.recultivated / total if total else None


def connect(engine: Engine) -> duckdb.DuckDBPyConnection:
    return analytics.connect(engine.url.render_as_string(hide_password=False))


def load_parcels(
    con: duckdb.DuckDBPyConnection, scope: Scope, under: str | None = None, geometry: bool = False
) -> None:
    """Copy the parcels in scope (and under ``under``) into a working table, with their
    geometry if asked."""
    inside = (scope.narrowed_to(under) if under else scope).sql("village_code")
    shape = f", {geometry_sql(con, 'land_parcel')} as geom" if geometry else ""
    con.execute(PARCELS_SQL.format(where=inside.text, geometry=shape), inside.parameters)


def mu(value: Any) -> float:
    return round(float(value or 0) / MU, 2)


def statistics(
    engine: Engine, *, scope: Scope, pack: Pack, level: Level, under: str | None = None
) -> list[RegionStats]:
    """One row per region of ``level`` inside the scope (and ``under``), in 亩."""
    return statistics_by_level(engine, scope=scope, pack=pack, levels=[level], under=under)[level]


def statistics_by_level(
    engine: Engine, *, scope: Scope, pack: Pack, levels: list[Level], under: str | None = None
) -> dict[Level, list[RegionStats]]:
    """:func:`statistics` for several levels at once, reading the parcels once."""
    url = engine.url.render_as_string(hide_password=False)
    return analytics.apart(url, statistics_at, scope, pack, levels, under)


def statistics_at(
    db_url: str, scope: Scope, pack: Pack, levels: list[Level], under: str | None
) -> dict[Level, list[RegionStats]]:
    con = analytics.connect(db_url)
    try:
        load_parcels(con, scope, under)
        found = {level: level_statistics(con, pack, level) for level in levels}
        codes = [code for stats in found.values() for code in stats]
        names = dict(
            con.execute(
                "select code, name from op.region where code in (select unnest(?::varchar[]))",
                [codes],
            ).fetchall()
        )
    finally:
        con.close()
    for stats in found.values():
        for code, region in stats.items():
            region.name = names.get(code, "")
    return {level: list(stats.values()) for level, stats in found.items()}


def level_statistics(
    con: duckdb.DuckDBPyConnection, pack: Pack, level: Level
) -> dict[str, RegionStats]:
    grouping = REGION_SQL.format(length=region_codes.PREFIX_LENGTHS[level])
    max_grade = pack.land.recultivation.max_slope_grade
    found: dict[str, RegionStats] = {}
    for row in con.execute(TOTALS_SQL.format(region=grouping, max_grade=max_grade)).fetchall():
        stats = RegionStats(row[0], parcels=row[1])
        stats.by_kind = {
            kind.value: mu(value) for kind, value in zip(UnitKind, row[2:5], strict=True)
        }
        (
            stats.permanent_farmland,
            stats.permanent_high_standard,
            stats.high_standard,
            stats.abandoned,
            stats.to_recultivate,
            stats.recultivated,
        ) = (mu(value) for value in row[5:11])
        found[row[0]] = stats
    breakdowns = {
        "by_class": ("land_class", "true"),
        "by_slope": ("coalesce(slope_grade::varchar, '')", "kind = 'cultivated'"),
        "abandoned_by_slope": (
            "coalesce(slope_grade::varchar, '')",
            "kind = 'cultivated' and current_use = 'abandoned'",
        ),
    }
    for attribute, (key, where) in breakdowns.items():
        sql = BREAKDOWN_SQL.format(region=grouping, key=key, where=where)
        for code, value, area in con.execute(sql).fetchall():
            getattr(found[code], attribute)[value] = mu(area)
    return found


@dataclass(frozen=True)
class ParcelItem:
    """A parcel on a work list, with its holder."""

    code: str
    village_code: str
    village: str
    land_class: str
    area_mu: float
    slope_grade: int | None
    use: str | None
    holder_code: str | None
    holder_name: str | None
    use_year: int | None = None
    deadline: date | None = None
    permanent_farmland: bool = False
    high_standard: bool = False
    high_standard_project: str | None = None
    """The 全农码 of the high-standard farmland project whose acceptance flagged the parcel."""
    project_number: str | None = None
    """That project's 项目编号 and 项目名称, for the lists that name it."""
    project_name: str | None = None


LIST_SQL = """
select p.code, p.village_code, coalesce(r.name, ''), p.land_class, p.area_m2, p.slope_grade,
       p.current_use, p.holder_code, p.use_year, p.permanent_farmland, p.high_standard,
       p.high_standard_project
from parcel p
left join op.region r on r.code = p.village_code
where {where}
order by p.village_code, p.code
"""

# The head of each holding household, looked up by code in the operational database: the
# lists name a few holders out of millions, which indexed lookups find far faster than a
# scan of every person.
HOLDER_NAMES_SQL = """
select h.code, p.name from monitor_household h
join monitor_person p on p.household_id = h.id and p.relation = '户主'
where h.code in ({codes})
"""


# The high-standard farmland project a parcel's flag came from, by the project's 全农码,
# which its acceptance wrote on the parcel (yunong.land.high_standard.mark).
PROJECT_NAMES_SQL = """
select code, number, name from farmland_project where code in ({codes})
"""


def rows_by_code(engine: Engine, sql: str, codes: set[str]) -> list[Any]:
    """The rows of ``sql`` for ``codes``, looked up in chunks of bound values."""
    found: list[Any] = []
    wanted = sorted(codes)
    with engine.connect() as connection:
        for start in range(0, len(wanted), 5000):
            chunk = wanted[start : start + 5000]
            marks = ", ".join(f":c{index}" for index in range(len(chunk)))
            rows = connection.execute(
                text(sql.format(codes=marks)),
                {f"c{index}": code for index, code in enumerate(chunk)},
            )
            found += list(rows)
    return found


def holder_names(engine: Engine, codes: set[str]) -> dict[str, str]:
    return {code: name for code, name in rows_by_code(engine, HOLDER_NAMES_SQL, codes)}


def project_names(engine: Engine, codes: set[str]) -> dict[str, tuple[str, str]]:
    """项目编号 and 项目名称 of the high-standard farmland projects, by 全农码."""
    rows = rows_by_code(engine, PROJECT_NAMES_SQL, codes)
    return {code: (number, name) for code, number, name in rows}


def parcel_items(con: duckdb.DuckDBPyConnection, engine: Engine, where: str) -> list[ParcelItem]:
    rows = con.execute(LIST_SQL.format(where=where)).fetchall()
    names = holder_names(engine, {row[7] for row in rows if row[7]})
    projects = project_names(engine, {row[11] for row in rows if row[11]})
    return [
        ParcelItem(
            code=row[0],
            village_code=row[1],
            village=row[2],
            land_class=row[3],
            area_mu=mu(row[4]),
            slope_grade=row[5],
            use=row[6],
            holder_code=row[7],
            holder_name=names.get(row[7]),
            use_year=row[8],
            permanent_farmland=bool(row[9]),
            high_standard=bool(row[10]),
            high_standard_project=row[11],
            project_number=projects.get(row[11], (None, None))[0],
            project_name=projects.get(row[11], (None, None))[1],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class Recultivation:
    items: list[ParcelItem]
    """Abandoned cultivated parcels up to the pack's slope grade, still to be farmed again."""
    recultivated: list[ParcelItem]
    """Parcels of the same kind already farmed again."""
    steep: int
    """Abandoned parcels steeper than the rule (over 25°), not on the list."""

    @property
    def progress(self) -> float | None:
        done = sum(item.area_mu for item in self.recultivated)
        total = done + sum(item.area_mu for item in self.items)
        return done / total if total else None


def recultivation_list(
    engine: Engine, *, scope: Scope, pack: Pack, under: str | None = None
) -> Recultivation:
    grade = pack.land.recultivation.max_slope_grade
    con = connect(engine)
    try:
        load_parcels(con, scope, under)
        abandoned = f"p.kind = 'cultivated' and p.current_use = '{Use.ABANDONED.value}'"
        items = parcel_items(con, engine, f"{abandoned} and p.slope_grade <= {grade}")
        done = parcel_items(
            con,
            engine,
            f"p.kind = 'cultivated' and p.recultivated_year is not null "
            f"and p.current_use <> '{Use.ABANDONED.value}' and p.slope_grade <= {grade}",
        )
        steep = con.execute(
            f"select count(*) from parcel p where {abandoned} "
            f"and (p.slope_grade > {grade} or p.slope_grade is null)"
        ).fetchone()
    finally:
        con.close()
    return Recultivation(items, done, int(steep[0]) if steep else 0)


def quoted(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"'{value}'" for value in values) or "''"


def non_grain_list(
    engine: Engine, *, scope: Scope, pack: Pack, under: str | None = None
) -> list[ParcelItem]:
    """Parcels of protected farmland in a use the pack does not allow there, with the end of
    each one's transition period (31 December of the data year plus the years for its use)."""
    rules = pack.land.non_grain
    outside_uses = [Use.ABANDONED.value]
    where = (
        f"p.kind = 'cultivated' and p.current_use is not null "
        f"and p.current_use not in ({quoted(outside_uses)}) and ("
        f"(p.permanent_farmland and p.current_use not in ({quoted(rules.permanent_farmland_uses)}))"
        f" or (p.high_standard and p.current_use not in ({quoted(rules.high_standard_uses)})))"
    )
    con = connect(engine)
    try:
        load_parcels(con, scope, under)
        items = parcel_items(con, engine, where)
    finally:
        con.close()
    dated = [with_deadline(item, rules.transition_years) for item in items]
    return sorted(dated, key=lambda item: (item.deadline or date.max, item.code))


def with_deadline(item: ParcelItem, transition_years: dict[str, int]) -> ParcelItem:
    years = transition_years.get(item.use or "")
    if years is None or item.use_year is None:
        return item
    return ParcelItem(**{**item.__dict__, "deadline": date(item.use_year + years, 12, 31)})


@dataclass(frozen=True)
class TargetCheck:
    year: int
    target_mu: float
    cultivated_mu: float
    clause: str

    @property
    def met(self) -> bool:
        return self.cultivated_mu >= self.target_mu

    @property
    def share(self) -> float:
        return self.cultivated_mu / self.target_mu


def against_target(engine: Engine, *, scope: Scope, pack: Pack, year: int) -> TargetCheck:
    """Cultivated land in the scope against the city's 耕地保有量 target for ``year``."""
    target = pack.land.cultivated_land_target
    con = connect(engine)
    try:
        load_parcels(con, scope)
        row = con.execute("select sum(area_m2) from parcel where kind = 'cultivated'").fetchone()
    finally:
        con.close()
    return TargetCheck(year, target.for_year(year), mu(row[0] if row else 0), target.clause)


OVERLAY_SQL = """
create or replace temp table overlap as
with z as (
    select id, kind, {zone_geometry} as geom from op.land_zone
)
-- The overlap's share of the parcel is measured in degrees, where it is the same as on a
-- projection to well under 0.1 % for parcels of a few mu, and scaled by the parcel's area.
-- Most parcels lie wholly inside their zone, which is cheaper to test than to cut.
select p.id as parcel_id, p.kind as parcel_kind, p.permanent_farmland, p.area_m2,
       z.kind as zone_kind,
       case when st_within(p.geom, z.geom) then p.area_m2
            else least(p.area_m2,
                       p.area_m2 * st_area(st_intersection(p.geom, z.geom)) / st_area(p.geom))
       end as overlap_m2
from parcel p join z on st_intersects(p.geom, z.geom)
"""


@dataclass
class OverlayReport:
    pairs: int
    """Parcel and zone pairs that intersect."""
    area_by_zone: dict[str, dict[str, float]]
    """亩 of each parcel kind inside each zone kind."""
    flagged_outside_zone: int
    """Parcels flagged permanent basic farmland that lie less than half inside such a zone."""
    inside_zone_not_flagged: int
    """Cultivated parcels at least half inside a permanent basic farmland zone, not flagged."""
    built_in_redline: int
    """Homesteads and construction land touching an ecological red line."""


def geometry_sql(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """PostGIS columns arrive as GEOMETRY; SQLite's WKB blobs are decoded."""
    row = con.execute(
        "select data_type from duckdb_columns() where database_name = 'op' "
        "and table_name = ? and column_name = 'geom'",
        [table],
    ).fetchone()
    return "geom" if row and row[0].upper().startswith("GEOMETRY") else "st_geomfromwkb(geom)"


def overlay(engine: Engine, *, scope: Scope, under: str | None = None) -> OverlayReport:
    """Intersect the parcels in scope with every protection zone."""
    con = connect(engine)
    try:
        load_parcels(con, scope, under, geometry=True)
        con.execute(OVERLAY_SQL.format(zone_geometry=geometry_sql(con, "land_zone")))
        return overlay_report(con)
    finally:
        con.close()


def overlay_report(con: duckdb.DuckDBPyConnection) -> OverlayReport:
    def count(sql: str) -> int:
        row = con.execute(sql).fetchone()
        return int(row[0]) if row else 0

    area_by_zone: dict[str, dict[str, float]] = {}
    for zone_kind, parcel_kind, area in con.execute(
        "select zone_kind, parcel_kind, sum(overlap_m2) from overlap group by 1, 2 order by 1, 2"
    ).fetchall():
        area_by_zone.setdefault(zone_kind, {})[parcel_kind] = mu(area)
    farmland = ZoneKind.PERMANENT_FARMLAND.value
    inside = f"""
        select parcel_id, max(area_m2) as area_m2, sum(overlap_m2) as overlap_m2 from overlap
        where zone_kind = '{farmland}' group by parcel_id"""
    return OverlayReport(
        pairs=count("select count(*) from overlap"),
        area_by_zone=area_by_zone,
        flagged_outside_zone=count(
            f"""select count(*) from parcel p left join ({inside}) i on i.parcel_id = p.id
            where p.kind = 'cultivated' and p.permanent_farmland
              and coalesce(i.overlap_m2, 0) < 0.5 * p.area_m2"""
        ),
        inside_zone_not_flagged=count(
            f"""select count(*) from parcel p join ({inside}) i on i.parcel_id = p.id
            where p.kind = 'cultivated' and not p.permanent_farmland
              and i.overlap_m2 >= 0.5 * p.area_m2"""
        ),
        built_in_redline=count(
            f"""select count(distinct parcel_id) from overlap
            where zone_kind = '{ZoneKind.ECOLOGICAL_REDLINE.value}'
              and parcel_kind in ('homestead', 'construction') and overlap_m2 > 0"""
        ),
    )
