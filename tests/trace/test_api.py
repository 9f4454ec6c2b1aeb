"""The trace API over HTTP: producers' tokens on their own products, public scans without login."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.trace.factories import (
    SYSTEM,
    add_batch,
    add_product,
    grow_and_harvest,
    make_trace_world,
    record,
)
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.trace import certificates, producers, scans
from yunong.trace.models import Batch
from yunong.trace.web_state import public_state
from yunong.web.app import create_app

PERSONAL = ("张建国", "13912345678", "李秀英")


@pytest.fixture(scope="module")
def built(module_db_url):
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        world = make_trace_world(session)
        batch = add_batch(session, world.product)
        grow_and_harvest(session, batch)
        certificates.issue(session, scope=SYSTEM, code=batch.code)
        add_batch(session, world.product, lot="SP2024-12")
        foreign = add_batch(session, world.other_product)
        household_code = identity.create(
            session,
            scope=SYSTEM,
            kind=Kind.SUBJECT,
            region_code=world.place.village,
            entity_type="household",
            entity_id="H1",
        )
        household = producers.create(
            session,
            scope=SYSTEM,
            producer_in=producers.ProducerIn(
                name="李秀英",
                kind="农户",
                region_code=world.place.village,
                household_code=household_code,
                contact_name="李秀英",
                contact_phone="13700001111",
            ),
        )
        own_oranges = add_product(session, household, name="自家柑橘", gtin=None)
        home = add_batch(session, own_oranges)
        record(session, home, "planting", "2024-03-01 08:00")
        codes = {"batch": batch.code, "foreign": foreign.code, "home": home.code}
    engine.dispose()
    return world, codes


def make_client(module_db_url, tmp_path_factory, **settings):
    app = create_app(
        Settings(db_url=module_db_url, var_dir=tmp_path_factory.mktemp("var"), **settings)
    )
    return TestClient(app)


@pytest.fixture(scope="module")
def client(module_db_url, built, tmp_path_factory):
    with make_client(module_db_url, tmp_path_factory) as client:
        yield client


def as_producer(client, built):
    world, _ = built
    return {"Authorization": f"Bearer {world.producer_token}"}


def test_a_producer_token_creates_a_batch_of_its_own_product(client, built):
    world, _ = built
    response = client.post(
        "/api/trace/batches",
        json={
            "product_id": world.plain_product.id,
            "lot": "API-1",
            "produced_on": "2024-11-10",
            "quantity": "120.5",
            "unit": "公斤",
        },
        headers=as_producer(client, built),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["code"].startswith("T500101108201")
    assert body["address"] == f"https://yunong.example.cn/c/{body['code']}"


def test_a_producer_token_does_not_find_another_producers_batch(client, built):
    _, codes = built
    response = client.get(
        f"/api/trace/batches/{codes['foreign']}", headers=as_producer(client, built)
    )
    assert response.status_code == 404
    assert "凤阳" not in response.text


def test_a_producer_token_cannot_make_batches_of_another_producers_product(client, built):
    world, _ = built
    response = client.post(
        "/api/trace/batches",
        json={
            "product_id": world.other_product.id,
            "lot": "X-1",
            "produced_on": "2024-11-10",
            "quantity": "1",
            "unit": "公斤",
        },
        headers=as_producer(client, built),
    )
    assert response.status_code == 404


def test_an_out_of_order_event_is_refused_with_its_reason(client, built):
    _, codes = built
    response = client.post(
        f"/api/trace/batches/{codes['batch']}/events",
        json={"step": "planting", "event_time": "2024-11-20T08:00:00+08:00"},
        headers=as_producer(client, built),
    )
    assert response.status_code == 422
    assert "晚于已记录的采收/出栏" in response.json()["detail"]


def test_the_api_without_a_token_is_refused(client, built):
    _, codes = built
    assert client.get(f"/api/trace/batches/{codes['batch']}").status_code == 401


def test_the_public_json_needs_no_login_and_holds_no_personal_data(client, built):
    _, codes = built
    for code in (codes["batch"], codes["home"]):
        response = client.get(f"/api/trace/public/{code}")
        assert response.status_code == 200
        assert not any(text in response.text for text in PERSONAL)
    home = client.get(f"/api/trace/public/{codes['home']}").json()
    assert home["producer"] == "农户"
    assert home["origin"] == ["万州区", "龙沙镇", "石坪村"]


def test_the_scan_page_opens_at_the_code_address_and_at_the_digital_link(client, built):
    world, codes = built
    by_code = client.get(f"/c/{codes['batch']}")
    by_link = client.get(f"/01/{world.product.gtin}/10/SP2024-11")
    for page in (by_code, by_link):
        assert page.status_code == 200
        assert "石坪脐橙" in page.text and 'data-status="green"' in page.text
        assert not any(text in page.text for text in PERSONAL)


def test_an_unknown_code_has_no_scan_page(client):
    assert client.get("/c/T500101108201ZZZZZZX").status_code == 404


def test_scans_through_the_public_endpoints_are_counted(client, built, module_db_url):
    _, codes = built
    state = public_state(client.app)
    state.counter.take()
    for _ in range(3):
        client.get(f"/c/{codes['home']}")
    client.get(f"/api/trace/public/{codes['home']}")
    client.post(f"/api/trace/public/{codes['home']}/place", json={"lat": 30.81, "lon": 108.4})
    state.counter.flush(client.app.state.sessions)
    with transaction(client.app.state.sessions) as session:
        batch_id = session.execute(select(Batch.id).where(Batch.code == codes["home"])).scalar_one()
        assert scans.total_scans(session, batch_id) == 4


def test_public_endpoints_are_rate_limited_per_client(module_db_url, built, tmp_path_factory):
    _, codes = built
    with make_client(module_db_url, tmp_path_factory, public_rate_per_minute=3) as client:
        statuses = [client.get(f"/c/{codes['batch']}").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert client.get(f"/api/trace/public/{codes['batch']}").status_code == 429


def test_the_certificate_pdf_is_served_to_the_producer(client, built):
    _, codes = built
    response = client.get(
        f"/api/trace/batches/{codes['batch']}/certificate.pdf",
        params={"size": "60x40", "copies": 1},
        headers=as_producer(client, built),
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_the_batches_a_producer_sees_come_in_pages_newest_first(client, built):
    first = client.get(
        "/api/trace/batches", params={"per_page": 1}, headers=as_producer(client, built)
    )
    total = int(first.headers["X-Total-Count"])
    last = client.get(
        "/api/trace/batches",
        params={"per_page": 1, "page": total},
        headers=as_producer(client, built),
    )
    assert total >= 2 and len(first.json()) == len(last.json()) == 1
    assert 'rel="next"' in first.headers["Link"] and 'rel="next"' not in last.headers["Link"]
    assert first.json()[0]["code"] != last.json()[0]["code"]
