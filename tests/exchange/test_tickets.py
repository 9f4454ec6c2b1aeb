"""A 地票 from a homestead parcel to the farmer's payment, each step by its role through the
API: the village receives the application, the district approves and accepts the
reclamation (the one map's cultivated land rises by the accepted area), the exchange
issues and auctions the ticket, and the net proceeds are paid by the pack's shares."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.exchange.factories import uscc
from tests.factories import add_user, make_world
from tests.land.factories import Plot, plot_code, plot_frame, rectangle, write
from tests.monitor.factories import headers
from yunong.core.auth import service as users
from yunong.core.auth.roles import Role
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.exchange import api, rules
from yunong.land import importers, summary
from yunong.land.indicators import land_figures
from yunong.land.models import Parcel
from yunong.policy import loader
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.web.app import create_app

pytestmark = pytest.mark.db

START = datetime(2024, 11, 4, 2, 0, tzinfo=UTC)
CONDITIONS = list(rules.section().land_ticket.conditions)
HOME_M2 = Decimal("400.00")  # 20 m × 20 m: over the 300 m² household cap


class Clock:
    def __init__(self) -> None:
        self.now = START + timedelta(minutes=5)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def ticket_world(configured, tmp_path, monkeypatch):
    clock = Clock()
    monkeypatch.setattr(api, "utcnow", clock)
    engine = make_engine(configured)
    with transaction(make_sessionmaker(engine)) as session:
        world = make_world(session)
        village = world.place.village
        items = [
            Plot(plot_code(village, 1), village, rectangle(1)),
            Plot(plot_code(village, 2), village, rectangle(2, width=20, height=20),
                 DKLX="宅基地", DLBM="0702", ZZSX=""),
        ]  # fmt: skip
        path = write(plot_frame(items), tmp_path / "parcels.gpkg")
        importers.import_file(session, scope=Scope.system("t"), path=path, layer="parcels")
        home = session.scalars(select(Parcel.code).where(Parcel.kind == "homestead")).one()
        buyer = add_user(session, "dipiao_buyer", Role.PRODUCER, village)
        token = users.create_token(session, scope=Scope.system("t"), user_id=buyer.id)
    summary.refresh(engine, pack=loader.get())
    client = TestClient(create_app(Settings(db_url=configured, var_dir=tmp_path)))
    with client:
        yield client, world, home, {"Authorization": f"Bearer {token}"}, engine, clock
    engine.dispose()


def cultivated_mu(engine, village) -> float:
    with transaction(make_sessionmaker(engine)) as session:
        return land_figures(session, scope=Scope.system("t"), level=Level.VILLAGE)[
            village
        ].cultivated


def test_a_land_ticket_goes_from_a_homestead_to_the_farmers_payment(ticket_world):
    client, world, home, buyer, engine, clock = ticket_world
    village, district = headers(world, Role.VILLAGE_CADRE), headers(world, Role.DISTRICT_OFFICER)
    before = cultivated_mu(engine, world.place.village)

    refused = client.post("/api/exchange/tickets", headers=village,
                          json={"parcel_code": home, "conditions": CONDITIONS[:-1]})  # fmt: skip
    assert refused.status_code == 422 and "不符合地票申请条件" in refused.json()["detail"]
    applied = client.post("/api/exchange/tickets", headers=village,
                          json={"parcel_code": home, "conditions": CONDITIONS})  # fmt: skip
    assert applied.status_code == 201, applied.text
    case = applied.json()["id"]
    assert client.post(f"/api/exchange/tickets/{case}/approve", headers=village).status_code == 403
    assert (
        client.post(f"/api/exchange/tickets/{case}/approve", headers=district).json()["step"]
        == "approved"
    )
    reclaimed = {"accepted_m2": str(HOME_M2), "reclamation_cost_yuan": "12000"}
    accepted = client.post(f"/api/exchange/tickets/{case}/accept", headers=district, json=reclaimed)
    assert accepted.json()["step"] == "accepted"
    assert cultivated_mu(engine, world.place.village) == pytest.approx(
        before + 400 * 15 / 10000, abs=1e-4
    )

    issued = client.post(f"/api/exchange/tickets/{case}/issue", headers=district, json={
        "reserve_yuan": "100000", "increment_yuan": "1000", "deposit_yuan": "10000",
        "starts_at": START.isoformat(), "ends_at": (START + timedelta(minutes=60)).isoformat(),
    }).json()  # fmt: skip
    listing = issued["listing_id"]
    company = {"bidder_name": "重庆渝开发置业有限公司", "bidder_id_code": uscc(9)}
    registration = client.post(
        f"/api/exchange/listings/{listing}/registrations", headers=buyer, json=company
    ).json()
    client.post(f"/api/exchange/registrations/{registration['id']}/deposit", headers=district)
    placed = client.post(
        f"/api/exchange/listings/{listing}/bids", headers=buyer, json={"amount_yuan": "120000"}
    )
    assert placed.status_code == 201, placed.text

    clock.now = START + timedelta(minutes=70)
    paid = client.post(f"/api/exchange/tickets/{case}/pay", headers=district, json={
        "farmer_account": "6228480402564890018", "collective_account": "6228480402564890026"
    }).json()  # fmt: skip
    # Net 120,000 − 12,000 = 108,000; the farmer's 85 % on 300 of the 400 m²: 68,850.
    assert [(p["payee"], p["amount_yuan"]) for p in paid["payments"]] == [
        ("farmer", "68850.00"), ("collective", "39150.00")
    ]  # fmt: skip
    assert paid["payments"][0]["account"] == "***************0018"
    assert paid["step"] == "paid" and paid["price_yuan"] == "120000.00"

    timeline = client.get(f"/api/exchange/parcels/{home}/tickets", headers=village).json()
    assert [t["step"] for t in timeline] == ["paid"]
    assert all(timeline[0][day] for day in ("applied_on", "approved_on", "accepted_on", "paid_on"))
    assert timeline[0]["ticket_code"] and timeline[0]["listing_id"] == listing
