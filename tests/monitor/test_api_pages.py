"""The API's lists come in pages, with their total and the links to the neighbouring pages:
none is left out however many rows there are."""

from datetime import date

import pytest

from tests.factories import add_user, make_world
from tests.monitor.factories import add_alert, add_household, family, headers
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.monitor import opening
from yunong.policy import loader
from yunong.store.db import make_engine, make_sessionmaker, transaction

OPENED = date(2024, 6, 3)
"""Long enough ago that every first step is past its limit today."""


@pytest.fixture(scope="module")
def world(module_db_url):
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        world = make_world(session)
        village = world.place.village
        add_user(session, "grid_problems", Role.GRID_WORKER, village)
        cadre = Scope(actor="cadre", region_code=village, role=Role.VILLAGE_CADRE.value)
        for number, head in (("0601", "王德明"), ("0602", "刘光辉"), ("0603", "陈永福")):
            made = add_household(session, village=village, number=number, members=family(head))
            opening.open_case(
                session,
                scope=cadre,
                alert_id=add_alert(session, made).id,
                grid_worker="grid_problems",
                pack=loader.get(),
                today=OPENED,
            )
    engine.dispose()
    return world


def test_the_problems_come_in_pages_with_their_total_and_the_next_page_linked(client, world):
    town = headers(world, Role.TOWN_OFFICER)
    first = client.get("/api/monitor/problems", params={"per_page": 2}, headers=town)
    last = client.get("/api/monitor/problems", params={"per_page": 2, "page": 2}, headers=town)
    assert (len(first.json()), first.headers["X-Total-Count"]) == (2, "3")
    assert 'rel="next"' in first.headers["Link"] and "page=2" in first.headers["Link"]
    assert len(last.json()) == 1 and last.headers["Link"].endswith('rel="prev"')
    codes = {row["case_code"] for row in first.json() + last.json()}
    assert len(codes) == 3


def test_the_cases_come_in_pages_nearest_limit_first(client, world):
    town = headers(world, Role.TOWN_OFFICER)
    first = client.get("/api/monitor/cases", params={"per_page": 2}, headers=town)
    rest = client.get(first.headers["Link"].split(">")[0].lstrip("<"), headers=town)
    assert (len(first.json()), first.headers["X-Total-Count"], len(rest.json())) == (2, "3", 1)
    assert "Link" not in client.get("/api/monitor/cases", headers=town).headers
