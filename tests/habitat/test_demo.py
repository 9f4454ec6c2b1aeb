"""The tiny demo's habitat data, checked against computations made from its rows by hand."""

import pytest
from sqlalchemy import text

from yunong.core.scope import Scope
from yunong.habitat import sewage, todo, water
from yunong.policy.loader import get
from yunong.store.db import make_engine, make_sessionmaker, transaction

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def tiny(tiny_demo_url):
    engine = make_engine(tiny_demo_url)
    yield engine
    engine.dispose()


def test_settlements_without_a_facility_equal_a_hand_computation(tiny):
    with transaction(make_sessionmaker(tiny)) as session:
        rows = session.execute(
            text(
                "select s.code, s.households, s.residents, f.id, f.network"
                " from habitat_settlement s"
                " left join habitat_sewage_facility f on f.id = s.facility_id"
            )
        ).all()
        by_hand = sorted(
            code
            for code, households, residents, facility, network in rows
            if (households >= 200 or residents >= 500) and (facility is None or not network)
        )
        listed = sewage.unserved(session, scope=Scope.system(), pack=get())
    assert by_hand, "the tiny demo should have settlements without a facility"
    assert len(rows) > len(by_hand)
    assert [item.code for item in listed] == by_hand


def test_each_body_is_classed_by_its_latest_test_as_stored(tiny):
    with transaction(make_sessionmaker(tiny)) as session:
        latest = dict(
            session.execute(
                text(
                    "select b.code, t.black from habitat_water_body b join habitat_water_test t"
                    " on t.body_id = b.id where t.tested_on ="
                    " (select max(tested_on) from habitat_water_test where body_id = b.id)"
                )
            ).all()
        )
        classes = water.classes(session, scope=Scope.system(), region_code="500000000000")
    assert {item["id"]: item["class"] == "黑臭" for item in classes} == {
        code: bool(black) for code, black in latest.items()
    }
    assert 0 < sum(latest.values()) < len(latest)


def test_every_toilet_step_waits_on_someone_in_the_demo(tiny):
    with transaction(make_sessionmaker(tiny)) as session:
        village = session.execute(
            text("select region_code from habitat_toilet_subsidy limit 1")
        ).scalar_one()
        totals = {}
        for role, region in (
            ("grid_worker", village),
            ("town_officer", village[:9] + "000"),
            ("district_officer", village[:6] + "000000"),
        ):
            scope = Scope(actor=role, region_code=region, role=role)
            totals[role] = sum(kind.total for kind in todo.todo(session, scope))
    assert all(totals.values()), totals
