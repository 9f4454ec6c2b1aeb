"""A small one-map world: the test place's accounts and land-survey patches in three villages
of two towns, side by side near 万州区 龙沙镇, imported through the real importer and
summarised by the real analysis job; each village and town with a boundary around its
patches, as an imported boundary layer gives them."""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from pyproj import CRS
from sqlalchemy import select

from tests.core.regions.factories import add_centre
from tests.factories import Place, World, make_world
from tests.land.factories import GAUSS_KRUGER_108, Patch, frame, rectangle, write, zone_frame
from yunong.core.scope import Scope
from yunong.land import high_standard, importers, summary
from yunong.land.geometry import to_storage
from yunong.land.models import Parcel
from yunong.policy import loader
from yunong.store.db import make_engine, make_sessionmaker, transaction


@dataclass
class MapWorld:
    world: World
    codes: dict[str, list[str]]
    """全农码 of the parcels of each village, in patch order."""
    rows: dict[str, int]
    """The grid row each village's patches lie on."""

    def box_around(self, *villages: str) -> tuple[float, float, float, float]:
        """A box (west, south, east, north) holding whole rows of villages, with a margin."""
        rows = [self.rows[village] for village in villages]
        low, high = min(rows), max(rows)
        corner = to_degrees(rectangle(0, low).bounds[0] - 20, rectangle(0, low).bounds[1] - 20)
        far = to_degrees(
            rectangle(COLUMNS - 1, high).bounds[2] + 20, rectangle(0, high).bounds[3] + 20
        )
        return (*corner, *far)


COLUMNS = 6
MARGIN = 20.0
"""Metres between a village's outermost patches and its boundary."""


def to_degrees(x: float, y: float) -> tuple[float, float]:
    point = to_storage(np.array([shapely.Point(x, y)]), CRS.from_user_input(GAUSS_KRUGER_108))[0]
    return point.x, point.y


HIGH_STANDARD_PROJECT = "E500101000000000010W"
"""全农码 standing for the accepted project the dry land lies in."""


def patches_of(village: str, row: int) -> list[Patch]:
    """Six patches a village: paddy in permanent farmland, high-standard dry land, an
    abandoned steep field, non-grain use, a homestead and a second paddy."""
    number = lambda column: f"{village[-3:]}{column:03d}"  # noqa: E731
    at = lambda column: rectangle(column, row)  # noqa: E731
    return [
        Patch(number(0), village, at(0), extra={"SFJBNT": "1"}),
        Patch(number(1), village, at(1), DLBM="0103", DLMC="旱地"),
        Patch(number(2), village, at(2), DLBM="0103", DLMC="旱地", GDPDJB="4", ZZSXDM="WG"),
        Patch(number(3), village, at(3), ZZSXDM="FLS", extra={"SFJBNT": "1"}),
        Patch(number(4), village, at(4), DLBM="0702", DLMC="农村宅基地", QSXZ="30"),
        Patch(number(5), village, at(5)),
    ]


def build(db_url: str, directory: Path) -> MapWorld:
    engine = make_engine(db_url)
    with transaction(make_sessionmaker(engine)) as session:
        world = make_world(session)
    place = world.place
    villages = [place.village, place.neighbour_village, place.other_town_village]
    with transaction(make_sessionmaker(engine)) as session:
        add_boundaries(session, place, villages)
    patches = [p for row, village in enumerate(villages) for p in patches_of(village, row)]
    path = write(frame(patches), directory / "dltb.gpkg")
    zone = {
        "BHLX": "永久基本农田",
        "MC": "石坪村保护片",
        "BH": "1",
        "XZQDM": place.village,
        "geometry": rectangle(0, 0, width=550.0, height=70.0),
    }
    zones = write(zone_frame([zone]), directory / "zones.gpkg")
    with transaction(make_sessionmaker(engine)) as session:
        system = Scope.system("test")
        for source, layer in ((path, "parcels"), (zones, "zones")):
            done = importers.import_file(session, scope=system, path=source, layer=layer, year=2024)
            assert not done.errors, done.errors
        # The dry land of each village lies in an accepted high-standard farmland project.
        dry = [f"DLTB:{village}0000000:{village[-3:]}001" for village in villages]
        high_standard.mark(
            session,
            scope=system,
            parcel_ids=list(session.scalars(select(Parcel.id).where(Parcel.source_key.in_(dry)))),
            project_code=HIGH_STANDARD_PROJECT,
            year=2023,
        )
    summary.refresh(engine, pack=loader.get(), villages=villages)
    with transaction(make_sessionmaker(engine)) as session:
        codes = {
            village: list(
                session.scalars(
                    select(Parcel.code).where(Parcel.village_code == village).order_by(Parcel.id)
                )
            )
            for village in villages
        }
    engine.dispose()
    return MapWorld(world, codes, {village: row for row, village in enumerate(villages)})


def row_outline(first: int, last: int, margin: float = MARGIN) -> shapely.Geometry:
    """The rows ``first`` to ``last`` of patches with ``margin`` metres around, in degrees."""
    west, south = rectangle(0, first).bounds[:2]
    east, north = rectangle(COLUMNS - 1, last).bounds[2:]
    box = shapely.box(west - margin, south - margin, east + margin, north + margin)
    return to_storage(np.array([box]), CRS.from_user_input(GAUSS_KRUGER_108))[0]


def add_boundaries(session, place: Place, villages: list[str]) -> None:
    """Each village's boundary around its row; 龙沙镇 around its two villages' rows and 武陵镇
    around its one, a little wider; 凤阳村 in 涪陵区, far off, for scope tests."""
    shapes = {village: row_outline(row, row) for row, village in enumerate(villages)}
    shapes[place.town] = row_outline(0, 1, margin=2 * MARGIN)
    shapes[place.other_town] = row_outline(2, 2, margin=2 * MARGIN)
    shapes[place.other_district_village] = shapely.box(107.40, 29.70, 107.42, 29.72)
    for code, shape in shapes.items():
        centre = shapely.point_on_surface(shape)
        add_centre(session, code, centre.x, centre.y, boundary=shape)
