"""产业大脑 in the browser's terms: the 菜篮子 page and the chain pages for the roles of its
menu, each inside its scope; warnings on the officers' 待办 until one records what was done."""

import re

import pytest
from fastapi.testclient import TestClient

from tests.factories import make_world
from tests.industry.factories import ratio_rows, week, write_csv
from tests.monitor.factories import headers
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.industry import importers
from yunong.industry.models import Warning
from yunong.policy import loader
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.web.app import create_app


@pytest.fixture(scope="module")
def world(module_db_url, tmp_path_factory):
    """The city's pig and corn prices with a dip below 6:1, 万州区's vegetable prices with a
    jump of 25 %, and two districts' pig slaughter."""
    folder = tmp_path_factory.mktemp("files")
    rows = ratio_rows([6.5, 5.8, 5.6, 5.4])
    rows += [[week(1).isoformat(), "蔬菜价格", "万州区", 4.0, "元/公斤", ""],
             [week(2).isoformat(), "蔬菜价格", "万州区", 5.0, "元/公斤", ""],
             ["2024-01", "生猪出栏量", "万州区", 900_000, "头", ""],
             ["2024-01", "生猪出栏量", "涪陵区", 500_000, "头", ""]]  # fmt: skip
    path = write_csv(folder / "series.csv", rows)
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        built = make_world(session)
        importers.import_file(session, scope=Scope.system("t"), path=path, pack=loader.get())
    engine.dispose()
    return built


@pytest.fixture(scope="module")
def client(module_db_url, world, tmp_path_factory):
    app = create_app(Settings(db_url=module_db_url, var_dir=tmp_path_factory.mktemp("var")))
    with TestClient(app) as client:
        yield client


def get(client, world, role: Role, path: str):
    return client.get(path, headers=headers(world, role))


def warning_ids(text: str) -> list[int]:
    return [int(found) for found in re.findall(r'id="warning-(\d+)"', text)]


def industry_todo(client, world, role: Role) -> int:
    work = client.get("/api/me/todo", headers=headers(world, role)).json()
    return sum(kind["total"] for kind in work if kind["application"] == "industry")


def test_the_basket_page_compares_the_city_with_its_floors(client, world):
    page = get(client, world, Role.CITY_ADMIN, "/industry")
    assert page.status_code == 200
    assert "菜篮子产品保供底线" in page.text and "生猪出栏量" in page.text
    # 140 万头 in January projects 1,680 of 1,800: 93.3 %.
    assert "1680.0" in page.text and "93.3%" in page.text
    assert 'id="ratio-chart"' in page.text and "/static/vendor/echarts.min.js" in page.text
    # The 菜篮子's own prices: the city has none of its own, so 万州区's stand for it.
    assert "蔬菜价格" in page.text and 'data-series="0"' in page.text


def test_a_chain_page_shows_its_series_districts_and_warnings(client, world):
    page = get(client, world, Role.CITY_ADMIN, "/industry/chains/pig")
    assert page.status_code == 200
    assert "生猪价格" in page.text and "涪陵区" in page.text and "猪粮比价" in page.text
    assert get(client, world, Role.CITY_ADMIN, "/industry/chains/beef").status_code == 404


def test_roles_outside_the_menu_are_refused(client, world):
    assert get(client, world, Role.VILLAGE_CADRE, "/industry").status_code == 403
    assert get(client, world, Role.BANK_VIEWER, "/industry").status_code == 200


def test_a_district_officer_sees_and_handles_only_its_district_warnings(
    client, world, module_db_url
):
    city = get(client, world, Role.CITY_ADMIN, "/industry/warnings").text
    district = get(client, world, Role.DISTRICT_OFFICER, "/industry/warnings").text
    assert len(warning_ids(city)) == 5  # three pig-grain weeks, the vegetable jump, the floor
    assert len(warning_ids(district)) == 1
    own = warning_ids(district)[0]
    city_only = next(i for i in warning_ids(city) if i != own)
    assert industry_todo(client, world, Role.DISTRICT_OFFICER) == 1

    sent = headers(world, Role.DISTRICT_OFFICER)
    refused = client.post(f"/industry/warnings/{city_only}/handle", data={"note": "已核实"},
                          headers=sent, follow_redirects=False)  # fmt: skip
    assert refused.status_code == 404
    empty = client.post(f"/industry/warnings/{own}/handle", data={"note": " "}, headers=sent)
    assert empty.status_code == 422 and "请填写处置情况" in empty.text
    bank_viewer = headers(world, Role.BANK_VIEWER)
    bank = client.post(f"/industry/warnings/{own}/handle", data={"note": "看过"},
                       headers=bank_viewer, follow_redirects=False)  # fmt: skip
    assert bank.status_code == 403
    done = client.post(f"/industry/warnings/{own}/handle", data={"note": "已组织调运平抑菜价"},
                       headers=sent, follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    assert industry_todo(client, world, Role.DISTRICT_OFFICER) == 0
    assert (
        "已组织调运平抑菜价" in get(client, world, Role.DISTRICT_OFFICER, "/industry/warnings").text
    )
    engine = make_engine(module_db_url)
    with make_sessionmaker(engine)() as session:
        handled = session.get(Warning, own)
        assert handled is not None and handled.handled_by == "district_officer_01"
    engine.dispose()


def test_the_warning_list_filters_by_chain_and_status(client, world):
    pig = get(client, world, Role.CITY_ADMIN, "/industry/warnings?category=pig").text
    assert len(warning_ids(pig)) == 4
    basket = get(client, world, Role.CITY_ADMIN, "/industry/warnings?category=菜篮子").text
    assert len(warning_ids(basket)) == 2
