"""The first web app: health, OpenAPI, regions, 全农码 lookup and the home page."""

import re

import pytest
from fastapi.testclient import TestClient

from tests.factories import make_place
from yunong.core.identity import codes
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.demo.build import build
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.web.app import create_app


@pytest.fixture
def client(private_db_url):
    with TestClient(create_app(Settings(db_url=private_db_url))) as client:
        yield client


@pytest.fixture
def issued_code(private_db_url) -> str:
    engine = make_engine(private_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        place = make_place(session)
        household = identity.create(
            session,
            kind=Kind.SUBJECT,
            region_code=place.village,
            entity_type="household",
            entity_id="1",
        )
        parcel = identity.create(
            session, kind=Kind.LAND, region_code=place.village, entity_type="parcel", entity_id="1"
        )
        identity.link(session, from_code=household, relation="holds", to_code=parcel)
    engine.dispose()
    return household


def test_health_reports_the_database_backend(client, private_db_url):
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["database"] in private_db_url


def test_openapi_document_and_its_docs_page_are_served_locally(client):
    assert client.get("/api/openapi.json").json()["info"]["title"] == "渝农大脑 Yunong API"
    page = client.get("/api/docs").text
    assert "/static/vendor/swagger-ui-bundle.js" in page
    assert not re.search(r"https?://(?!127\.0\.0\.1)[^\"']*\.(js|css)", page)
    assert client.get("/static/vendor/swagger-ui-bundle.js").status_code == 200


def test_a_registered_code_resolves_with_its_region_and_links(client, issued_code):
    body = client.get(f"/api/codes/{issued_code}").json()
    assert body["kind_name"] == "人"
    assert body["region"]["name"] == "石坪村"
    assert [link["relation"] for link in body["links"]] == ["holds"]


def test_a_mistyped_code_is_a_422_with_the_reason(client, issued_code):
    typo = issued_code[:-1] + ("0" if issued_code[-1] != "0" else "1")
    response = client.get(f"/api/codes/{typo}")
    assert response.status_code == 422
    assert "校验位不符" in response.json()["detail"]


def test_an_unissued_code_is_a_404(client, issued_code):
    response = client.get(f"/api/codes/{codes.compose(Kind.FUND, '500101108201', 77)}")
    assert response.status_code == 404
    assert "尚未登记" in response.json()["detail"]


def test_regions_can_be_listed_by_level_and_scope(client, issued_code):
    body = client.get("/api/regions", params={"level": "village", "under": "500101108"}).json()
    assert [region["name"] for region in body] == ["石坪村", "复兴村"]


def test_an_unknown_region_is_a_404(client, issued_code):
    assert client.get("/api/regions/500199").status_code == 404


def test_home_page_lists_all_38_districts_with_counts(client, private_db_url):
    build(make_engine(private_db_url), scale_name="tiny")
    page = client.get("/").text
    assert page.count("<tr data-code=") == 38
    assert "万州区" in page and "彭水苗族土家族自治县" in page
