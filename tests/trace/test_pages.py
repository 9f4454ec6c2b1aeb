"""The producer's pages: the certificate offered only when the batch can have one, a refused
event shown again with what was typed, what comes next after each action, the QR label, and
no write form for a read-only role."""

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from tests.factories import add_user
from tests.trace.factories import (
    SYSTEM,
    add_batch,
    grow_and_harvest,
    make_trace_world,
    record,
)
from yunong.core.auth import service as users
from yunong.core.auth.roles import Role
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.web.app import create_app

pytestmark = pytest.mark.db


@dataclass
class Built:
    codes: dict[str, str]
    tokens: dict[str, str]
    product_id: int


@pytest.fixture(scope="module")
def built(module_db_url):
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        world = make_trace_world(session)
        codes = {}
        for lot in ("growing", "harvested", "failed", "unplanted", "to-harvest", "to-certify"):
            batch = add_batch(session, world.product, lot=lot.upper()[:20])
            codes[lot] = batch.code
            if lot in ("growing", "to-harvest"):
                record(session, batch, "planting", "2024-03-05 08:00")
            if lot in ("harvested", "to-certify"):
                grow_and_harvest(session, batch)
            if lot == "failed":
                grow_and_harvest(session, batch, inspection="fail")
        bank = add_user(session, "bank_wanzhou", Role.BANK_VIEWER, world.place.district)
        tokens = {
            "owner": world.producer_token,
            "stranger": users.create_token(session, scope=SYSTEM, user_id=world.stranger_user),
            "bank": users.create_token(session, scope=SYSTEM, user_id=bank.id),
        }
        product_id = world.product.id
    engine.dispose()
    return Built(codes, tokens, product_id)


@pytest.fixture(scope="module")
def app(module_db_url, built, tmp_path_factory):
    return create_app(Settings(db_url=module_db_url, var_dir=tmp_path_factory.mktemp("var")))


def client(app, built: Built, who: str) -> TestClient:
    caller = TestClient(app)
    caller.headers["Authorization"] = f"Bearer {built.tokens[who]}"
    return caller


def batch_page(app, built: Built, who: str, lot: str) -> str:
    response = client(app, built, who).get(f"/trace/batches/{built.codes[lot]}")
    assert response.status_code == 200, response.text[:300]
    return response.text


def test_a_harvested_batch_that_passed_offers_the_certificate_button(app, built):
    text = batch_page(app, built, "owner", "harvested")
    assert 'id="certificate-form"' in text and "开具合格证" in text
    assert 'id="certificate-missing"' not in text


def test_a_batch_not_harvested_has_no_certificate_button_and_says_the_harvest_is_missing(
    app, built
):
    text = batch_page(app, built, "owner", "growing")
    assert 'id="certificate-form"' not in text
    assert "还不能开具合格证：尚未记录采收/出栏" in text


def test_a_batch_whose_inspection_failed_has_no_certificate_button_and_says_why(app, built):
    text = batch_page(app, built, "owner", "failed")
    assert 'id="certificate-form"' not in text
    assert "最近一次检测不合格：重新检测合格后才能开具" in text


def test_a_harvest_before_any_planting_keeps_the_input_and_says_planting_comes_first(app, built):
    code = built.codes["unplanted"]
    response = client(app, built, "owner").post(
        f"/trace/batches/{code}/events",
        data={"step": "harvest", "event_time": "2024-11-05T07:00", "note": "东坡第三块地"},
    )
    assert response.status_code == 422
    assert "须先记录种植/养殖" in response.text
    assert '<option value="harvest" selected>' in response.text
    assert 'value="2024-11-05T07:00"' in response.text
    assert 'value="东坡第三块地"' in response.text


def test_a_refused_event_is_not_recorded(app, built):
    code = built.codes["unplanted"]
    owner = client(app, built, "owner")
    owner.post(
        f"/trace/batches/{code}/events",
        data={"step": "packing", "event_time": "2024-11-06T07:00"},
    )
    assert "尚无追溯记录" in owner.get(f"/trace/batches/{code}").text


def test_recording_the_harvest_says_so_and_that_the_certificate_comes_next(app, built):
    code = built.codes["to-harvest"]
    response = client(app, built, "owner").post(
        f"/trace/batches/{code}/events",
        data={"step": "harvest", "event_time": "2024-11-05T07:00"},
    )
    assert response.status_code == 200 and response.url.params["done"] == "harvest"
    assert "已记录采收/出栏。下一步：开具承诺达标合格证。" in response.text


def test_issuing_the_certificate_says_so_and_that_printing_comes_next(app, built):
    code = built.codes["to-certify"]
    response = client(app, built, "owner").post(
        f"/trace/batches/{code}/certificate", data={"basis": "委托检测"}
    )
    assert "已开具承诺达标合格证。下一步：打印合格证和二维码标签，随货附上。" in response.text
    assert f"/api/trace/batches/{code}/certificate.pdf?size=a4" in response.text


def test_a_new_batch_says_it_was_issued_and_that_planting_comes_next(app, built):
    response = client(app, built, "owner").post(
        "/trace/batches",
        data={
            "product_id": str(built.product_id),
            "lot": "NEW-1",
            "produced_on": "2024-11-10",
            "quantity": "800",
            "unit": "公斤",
        },
    )
    assert response.status_code == 200 and response.url.path.startswith("/trace/batches/")
    assert "已签发批次码。下一步：记录种植/养殖。" in response.text


def test_the_batch_page_previews_the_qr_label_with_a_print_button(app, built):
    code = built.codes["harvested"]
    text = batch_page(app, built, "owner", "harvested")
    assert f'<img src="/api/trace/batches/{code}/qr.svg"' in text
    assert 'id="print-label"' in text and '<script src="/static/trace-batch.js">' in text


def test_the_qr_image_is_served_to_the_owner(app, built):
    response = client(app, built, "owner").get(
        f"/api/trace/batches/{built.codes['growing']}/qr.svg"
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")


def test_the_qr_image_of_another_producers_batch_is_not_found(app, built):
    response = client(app, built, "stranger").get(
        f"/api/trace/batches/{built.codes['growing']}/qr.svg"
    )
    assert response.status_code == 404


def test_a_bank_viewer_is_not_offered_a_new_batch(app, built):
    response = client(app, built, "bank").get("/apps/trace")
    assert response.status_code == 200
    assert "新建批次" not in response.text and 'action="/trace/batches"' not in response.text


def test_a_bank_viewer_sees_the_batch_without_event_or_certificate_forms(app, built):
    code = built.codes["harvested"]
    text = batch_page(app, built, "bank", "harvested")
    assert "追溯记录" in text and "采收/出栏" in text
    assert f'action="/trace/batches/{code}/events"' not in text
    assert f'action="/trace/batches/{code}/certificate"' not in text
    assert "还不能开具" not in text
