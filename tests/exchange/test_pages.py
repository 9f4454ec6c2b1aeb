"""The listing pages: the region's listings as a list, and a buyer registering and bidding on
a listing's page, refused in words when under the reserve."""

import pytest
from fastapi.testclient import TestClient

from tests.exchange.factories import uscc
from tests.exchange.test_auction import Clock, listing_body
from tests.factories import make_world
from tests.monitor.factories import headers
from yunong.core.auth.roles import Role
from yunong.exchange import views
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.web.app import create_app

pytestmark = pytest.mark.db


@pytest.fixture
def client(configured, tmp_path, monkeypatch):
    clock = Clock()
    clock.at(5)
    monkeypatch.setattr(views, "utcnow", clock)
    monkeypatch.setattr("yunong.exchange.api.utcnow", clock)
    with transaction(make_sessionmaker(make_engine(configured))) as session:
        world = make_world(session)
    with TestClient(create_app(Settings(db_url=configured, var_dir=tmp_path))) as client:
        yield client, world


def test_a_buyer_registers_and_bids_on_the_listings_page(client):
    client, world = client
    staff, buyer = headers(world, Role.DISTRICT_OFFICER), headers(world, Role.PRODUCER)
    listing_id = client.post(
        "/api/exchange/listings", headers=staff, json=listing_body(world)
    ).json()["id"]
    page = client.get(f"/exchange/listings/{listing_id}", headers=buyer).text
    assert f'action="/exchange/listings/{listing_id}/register"' in page

    form = {"bidder_name": "重庆渝丰农业开发有限公司", "bidder_id_code": uscc(5)}
    registered = client.post(f"/exchange/listings/{listing_id}/register", headers=buyer, data=form,
                             follow_redirects=False)  # fmt: skip
    assert registered.status_code == 303
    registration = client.get(f"/api/exchange/listings/{listing_id}", headers=buyer).json()[
        "own_number"
    ]
    assert registration == 1
    client.post("/api/exchange/registrations/1/deposit", headers=staff)
    refused = client.post(
        f"/exchange/listings/{listing_id}/bid", headers=buyer, data={"amount_yuan": "99000"}
    )
    assert refused.status_code == 422 and "首次出价不得低于起始价 100000.00 元" in refused.text
    placed = client.post(
        f"/exchange/listings/{listing_id}/bid",
        headers=buyer,
        data={"amount_yuan": "10万"},
        follow_redirects=False,
    )
    assert placed.status_code == 303
    shown = client.get(f"/exchange/listings/{listing_id}?done=bid", headers=buyer).text
    assert "100000.00" in shown and "（您）" in shown and "101000.00" in shown  # the next least bid


def test_the_listings_list_shows_the_regions_listings_with_their_state(client):
    client, world = client
    staff = headers(world, Role.DISTRICT_OFFICER)
    client.post("/api/exchange/listings", headers=staff, json=listing_body(world))
    page = client.get("/exchange/listings", headers=staff).text
    assert "WZ-TD-2024-0012" in page and "竞价中" in page
    other = client.get("/exchange/listings", headers=headers(world, Role.GRID_WORKER))
    assert other.status_code == 403
