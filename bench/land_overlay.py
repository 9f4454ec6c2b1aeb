"""The overlay of the 2 million demo parcels with the protection zones, as the DuckDB job
and, in the same run, with GeoPandas (sjoin, then overlay for the intersected areas).

Both start from the database: the DuckDB job reads the tables itself, GeoPandas gets
them through SQLAlchemy and shapely. The GeoPandas figures are printed with and without
that loading, and the ratio is given both ways.
"""

import geopandas
import numpy as np
import shapely
from sqlalchemy import Engine, text

from bench import land_demo
from bench.timing import seconds
from yunong.core.scope import Scope
from yunong.land import jobs
from yunong.store.db import make_engine


def frame(engine: Engine, sql: str) -> geopandas.GeoDataFrame:
    with engine.connect() as connection:
        rows = connection.execute(text(sql)).all()
    columns = list(zip(*rows, strict=True))
    shapes = shapely.from_wkb(np.asarray(columns[-1], dtype=object))
    data = {f"c{index}": values for index, values in enumerate(columns[:-1])}
    return geopandas.GeoDataFrame(data, geometry=shapes, crs="EPSG:4490")


def geopandas_overlay(parcels: geopandas.GeoDataFrame, zones: geopandas.GeoDataFrame) -> float:
    """Area (m²) of parcels inside zones: sjoin to find pairs, overlay to cut them."""
    pairs = geopandas.sjoin(parcels, zones, predicate="intersects")
    touching = parcels.loc[pairs.index.unique()]
    pieces = geopandas.overlay(touching, zones, how="intersection", keep_geom_type=True)
    projected = pieces.to_crs("EPSG:4545")
    return float(projected.area.sum())


def run() -> None:
    engine = make_engine(land_demo.url())
    frames: list[geopandas.GeoDataFrame] = []

    def load() -> None:
        frames.append(frame(engine, "select id, kind, geom from land_parcel"))
        frames.append(frame(engine, "select id, kind, geom from land_zone"))

    loading = seconds(load)
    parcels, zones = frames
    area = 0.0

    def baseline() -> None:
        nonlocal area
        area = geopandas_overlay(parcels, zones)

    report = None

    def job() -> None:
        nonlocal report
        report = jobs.overlay(engine, scope=Scope.system("bench"))

    took = seconds(job)
    base = seconds(baseline)
    engine.dispose()
    assert report is not None
    inside = sum(sum(areas.values()) for areas in report.area_by_zone.values())
    print(
        f"GeoPandas sjoin + overlay of {len(parcels):,} parcels with {len(zones):,} zones "
        f"(baseline): load {loading:.1f} s + overlay {base:.1f} s, "
        f"{area / 666.667:,.0f} mu inside zones"
    )
    print(
        f"DuckDB overlay job (reads the database itself): {took:.1f} s, {report.pairs:,} pairs, "
        f"{inside:,.0f} mu inside zones  ratio {(loading + base) / took:.1f}x faster "
        f"({base / took:.1f}x against the GeoPandas overlay alone)"
    )
