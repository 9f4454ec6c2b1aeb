"""Demo geography: a centre point and a synthetic boundary for every district, town and
village of the demo.

A district's boundary is its schematic cell around its real seat
(:func:`yunong.core.regions.geography.seat_cells`) and its centre the seat. Inside it,
each town gets a point drawn from the seed and the part of the district nearer to that
point than to the other towns' (a Voronoi cell); inside each town its villages get theirs
the same way. So the boundaries tile each district and each town, a village lies inside
its town and district, and its centre is the point its cell was drawn around — where the
demo land lays out its parcels. Points keep :data:`EDGE` degrees inside Chongqing's
extent, so a village's parcels around its centre stay inside it too.
"""

from collections import defaultdict
from collections.abc import Iterator

import numpy as np
import shapely
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from yunong.core.geometry import CHONGQING_BOUNDS
from yunong.core.regions.codes import Level
from yunong.core.regions.geography import cells_around, district_seats, seat_cells
from yunong.core.regions.models import Region, RegionGeography
from yunong.store.base import utcnow
from yunong.store.bulk import chunks

SOURCE = "演示"
EDGE = 0.05
"""Degrees (about 5 km) between a demo centre and the edge of Chongqing's extent."""

Row = dict[str, object]


def create_geography(session: Session, *, seed: int) -> int:
    """Centre points and boundaries of the demo's districts, towns and villages; how many
    regions were placed."""
    towns: dict[str, list[str]] = defaultdict(list)
    villages: dict[str, list[str]] = defaultdict(list)
    for code, level in session.execute(
        select(Region.code, Region.level)
        .where(Region.level.in_([int(Level.TOWN), int(Level.VILLAGE)]))
        .order_by(Region.code)
    ).tuples():
        if level == Level.TOWN:
            towns[code[:6]].append(code)
        else:
            villages[code[:9]].append(code)
    rows = list(placed_regions(towns, villages, seed))
    now = utcnow()
    for chunk in chunks(rows):
        session.execute(
            insert(RegionGeography), [row | {"source": SOURCE, "updated_at": now} for row in chunk]
        )
    return len(rows)


def placed_regions(
    towns: dict[str, list[str]], villages: dict[str, list[str]], seed: int
) -> Iterator[Row]:
    """A row for every district with towns, its towns and their villages, parents first."""
    seats, cells = district_seats(), seat_cells()
    for district, district_towns in sorted(towns.items()):
        code = district.ljust(12, "0")
        if code not in cells:
            continue
        lon, lat = seats[code]
        yield place(code, shapely.Point(lon, lat), cells[code])
        for town, town_point, town_cell in divided(code, cells[code], district_towns, seed):
            yield place(town, town_point, town_cell)
            parts = divided(town, town_cell, villages.get(town[:9], []), seed)
            for village, village_point, village_cell in parts:
                yield place(village, village_point, village_cell)


def place(code: str, centre: shapely.Point, boundary: shapely.Geometry) -> Row:
    return {
        "region_code": code,
        "lon": round(centre.x, 6),
        "lat": round(centre.y, 6),
        "boundary": shapely.normalize(boundary),
    }


def divided(
    parent: str, area: shapely.Geometry, codes: list[str], seed: int
) -> Iterator[tuple[str, shapely.Point, shapely.Geometry]]:
    """Each of ``codes`` (the children of ``parent``) with a point inside ``area`` and its
    cell of ``area``: the same for the same seed and codes."""
    if not codes:
        return
    rng = np.random.default_rng([seed, int(parent)])
    drawable = area.intersection(shapely.box(*shrunk(CHONGQING_BOUNDS, EDGE)))
    points = points_inside(area if drawable.is_empty else drawable, len(codes), rng)
    cells = cells_around(points, area)
    yield from zip(codes, points.tolist(), cells.tolist(), strict=True)


def points_inside(area: shapely.Geometry, count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` random points inside ``area``, drawn uniformly over it."""
    west, south, east, north = area.bounds
    shapely.prepare(area)
    found = np.empty((0, 2))
    while len(found) < count:
        drawn = rng.uniform((west, south), (east, north), size=(4 * count, 2))
        found = np.vstack([found, drawn[shapely.contains_xy(area, drawn[:, 0], drawn[:, 1])]])
    return shapely.points(np.round(found[:count], 6))


def shrunk(bounds: tuple[float, float, float, float], margin: float) -> tuple[float, ...]:
    west, south, east, north = bounds
    return (west + margin, south + margin, east - margin, north - margin)
