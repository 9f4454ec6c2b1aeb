"""Demo geography: every demo town and village gets a centre and a synthetic boundary that
tile its district and town, the same for the same seed."""

from collections import defaultdict

import numpy as np
import pytest
import shapely
from sqlalchemy import delete, insert, select

from yunong.core.regions import codes
from yunong.core.regions.codes import Level
from yunong.core.regions.importers import load_districts
from yunong.core.regions.models import Region, RegionGeography
from yunong.demo import scales
from yunong.demo.geography import create_geography
from yunong.demo.regions import towns_and_villages

SEED = 20240101


@pytest.fixture
def placed(session) -> dict[str, RegionGeography]:
    """The tiny scale's regions, placed."""
    load_districts(session)
    districts = sorted(
        session.scalars(select(Region.code).where(Region.level == int(Level.DISTRICT)))
    )
    session.execute(insert(Region), list(towns_and_villages(districts, scales.get("tiny"), SEED)))
    create_geography(session, seed=SEED)
    return {row.region_code: row for row in session.scalars(select(RegionGeography))}


def test_every_district_town_and_village_is_placed(session, placed):
    regions = set(session.scalars(select(Region.code).where(Region.level >= int(Level.DISTRICT))))

    assert set(placed) == regions


def test_each_centre_lies_inside_its_own_boundary(placed):
    boundaries = np.array([row.boundary for row in placed.values()], dtype=object)
    centres = shapely.points([(row.lon, row.lat) for row in placed.values()])

    assert shapely.is_valid(boundaries).all()
    assert shapely.covers(boundaries, centres).all()


def test_the_towns_of_a_district_and_the_villages_of_a_town_tile_it(placed):
    children: dict[str, list[shapely.Geometry]] = defaultdict(list)
    for code, row in placed.items():
        if codes.level_of(code) > Level.DISTRICT:
            children[codes.parent_of(code) or ""].append(row.boundary)
    for parent, parts in children.items():
        whole = placed[parent].boundary
        assert shapely.union_all(parts).symmetric_difference(whole).area < 1e-9 * whole.area
        assert sum(part.area for part in parts) == pytest.approx(whole.area)


def test_the_same_seed_places_the_regions_the_same_way(session, placed):
    first = {code: (row.lon, row.lat) for code, row in placed.items()}
    session.execute(delete(RegionGeography))
    create_geography(session, seed=SEED)

    again = session.execute(
        select(RegionGeography.region_code, RegionGeography.lon, RegionGeography.lat)
    ).tuples()

    assert {code: (lon, lat) for code, lon, lat in again} == first
