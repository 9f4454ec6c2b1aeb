"""The spatial index follows every write: imports, updates, deletes, and the upgrade of a
database that already holds parcels."""

from datetime import UTC, datetime

import numpy as np
import pytest
import shapely
from alembic import command
from shapely.affinity import translate
from sqlalchemy import delete, insert, select

from tests.conftest import PG_URL, dropped_when_done, fresh_postgres_url, postgres_name
from tests.factories import make_place
from tests.land.factories import Patch, frame, rectangle, write
from yunong.core.scope import Scope
from yunong.land import features, importers, spatial
from yunong.land.geometry import encode
from yunong.land.models import Parcel
from yunong.land.spatial import Box
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.store.migrate import alembic_config

SYSTEM = Scope.system("test")


@pytest.fixture
def place(session):
    return make_place(session)


def boxed(geometry, margin: float = 0.0001) -> Box:
    west, south, east, north = geometry.bounds
    return Box(west - margin, south - margin, east + margin, north + margin)


def found_in(session, box: Box) -> list[str]:
    page = features.page(session, scope=SYSTEM, layer="parcels", box=box, limit=100, offset=0)
    return [code for code, _, _ in page.features]


def import_one(session, place, tmp_path, shape, name="dltb.gpkg") -> Parcel:
    path = write(frame([Patch("1", place.village, shape)]), tmp_path / name)
    importers.import_file(session, scope=SYSTEM, path=path, layer="parcels", year=2024)
    return session.scalars(select(Parcel)).one()


def test_an_imported_parcel_is_found_where_it_lies_and_nowhere_else(session, place, tmp_path):
    parcel = import_one(session, place, tmp_path, rectangle(0))

    assert found_in(session, boxed(parcel.geom)) == [parcel.code]
    west, south, east, north = parcel.geom.bounds
    assert found_in(session, Box(east + 0.001, south, east + 0.002, north)) == []


def test_a_moved_parcel_is_found_at_its_new_place(session, place, tmp_path):
    before = import_one(session, place, tmp_path, rectangle(0))
    old_place = boxed(before.geom)

    after = import_one(session, place, tmp_path, translate(rectangle(0), 2000, 0), "moved.gpkg")
    session.refresh(after)

    assert found_in(session, boxed(after.geom)) == [after.code]
    assert found_in(session, old_place) == []


def test_a_deleted_parcel_leaves_the_index(session, place, tmp_path):
    parcel = import_one(session, place, tmp_path, rectangle(0))
    box = boxed(parcel.geom)

    session.execute(delete(Parcel).where(Parcel.id == parcel.id))

    assert found_in(session, box) == []


@pytest.fixture
def empty_url(db_url, tmp_path):
    if not db_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'upgrade.db'}"
        return
    url = fresh_postgres_url(PG_URL, postgres_name("upgrade"))
    yield url
    dropped_when_done(url)


def test_upgrading_a_database_with_parcels_indexes_them(empty_url):
    engine = make_engine(empty_url)
    command.upgrade(alembic_config(engine), "0009")
    shape = shapely.box(108.40, 30.80, 108.41, 30.81)
    with transaction(make_sessionmaker(engine)) as session:
        make_place(session)
        (wkb,) = encode(np.array([shape]), engine.dialect.name)
        session.execute(
            insert(Parcel.__table__).values(
                code="L5001011082010000010",
                source_key="QNM:L5001011082010000010",
                village_code="500101108201",
                kind="cultivated",
                land_class_code="0101",
                land_class="水田",
                area_m2=6000,
                permanent_farmland=False,
                high_standard=False,
                geom=wkb,
                updated_at=datetime(2024, 1, 1, tzinfo=UTC),
            )
        )
    command.upgrade(alembic_config(engine), "head")

    with transaction(make_sessionmaker(engine)) as session:
        box = Box(108.405, 30.805, 108.42, 30.82)
        ids = session.scalars(spatial.ids_meeting("land_parcel", box, engine.dialect.name)).all()
        bounds = session.execute(select(Parcel.min_x, Parcel.max_y)).one()
    engine.dispose()
    assert len(ids) == 1
    assert tuple(bounds) == (108.40, 30.81)
