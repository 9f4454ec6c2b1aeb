"""The chongqing-scale demo that the land and screening benchmarks share: built once per run,
in SQLite.

It holds about 2 million parcels (and 3.5 million households who hold them). A
land-survey-style GeoPackage of the same parcels is written from it for the
import benchmark.
"""

import os
from functools import cache
from pathlib import Path

import pyogrio
from sqlalchemy import Engine, insert, select

from bench.timing import scratch_dir, seconds
from yunong.core.regions.codes import Level
from yunong.core.regions.importers import load_districts
from yunong.core.regions.models import Region
from yunong.demo import scales
from yunong.demo.build import SEED, build
from yunong.demo.regions import towns_and_villages
from yunong.store import analytics
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.store.migrate import upgrade

SCALE = "chongqing"


@cache
def database() -> Path:
    """The built demo database file; ``BENCH_LAND_DB`` names one built before, to reuse."""
    if os.environ.get("BENCH_LAND_DB"):
        return Path(os.environ["BENCH_LAND_DB"])
    path = scratch_dir() / "land.db"
    engine = make_engine(f"sqlite:///{path}")
    took = seconds(lambda: build(engine, scale_name=SCALE))
    engine.dispose()
    print(f"chongqing demo built in {took:.0f} s")
    return path


def url() -> str:
    return f"sqlite:///{database()}"


# The demo parcels as a land-survey patch layer (地类图斑) with its field names.
DLTB_SQL = """
select id as BSM, land_class_code as DLBM, land_class as DLMC,
       case when kind = 'construction' then '30' else '30' end as QSXZ,
       owner_code as QSDWDM, village_code || '0000000' as ZLDWDM, id::varchar as TBBH,
       area_m2::double as TBMJ, terrace as GDLX, slope_grade::varchar as GDPDJB,
       case current_use when 'grain' then 'LS' when 'oil' then 'LS' when 'rotation' then 'LYFL'
            when 'fallow' then 'XG' when 'intercrop' then 'LLJZ' when 'abandoned' then 'WG'
            when null then null else 'FLS' end as ZZSXDM,
       use_year::varchar as SJNF,
       case when permanent_farmland then '是' else '否' end as YJJBNT,
       st_aswkb(st_geomfromwkb(geom)) as geometry
from op.land_parcel order by id
"""


@cache
def survey_layer() -> Path:
    """The demo parcels written as a GeoPackage land-survey layer."""
    path = scratch_dir() / "dltb.gpkg"
    con = analytics.connect(url())
    try:
        table = con.execute(DLTB_SQL).fetch_arrow_table()
    finally:
        con.close()
    took = seconds(
        lambda: pyogrio.write_arrow(
            table,
            path,
            layer="DLTB",
            driver="GPKG",
            geometry_name="geometry",
            geometry_type="Polygon",
            crs="EPSG:4490",
        )
    )
    print(f"{table.num_rows:,} parcels written to a GeoPackage in {took:.0f} s")
    return path


def regions_only(path: Path) -> Engine:
    """A fresh database with the demo's districts, towns and villages and nothing else."""
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with transaction(make_sessionmaker(engine)) as session:
        load_districts(session)
        districts = list(
            session.scalars(select(Region.code).where(Region.level == int(Level.DISTRICT)))
        )
        rows = list(towns_and_villages(districts, scales.get(SCALE), SEED))
        for start in range(0, len(rows), 5000):
            session.execute(insert(Region), rows[start : start + 5000])
    return engine
