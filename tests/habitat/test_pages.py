"""人居环境 pages: a toilet subsidy from application to payment through the pages, each step by
its role and waiting in the next actor's 待办; the lists and the overview for each role."""

import pytest
from fastapi.testclient import TestClient

from tests.factories import make_world
from tests.habitat.factories import BODY_HEADER, RULES, TEST_HEADER, bodies, write_csv
from tests.monitor.factories import headers
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.habitat import water
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.web.app import create_app

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def world(module_db_url, tmp_path_factory):
    folder = tmp_path_factory.mktemp("files")
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        built = make_world(session)
        path = write_csv(folder / "bodies.csv", BODY_HEADER, bodies(built.place))
        water.import_bodies(session, scope=Scope.system(), path=path, rules=RULES)
        tests = [["WB001", "2024-03-01", 10, 100, 5, 1], ["WB002", "2024-03-01", 40, 100, 5, 1]]
        path = write_csv(folder / "tests.csv", TEST_HEADER, tests)
        water.import_tests(
            session,
            scope=Scope.system(),
            path=path,
            rules=RULES,
            today=__import__("datetime").date(2024, 12, 1),
        )
    engine.dispose()
    return built


@pytest.fixture(scope="module")
def client(module_db_url, world, tmp_path_factory):
    app = create_app(Settings(db_url=module_db_url, var_dir=tmp_path_factory.mktemp("var")))
    with TestClient(app) as client:
        yield client


def waiting(client, world, role):
    found = client.get("/api/me/todo", headers=headers(world, role)).json()
    return {
        kind["kind"]: [item["subject"] for item in kind["items"]]
        for kind in found
        if kind["application"] == "habitat"
    }


def post(client, world, role, path, **form):
    return client.post(path, data=form, headers=headers(world, role), follow_redirects=False)


def test_a_subsidy_goes_through_the_pages_from_application_to_payment(client, world):
    village = world.place.village
    refused = post(
        client,
        world,
        Role.GRID_WORKER,
        "/habitat/toilets/apply",
        region_code=village,
        household_number="0088",
        head_name="罗永福",
        kind="三格式",
    )
    assert refused.status_code == 403
    applied = post(
        client,
        world,
        Role.VILLAGE_CADRE,
        "/habitat/toilets/apply",
        region_code=village,
        household_number="0088",
        head_name="罗永福",
        kind="三格式",
    )
    assert applied.status_code == 303
    assert waiting(client, world, Role.GRID_WORKER) == {"visit": ["罗永福户（0088）"]}

    form = client.get(
        "/habitat/toilets/visit?household=0088", headers=headers(world, Role.GRID_WORKER)
    )
    assert form.status_code == 200 and 'value="0088"' in form.text
    visited = post(
        client,
        world,
        Role.GRID_WORKER,
        "/habitat/toilets/visit",
        region_code=village,
        household_number="0088",
        kind="三格式",
        in_use="1",
    )
    assert visited.headers["location"] == "/habitat/toilets/visit?done=built"
    assert waiting(client, world, Role.GRID_WORKER) == {}
    assert waiting(client, world, Role.TOWN_OFFICER) == {"accept": ["罗永福户（0088）"]}

    listed = client.get("/habitat/toilets?status=built", headers=headers(world, Role.TOWN_OFFICER))
    subsidy_id = listed.text.split('name="subsidy_id" value="')[1].split('"')[0]
    too_early = post(
        client,
        world,
        Role.DISTRICT_OFFICER,
        "/habitat/toilets/step",
        subsidy_id=subsidy_id,
        action="pay",
    )
    assert too_early.status_code == 422 and "不能补助发放" in too_early.text
    accepted = post(
        client,
        world,
        Role.TOWN_OFFICER,
        "/habitat/toilets/step",
        subsidy_id=subsidy_id,
        action="accept",
    )
    assert accepted.status_code == 303
    assert waiting(client, world, Role.DISTRICT_OFFICER)["pay"] == ["罗永福户（0088）"]
    paid = post(
        client,
        world,
        Role.DISTRICT_OFFICER,
        "/habitat/toilets/step",
        subsidy_id=subsidy_id,
        action="pay",
    )
    assert paid.status_code == 303
    page = client.get("/habitat/toilets?done=pay", headers=headers(world, Role.DISTRICT_OFFICER))
    assert "补助已发放" in page.text and "1000.00" in page.text


@pytest.mark.parametrize(
    "path", ["/habitat", "/habitat/water", "/habitat/settlements", "/habitat/toilets"]
)
@pytest.mark.parametrize(
    "role", [Role.CITY_ADMIN, Role.TOWN_OFFICER, Role.GRID_WORKER], ids=lambda role: role.value
)
def test_the_pages_open_for_the_officials(client, world, path, role):
    page = client.get(path, headers=headers(world, role))
    assert page.status_code == 200


def test_the_water_list_shows_each_body_by_its_latest_test_inside_the_scope(client, world):
    page = client.get("/habitat/water?status=black", headers=headers(world, Role.TOWN_OFFICER)).text
    assert "WB001" in page and "WB002" not in page and "WB010" not in page
    chart = client.get("/habitat", headers=headers(world, Role.CITY_ADMIN)).text
    assert 'id="habitat-chart"' in chart and "/static/vendor/echarts.min.js" in chart


def test_the_menu_offers_habitat_to_officials_only(client, world):
    assert 'href="/habitat"' in client.get("/", headers=headers(world, Role.TOWN_OFFICER)).text
    assert 'href="/habitat"' not in client.get("/", headers=headers(world, Role.BANK_VIEWER)).text
