"""上图入库 at scale: the cultivated land inside project boundaries, by the farmland module's
overlay (:func:`yunong.farmland.overlay.overlay`) and, in the same run, by GeoPandas
``overlay`` (intersection, then areas on the Gauss–Krüger zone).

The parcels are the demo's (``BENCH_FARMLAND_SCALE``: ``chongqing`` for the 2 million parcels
of ``bench.land_demo``, or ``small`` / ``tiny`` built here); the boundaries
(``BENCH_FARMLAND_BOUNDARIES``, 5,000 by default) are drawn over villages' land, each
covering part of one village's parcels, as project areas do. Both methods start from the
same parcels and boundaries in memory: loading from the database is timed apart.
"""

import os

import geopandas
import numpy as np
import shapely
from sqlalchemy import text

from bench import land_demo
from bench.timing import scratch_dir, seconds
from yunong.demo.build import build
from yunong.farmland.overlay import overlay
from yunong.land.geometry import decode
from yunong.store.db import make_engine

M2_PER_MU = 10000 / 15


def database_url(scale: str) -> str:
    if scale == "chongqing":
        return land_demo.url()
    path = scratch_dir() / f"farmland_{scale}.db"
    engine = make_engine(f"sqlite:///{path}")
    build(engine, scale_name=scale)
    engine.dispose()
    return f"sqlite:///{path}"


def load(url: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cultivated parcels (shapes, m²) and the villages' bounding boxes."""
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text("select area_m2, geom from land_parcel where kind = 'cultivated'")
        ).all()
        boxes = connection.execute(
            text("select min_x, min_y, max_x, max_y from land_village_summary order by 1, 2")
        ).all()
    engine.dispose()
    areas = np.array([float(row[0]) for row in rows])
    return decode([row[1] for row in rows]), areas, np.array(boxes, dtype=float)


def boundaries(boxes: np.ndarray, count: int) -> np.ndarray:
    """``count`` boundaries, each over the south-west part of a village's land: 60 % of its
    width and 50 % of its height, so some parcels lie inside and some across the edge."""
    picked = boxes[np.resize(np.arange(len(boxes)), count)]
    # Villages reused when there are fewer than ``count``: shifted a little each round.
    rounds = np.repeat(np.arange(-(-count // len(boxes))), len(boxes))[:count]
    west, south, east, north = picked.T
    width, height = east - west, north - south
    shift = 0.1 * (rounds % 4) * width
    return shapely.box(west + shift, south, west + shift + 0.6 * width, south + 0.5 * height)


def geopandas_overlay(parcels: np.ndarray, shapes: np.ndarray) -> np.ndarray:
    left = geopandas.GeoDataFrame({"parcel": np.arange(len(parcels))}, geometry=parcels, crs=4490)
    right = geopandas.GeoDataFrame({"project": np.arange(len(shapes))}, geometry=shapes, crs=4490)
    pieces = geopandas.overlay(left, right, how="intersection", keep_geom_type=True)
    areas = pieces.to_crs("EPSG:4545").area
    return np.bincount(pieces["project"], weights=areas, minlength=len(shapes))


def run() -> None:
    scale = os.environ.get("BENCH_FARMLAND_SCALE", "chongqing")
    count = int(os.environ.get("BENCH_FARMLAND_BOUNDARIES", "5000"))
    url = database_url(scale)
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    loading = seconds(lambda: found.append(load(url)))
    parcels, areas, boxes = found[0]
    shapes = boundaries(boxes, count)
    ours: list[np.ndarray] = []
    theirs: list[np.ndarray] = []
    took = seconds(lambda: ours.append(overlay(shapes, parcels, areas).by_boundary(count)))
    base = seconds(lambda: theirs.append(geopandas_overlay(parcels, shapes)))
    mine, baseline = ours[0], theirs[0]
    both = baseline > 0
    worst = float(np.max(np.abs(mine[both] - baseline[both]) / baseline[both])) if both.any() else 0
    print(
        f"{len(parcels):,} cultivated parcels, {count:,} boundaries ({scale}); "
        f"loaded in {loading:.1f} s"
    )
    print(
        f"GeoPandas overlay (baseline): {base:.1f} s, {baseline.sum() / M2_PER_MU:,.0f} mu inside"
    )
    print(
        f"farmland overlay: {took:.1f} s, {mine.sum() / M2_PER_MU:,.0f} mu inside  "
        f"ratio {base / took:.1f}x faster; largest difference per boundary {100 * worst:.3f} %"
    )


if __name__ == "__main__":
    run()
