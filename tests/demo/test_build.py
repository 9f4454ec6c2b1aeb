"""The demo data: real districts, plausible towns and villages, the same every time."""

import pytest
from sqlalchemy import select

from yunong.core.auth import service as users
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict
from yunong.core.regions import codes
from yunong.core.regions.importers import load_districts
from yunong.core.regions.models import Region
from yunong.demo.build import build
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


def test_the_same_scale_builds_the_same_regions_twice(private_db_url):
    engine = make_engine(private_db_url)
    build(engine, scale_name="small")
    first = region_rows(engine)
    build(engine, scale_name="small")
    assert region_rows(engine) == first


def test_chongqing_scale_has_about_a_thousand_towns_and_eight_thousand_villages(private_db_url):
    counts = build(make_engine(private_db_url), scale_name="chongqing").regions
    assert counts["区县"] == 38
    assert 900 <= counts["乡镇"] <= 1100
    assert 7500 <= counts["村"] <= 8500


def test_every_generated_code_is_well_formed_and_under_its_parent(private_db_url):
    engine = make_engine(private_db_url)
    build(engine, scale_name="small")
    for code, name, level, parent in region_rows(engine):
        assert codes.level_of(code) == level
        assert parent is None or codes.contains(parent, code)
        assert name.endswith(("市", "区", "县", "镇", "乡", "街道", "村", "社区"))


def test_the_demo_refuses_to_overwrite_a_database_with_real_data(private_db_url):
    engine = make_engine(private_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        load_districts(session)
    with pytest.raises(Conflict, match="非演示数据"):
        build(engine, scale_name="tiny")
    assert len(region_rows(engine)) == 39


def test_the_demo_has_one_account_per_role_that_can_log_in(private_db_url):
    engine = make_engine(private_db_url)
    result = build(engine, scale_name="tiny")
    assert sorted(role for _, _, role, _ in result.accounts) == sorted(r.label for r in Role)
    with transaction(make_sessionmaker(engine)) as session:
        for name, password, _, region in result.accounts:
            assert users.authenticate(session, name=name, password=password).region_code == region
