"""Demo parcels: in every village, valid shapes of a few mu inside Chongqing, held by the
village's households, each with a 全农码 that checks."""

from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import CRS
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from yunong.core.identity import codes
from yunong.core.identity.models import IdentityCode
from yunong.core.regions.codes import Level
from yunong.core.regions.models import Region, RegionGeography
from yunong.land import spatial
from yunong.land.geometry import areas_m2, inside_chongqing
from yunong.land.models import Parcel, Zone
from yunong.monitor.models import Household
from yunong.store.db import make_engine, make_sessionmaker, transaction


@pytest.fixture(scope="module")
def demo(tiny_demo_url, tiny_demo_result):
    engine = make_engine(tiny_demo_url)
    with transaction(make_sessionmaker(engine)) as session:
        parcels = list(session.scalars(select(Parcel)))
        yield session, tiny_demo_result, parcels
    engine.dispose()


def test_every_village_has_parcels_and_a_farmland_zone(demo):
    session, result, parcels = demo
    villages = set(session.scalars(select(Region.code).where(Region.level == int(Level.VILLAGE))))

    assert result.parcels == len(parcels) > 0
    assert {p.village_code for p in parcels} == villages
    farmland = session.scalars(select(Zone.region_code).where(Zone.kind == "permanent_farmland"))
    assert set(farmland) == villages


def test_parcels_are_valid_plots_of_a_few_mu_inside_chongqing(demo):
    _, _, parcels = demo
    shapes = np.array([p.geom for p in parcels], dtype=object)
    stated = np.array([float(p.area_m2) for p in parcels])

    measured = areas_m2(shapes, CRS.from_epsg(4490))
    assert shapely.is_valid(shapes).all() and inside_chongqing(shapes).all()
    assert (np.abs(measured - stated) <= stated * 0.005).all()
    assert 1 <= np.median(stated) / 666.67 <= 7


def test_parcels_are_held_by_households_of_their_own_village(demo):
    session, _, parcels = demo
    homes = dict(session.execute(select(Household.code, Household.village_code)).tuples().all())
    held = [p for p in parcels if p.holder_code]

    assert len(held) > len(parcels) / 2
    assert all(homes[p.holder_code] == p.village_code for p in held)
    assert all(p.holder_code is None for p in parcels if p.kind == "construction")


def test_each_villages_parcels_lie_around_its_centre_in_the_demo_geography(demo):
    session, _, parcels = demo
    centres = {
        code: shapely.Point(lon, lat)
        for code, lon, lat in session.execute(
            select(RegionGeography.region_code, RegionGeography.lon, RegionGeography.lat)
        )
    }
    shapes: dict[str, list] = {}
    for parcel in parcels:
        shapes.setdefault(parcel.village_code, []).append(parcel.geom)

    # Within one grid cell (100 m, about 0.001°) of the box around the village's parcels: a
    # village of one parcel has it somewhere in its one cell.
    assert all(
        shapely.box(*shapely.total_bounds(np.array(found, dtype=object))).distance(centres[code])
        < 0.001
        for code, found in shapes.items()
    )


def test_every_parcel_has_a_registered_land_code(demo):
    session, _, parcels = demo
    registered = session.scalar(
        select(func.count()).select_from(IdentityCode).where(IdentityCode.kind == "L")
    )

    assert all(codes.parse(p.code).kind is codes.Kind.LAND for p in parcels)
    assert registered == len(parcels) + session.scalar(select(func.count()).select_from(Zone))


def ids_in(session, box: spatial.Box) -> set[int]:
    return set(session.scalars(spatial.ids_meeting("land_parcel", box, session.bind.dialect.name)))


def ids_by_their_boxes(session, box: spatial.Box) -> set[int]:
    return set(
        session.scalars(
            select(Parcel.id).where(
                Parcel.min_x <= box.east,
                Parcel.max_x >= box.west,
                Parcel.min_y <= box.north,
                Parcel.max_y >= box.south,
            )
        )
    )


def test_the_spatial_index_finds_the_demo_parcels_their_boxes_place_in_a_view(demo):
    session, _, parcels = demo
    some = parcels[len(parcels) // 2]
    box = spatial.Box(
        some.min_x - 0.003, some.min_y - 0.002, some.max_x + 0.003, some.max_y + 0.002
    )

    found = ids_in(session, box)

    assert some.id in found and len(found) > 1
    assert found == ids_by_their_boxes(session, box)


def test_the_spatial_index_of_the_demo_follows_a_parcel_that_moves(tiny_demo_copy_url):
    engine = make_engine(tiny_demo_copy_url)
    far = spatial.Box(108.0, 31.9, 108.001, 31.901)
    with transaction(make_sessionmaker(engine)) as session:
        moved = session.scalars(select(Parcel).order_by(Parcel.id).limit(1)).one()
        moved.geom = shapely.box(108.0, 31.9, 108.0005, 31.9005)
        for column, value in spatial.bounds_of(moved.geom).items():
            setattr(moved, column, value)
        session.flush()
        found = ids_in(session, far)
    engine.dispose()

    assert found == {moved.id}


def index_is_sound(session) -> bool:
    if session.bind.dialect.name == "sqlite":
        return session.scalar(text("select rtreecheck('land_parcel_rtree')")) == "ok"
    return session.scalar(
        text("select indisvalid from pg_index where indexrelid = 'ix_land_parcel_geom'::regclass")
    )


def test_the_demo_leaves_a_sound_spatial_index_and_no_scratch_file(demo, module_db_url):
    session, _, _ = demo
    database = Path(make_url(module_db_url).database or "")

    assert index_is_sound(session)
    assert not database.with_name(database.name + ".land").exists()
