"""The demo data: real districts, plausible towns and villages, the same every time."""

import threading
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import and_, func, select
from sqlalchemy.engine import make_url

from yunong.core.auth import service as users
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict
from yunong.core.regions import codes
from yunong.core.regions.codes import Level
from yunong.core.regions.importers import load_districts
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.demo import scales
from yunong.demo.build import SEED, build
from yunong.demo.regions import towns_and_villages
from yunong.store.all_models import Base
from yunong.store.db import make_engine, make_sessionmaker, transaction


def region_rows(engine) -> list[tuple[str, str, int, str | None]]:
    with transaction(make_sessionmaker(engine)) as session:
        return list(
            session.execute(
                select(Region.code, Region.name, Region.level, Region.parent_code).order_by(
                    Region.code
                )
            ).tuples()
        )


def test_the_same_scale_builds_the_same_regions_twice(tiny_demo_copy_url):
    engine = make_engine(tiny_demo_copy_url)
    first = region_rows(engine)
    build(engine, scale_name="tiny")
    assert region_rows(engine) == first
    engine.dispose()


def test_chongqing_scale_has_about_1000_towns_8000_villages_and_3_5_million_households(session):
    # Building the whole chongqing demo takes minutes (bench/demo_households.py times it),
    # so the region tree it would build is checked without writing it.
    load_districts(session)
    districts = list(
        session.scalars(select(Region.code).where(Region.level == int(Level.DISTRICT)))
    )
    scale = scales.get("chongqing")
    levels = Counter(row["level"] for row in towns_and_villages(districts, scale, SEED))
    assert len(districts) == 38
    assert 900 <= levels[int(Level.TOWN)] <= 1100
    assert 7500 <= levels[int(Level.VILLAGE)] <= 8500
    assert 3_200_000 <= levels[int(Level.VILLAGE)] * scale.households_per_village <= 3_800_000


def test_every_generated_code_is_well_formed_and_under_its_parent(tiny_demo_url):
    engine = make_engine(tiny_demo_url)
    for code, name, level, parent in region_rows(engine):
        assert codes.level_of(code) == level
        assert parent is None or codes.contains(parent, code)
        assert name.endswith(("市", "区", "县", "镇", "乡", "街道", "村", "社区"))


def test_the_demo_refuses_to_overwrite_a_database_with_real_data(private_db_url):
    engine = make_engine(private_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        load_districts(session)
        users.create(
            session,
            scope=Scope.system(),
            user_in=users.UserIn(
                name="wangfang",
                role=Role.CITY_ADMIN.value,
                region_code=codes.CITY_CODE,
                password="Jiangbei-2024-qiu",
            ),
        )
    with pytest.raises(Conflict, match="非演示数据"):
        build(engine, scale_name="tiny")
    assert len(region_rows(engine)) == 39


def test_the_demo_builds_on_a_database_that_init_made(private_db_url):
    engine = make_engine(private_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        load_districts(session)
    build(engine, scale_name="tiny")
    assert len(region_rows(engine)) > 39


def test_the_demo_has_one_account_per_role_that_can_log_in(tiny_demo_url, tiny_demo_result):
    engine = make_engine(tiny_demo_url)
    result = tiny_demo_result
    assert sorted(role for _, _, role, _ in result.accounts) == sorted(r.label for r in Role)
    with transaction(make_sessionmaker(engine)) as session:
        for name, password, _, region in result.accounts:
            assert users.authenticate(session, name=name, password=password).region_code == region


def test_a_failed_build_stops_the_land_it_was_making_ready_and_leaves_no_scratch_file(
    private_db_url, monkeypatch
):
    def households_fail(*_args, **_kwargs):
        raise RuntimeError("农户生成失败")

    monkeypatch.setattr("yunong.demo.steps.create_households", households_fail)
    threads = threading.active_count()
    engine = make_engine(private_db_url)

    with pytest.raises(RuntimeError, match="农户生成失败"):
        build(engine, scale_name="tiny")

    database = Path(make_url(private_db_url).database or "")
    assert not database.with_name(database.name + ".land").exists()
    assert threading.active_count() == threads
    monkeypatch.undo()
    assert build(engine, scale_name="tiny").parcels > 0


def orphans(session, constraint) -> int:
    """Rows whose reference under ``constraint`` names no row of the referred table."""
    child, parent = constraint.table, constraint.referred_table.alias("referred")
    pairs = [(element.parent, parent.c[element.column.name]) for element in constraint.elements]
    joined = child.outerjoin(parent, and_(*(mine == theirs for mine, theirs in pairs)))
    missing = and_(*(mine.is_not(None) for mine, _ in pairs), pairs[0][1].is_(None))
    return session.scalar(select(func.count()).select_from(joined).where(missing))


def test_every_reference_in_the_demo_database_names_an_existing_row(tiny_demo_url):
    # The demo is loaded without SQLite checking references row by row, so all of them
    # are checked here at once.
    engine = make_engine(tiny_demo_url)

    with transaction(make_sessionmaker(engine)) as session:
        broken = {
            constraint.name: orphans(session, constraint)
            for table in Base.metadata.sorted_tables
            for constraint in table.foreign_key_constraints
        }
    assert broken and not {name: count for name, count in broken.items() if count}
