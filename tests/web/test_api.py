"""The core API: health, OpenAPI, regions and 全农码 lookup, as a logged-in city administrator."""

import re

import pytest
from fastapi.testclient import TestClient

from tests.factories import make_world
from yunong.core.auth.roles import Role
from yunong.core.identity import codes
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.core.scope import Scope
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.web.app import create_app


@pytest.fixture(scope="module")
def world(module_db_url):
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        world = make_world(session)
        parcel = identity.create(
            session,
            scope=Scope.system("test"),
            kind=Kind.LAND,
            region_code=world.place.village,
            entity_type="parcel",
            entity_id="1",
        )
        identity.link(
            session,
            scope=Scope.system("test"),
            from_code=world.code_in_village,
            relation="holds",
            to_code=parcel,
        )
    engine.dispose()
    return world


@pytest.fixture(scope="module")
def client(module_db_url, world, tmp_path_factory):
    settings = Settings(db_url=module_db_url, var_dir=tmp_path_factory.mktemp("var"))
    with TestClient(create_app(settings)) as client:
        client.headers["Authorization"] = f"Bearer {world.accounts[Role.CITY_ADMIN].token}"
        yield client


def test_health_needs_no_login_and_names_the_backend(client, module_db_url):
    body = client.get("/api/health", headers={"Authorization": ""}).json()
    assert body["status"] == "ok"
    assert body["database"] in module_db_url


def test_openapi_document_and_its_docs_page_are_served_locally(client):
    assert client.get("/api/openapi.json").json()["info"]["title"] == "渝农大脑 Yunong API"
    page = client.get("/api/docs").text
    assert "/static/vendor/swagger-ui-bundle.js" in page
    assert not re.search(r"https?://(?!127\\.0\\.0\\.1)[^\"']*\\.(js|css)", page)
    assert client.get("/static/vendor/swagger-ui-bundle.js").status_code == 200


def test_a_registered_code_resolves_with_its_region_and_links(client, world):
    body = client.get(f"/api/codes/{world.code_in_village}").json()
    assert body["kind_name"] == "人"
    assert body["region"]["name"] == "石坪村"
    assert [link["relation"] for link in body["links"]] == ["holds"]


def test_a_mistyped_code_is_a_422_with_the_reason(client, world):
    code = world.code_in_village
    typo = code[:-1] + ("0" if code[-1] != "0" else "1")
    response = client.get(f"/api/codes/{typo}")
    assert response.status_code == 422
    assert "校验位不符" in response.json()["detail"]


def test_an_unissued_code_is_a_404(client):
    response = client.get(f"/api/codes/{codes.compose(Kind.FUND, '500101108201', 77)}")
    assert response.status_code == 404
    assert "尚未登记" in response.json()["detail"]


def test_regions_can_be_listed_by_level_and_scope(client):
    body = client.get("/api/regions", params={"level": "village", "under": "500101108"}).json()
    assert [region["name"] for region in body] == ["石坪村", "复兴村"]


def test_an_unknown_region_is_a_404(client):
    assert client.get("/api/regions/500199").status_code == 404


def test_without_login_the_api_answers_401_in_chinese(client):
    response = client.get("/api/regions", headers={"Authorization": ""})
    assert response.status_code == 401
    assert response.json()["detail"] == "请先登录"


def test_home_page_lists_all_38_districts_with_counts(tiny_demo_url, tmp_path):
    with TestClient(create_app(Settings(db_url=tiny_demo_url, var_dir=tmp_path))) as anonymous:
        page = anonymous.get("/").text
    assert page.count("<tr data-code=") == 38
    assert "万州区" in page and "彭水苗族土家族自治县" in page


@pytest.fixture(scope="module")
def monitored_household(module_db_url, world):
    """A household of the village with a 防返贫 case linked to it."""
    system = Scope.system("test")
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        household, case = (
            identity.create(
                session, scope=system, kind=kind, region_code=world.place.village,
                entity_type=entity_type, entity_id="901",
            )
            for kind, entity_type in ((Kind.SUBJECT, "household"), (Kind.EVENT, "monitor_case"))
        )  # fmt: skip
        identity.link(session, scope=system, from_code=household, relation="case", to_code=case)
    engine.dispose()
    return household, case


def as_role(world, role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.accounts[role].token}"}


@pytest.mark.parametrize("role", [Role.BANK_VIEWER, Role.PRODUCER, Role.COLLECTIVE_ACCOUNTANT])
def test_a_role_without_monitoring_is_not_told_which_households_have_a_case(
    client, world, monitored_household, role
):
    household, case = monitored_household
    body = client.get(f"/api/codes/{household}", headers=as_role(world, role)).json()
    assert body["links"] == []
    assert client.get(f"/api/codes/{case}", headers=as_role(world, role)).status_code == 404


def test_a_household_code_lookup_is_audited_with_who_looked(client, world, monitored_household):
    household, _ = monitored_household
    client.get(f"/api/codes/{household}", headers=as_role(world, Role.GRID_WORKER))
    trail = client.get("/api/audit", params={"limit": 50}).json()
    assert any(
        entry["action"] == "code.view_personal"
        and entry["actor"] == world.accounts[Role.GRID_WORKER].name
        and entry["target_id"] == household
        for entry in trail
    )
