"""Where regions lie: district seats, centre points of towns and villages, boundaries.

District seats ship with the package (``data/chongqing_district_seats.csv``, CGCS2000
degrees to two decimals, about a kilometre). Centre points and boundaries of any region
live in ``region_geography``: written by ``yunong regions boundaries`` from an official
boundary layer (:mod:`yunong.core.regions.boundaries`) or by the demo. Maps read them
here, so every map puts a place in the same spot.

A district without an imported boundary is drawn as a schematic cell: the area nearer to
its own seat than to any other (a Voronoi cell), clipped to the country around all seats.
"""

import csv
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import shapely
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.core.geometry import CHONGQING_BOUNDS
from yunong.core.regions import codes
from yunong.core.regions.codes import Level
from yunong.core.regions.models import Region, RegionGeography
from yunong.core.scope import Scope
from yunong.store.bulk import chunks

SEATS_FILE = resources.files("yunong.core.regions") / "data" / "chongqing_district_seats.csv"
SEAT_MARGIN = 0.35
"""Degrees around the outermost seats that the schematic district cells reach."""
TOWN_WIDTH = codes.PREFIX_LENGTHS[Level.TOWN]


@dataclass(frozen=True)
class Centre:
    """Where a region is drawn on a map, in CGCS2000 degrees."""

    lon: float
    lat: float
    by_town: bool = False
    """Drawn at its town's centre, having no centre of its own."""


@cache
def district_seats() -> dict[str, tuple[float, float]]:
    """(longitude, latitude) of each district's seat, by 12-digit district code."""
    with SEATS_FILE.open(encoding="utf-8") as handle:
        return {
            codes.normalise(row["code"]): (float(row["lon"]), float(row["lat"]))
            for row in csv.DictReader(handle)
        }


def cells_around(points: np.ndarray, within: shapely.Geometry) -> np.ndarray:
    """The part of ``within`` nearer to each point than to the others, in the points' order.

    Example: two points split a square down the middle::

        cells_around(shapely.points([(1, 1), (3, 1)]), shapely.box(0, 0, 4, 2))
    """
    if len(points) == 1:
        return np.array([within], dtype=object)
    diagram = shapely.voronoi_polygons(shapely.multipoints(points), extend_to=within, ordered=True)
    return shapely.intersection(shapely.get_parts(diagram), within)


@cache
def seat_outline() -> shapely.Geometry:
    """The country the schematic cells cover: around all seats, inside Chongqing's extent."""
    seats = shapely.multipoints(list(district_seats().values()))
    return shapely.intersection(
        shapely.buffer(shapely.convex_hull(seats), SEAT_MARGIN), shapely.box(*CHONGQING_BOUNDS)
    )


@cache
def seat_cells() -> dict[str, shapely.Geometry]:
    """Each district's schematic cell around its seat, by 12-digit district code."""
    seats = district_seats()
    cells = cells_around(shapely.points(list(seats.values())), seat_outline())
    return dict(zip(seats, cells.tolist(), strict=True))


def encloses_or_inside(scope: Scope, code: str) -> bool:
    """Whether the region ``code`` lies inside the scope or the scope lies inside it."""
    return scope.covers(code) or codes.contains(code, scope.region_code)


def get_district_outlines(session: Session, *, scope: Scope) -> dict[str, shapely.Geometry]:
    """The outline of every district inside the caller's scope, or of the district the
    scope lies in: its imported boundary, else its schematic cell. By code, in order."""
    districts = [
        code
        for code in session.scalars(
            select(Region.code).where(Region.level == int(Level.DISTRICT)).order_by(Region.code)
        )
        if encloses_or_inside(scope, code)
    ]
    stored = dict(
        session.execute(
            select(RegionGeography.region_code, RegionGeography.boundary).where(
                RegionGeography.region_code.in_(districts),
                RegionGeography.boundary.is_not(None),
            )
        )
        .tuples()
        .all()
    )
    cells = seat_cells()
    outlines = {code: stored.get(code) or cells.get(code) for code in districts}
    return {code: shape for code, shape in outlines.items() if shape is not None}


def get_centres(session: Session, *, scope: Scope, codes: Collection[str]) -> dict[str, Centre]:
    """The centre of each region of ``codes`` inside the caller's scope.

    A region without a centre of its own is drawn at its town's (``by_town``): the town's
    own centre, else the mean of the centres of its villages inside the scope. Regions
    with neither are left out, rather than drawn somewhere wrong.
    """
    wanted = sorted({code for code in codes if scope.covers(code)})
    found = {code: Centre(lon, lat) for code, lon, lat in own_centres(session, scope, wanted)}
    towns = sorted({code[:TOWN_WIDTH] for code in wanted if code not in found})
    by_town = town_centres(session, scope, towns)
    for code in wanted:
        centre = by_town.get(code[:TOWN_WIDTH])
        if code not in found and centre is not None and code != town_code(code):
            found[code] = Centre(centre[0], centre[1], by_town=True)
    return found


def own_centres(
    session: Session, scope: Scope, wanted: list[str]
) -> Iterable[tuple[str, float, float]]:
    place = RegionGeography
    for chunk in chunks(wanted):
        query = select(place.region_code, place.lon, place.lat).where(place.region_code.in_(chunk))
        yield from session.execute(scope.filter(query, place.region_code)).tuples()


def town_code(code: str) -> str:
    return code[:TOWN_WIDTH].ljust(12, "0")


def town_centres(
    session: Session, scope: Scope, towns: list[str]
) -> dict[str, tuple[float, float]]:
    """Each town's own centre, else the mean centre of its villages inside the scope; by the
    town's 9-digit prefix. A town encloses the villages asked about, so its own point is
    shown to whoever may see one of them."""
    centres: dict[str, tuple[float, float]] = {}
    for chunk in chunks(towns):
        own = select(RegionGeography.region_code, RegionGeography.lon, RegionGeography.lat).where(
            RegionGeography.region_code.in_([town.ljust(12, "0") for town in chunk])
        )
        centres |= {code[:TOWN_WIDTH]: (lon, lat) for code, lon, lat in session.execute(own)}
        prefix = func.substr(RegionGeography.region_code, 1, TOWN_WIDTH)
        villages = scope.filter(
            select(prefix, func.avg(RegionGeography.lon), func.avg(RegionGeography.lat)).where(
                prefix.in_(chunk), RegionGeography.region_code.not_like("%000")
            ),
            RegionGeography.region_code,
        ).group_by(prefix)
        for town, lon, lat in session.execute(villages).tuples():
            centres.setdefault(town, (float(lon), float(lat)))
    return centres
