"""An open ascending auction driven through the API by several buyers: bids under the reserve
or the increment, from the leader, from the unqualified and the unregistered are refused
with the rule named; a tie goes to the earlier bid; late bids extend the end; the listing
closes at its time with the last valid bid; the losers' deposits are returned; and the
parcels' management right passes to the winner on the start date."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.exchange.factories import uscc
from tests.factories import add_user, make_world
from tests.monitor.factories import headers
from yunong.core.auth import service as users
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.exchange import api, auction
from yunong.exchange.models import Listing, Registration
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.web.app import create_app

pytestmark = pytest.mark.db

START = datetime(2024, 9, 2, 2, 0, tzinfo=UTC)  # 10:00 in Chongqing
RIGHTS_START = date(2024, 10, 1)
PARCELS = ["500101108201J0001", "500101108201J0002"]


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def at(self, minutes: float) -> None:
        self.now = START + timedelta(minutes=minutes)


@pytest.fixture
def auction_world(configured, tmp_path, monkeypatch):
    clock = Clock()
    monkeypatch.setattr(api, "utcnow", clock)
    engine = make_engine(configured)
    with transaction(make_sessionmaker(engine)) as session:
        world = make_world(session)
        buyers = {}
        for name in ("buyer_a", "buyer_b", "buyer_c", "buyer_d"):
            user = add_user(session, name, Role.PRODUCER, world.place.village)
            token = users.create_token(session, scope=Scope.system("t"), user_id=user.id)
            buyers[name] = {"Authorization": f"Bearer {token}"}
    client = TestClient(create_app(Settings(db_url=configured, var_dir=tmp_path)))
    with client:
        yield client, world, buyers, clock, engine
    engine.dispose()


def listing_body(world):
    return {
        "code": "WZ-TD-2024-0012",
        "kind": "land_management",
        "title": "龙沙镇石坪村3组耕地经营权 10 年",
        "region_code": world.place.village,
        "seller": "石坪村股份经济合作联合社",
        "area_mu": "86.5",
        "reserve_yuan": "100000",
        "increment_yuan": "1000",
        "deposit_yuan": "5000",
        "starts_at": START.isoformat(),
        "ends_at": (START + timedelta(minutes=60)).isoformat(),
        "term_years": 10,
        "rights_start": RIGHTS_START.isoformat(),
        "parcels": PARCELS,
    }


def bid(client, buyer, listing_id, amount):
    return client.post(
        f"/api/exchange/listings/{listing_id}/bids",
        headers=buyer,
        json={"amount_yuan": str(amount)},
    )


def test_an_auction_runs_by_its_rules_from_listing_to_the_transfer_of_the_right(auction_world):
    client, world, buyers, clock, engine = auction_world
    staff = headers(world, Role.DISTRICT_OFFICER)
    created = client.post("/api/exchange/listings", headers=staff, json=listing_body(world))
    assert created.status_code == 201, created.text
    listing_id = created.json()["id"]

    numbers = {}
    for name, code in (("buyer_a", uscc(1)), ("buyer_b", uscc(2)), ("buyer_c", uscc(3))):
        answer = client.post(
            f"/api/exchange/listings/{listing_id}/registrations",
            headers=buyers[name],
            json={"bidder_name": f"重庆{name[-1]}农业公司", "bidder_id_code": code},
        )
        assert answer.status_code == 201, answer.text
        numbers[name] = answer.json()
    for name in ("buyer_a", "buyer_b"):
        confirmed = client.post(
            f"/api/exchange/registrations/{numbers[name]['id']}/deposit", headers=staff
        )
        assert confirmed.json()["qualified"] is True

    clock.at(1)
    refusals = [
        (bid(client, buyers["buyer_a"], listing_id, 99000), "首次出价不得低于起始价 100000.00 元"),
    ]
    assert bid(client, buyers["buyer_a"], listing_id, 100000).json()["sequence"] == 1
    refusals += [
        (bid(client, buyers["buyer_b"], listing_id, 100500), "即 101000.00 元"),
    ]
    assert bid(client, buyers["buyer_b"], listing_id, 101000).json()["sequence"] == 2
    refusals += [
        # A tie: the same amount a second later is under the increment; the first stands.
        (bid(client, buyers["buyer_a"], listing_id, 101000), "最小加价幅度"),
        (bid(client, buyers["buyer_b"], listing_id, 102000), "您已是当前最高出价者"),
        (bid(client, buyers["buyer_c"], listing_id, 105000), "保证金到账后方可出价"),
        (bid(client, buyers["buyer_d"], listing_id, 105000), "您未报名此标的"),
    ]
    for answer, rule in refusals:
        assert answer.status_code == 422 and rule in answer.json()["detail"], answer.text

    clock.at(57)  # 3 minutes before the end: extended to 5 minutes after this bid
    late = bid(client, buyers["buyer_a"], listing_id, 102000).json()
    assert datetime.fromisoformat(late["ends_at"]) == START + timedelta(minutes=62)
    clock.at(61)
    later = bid(client, buyers["buyer_b"], listing_id, 103000).json()
    assert datetime.fromisoformat(later["ends_at"]) == START + timedelta(minutes=66)

    clock.at(66.01)
    too_late = bid(client, buyers["buyer_a"], listing_id, 110000)
    assert too_late.status_code == 422 and "竞价已于" in too_late.json()["detail"]

    seen = client.get(f"/api/exchange/listings/{listing_id}", headers=buyers["buyer_a"]).json()
    assert (seen["status"], seen["price_yuan"], seen["winner"]) == (
        "sold",
        "103000.00",
        numbers["buyer_b"]["number"],
    )
    assert datetime.fromisoformat(seen["ends_at"]) == START + timedelta(minutes=66)
    assert [(b["sequence"], b["bidder"], b["amount_yuan"]) for b in seen["bids"]] == [
        (1, 1, "100000.00"), (2, 2, "101000.00"), (3, 1, "102000.00"), (4, 2, "103000.00")
    ]  # fmt: skip
    assert seen["own_number"] == 1 and "重庆b农业公司" not in str(seen)

    with transaction(make_sessionmaker(engine)) as session:
        returned = {
            r.number: r.deposit_returned_at is not None
            for r in session.scalars(select(Registration).order_by(Registration.number))
        }
        before = auction.holder_on(
            session, parcel_code=PARCELS[0], day=RIGHTS_START - timedelta(days=1)
        )
        on_start = auction.holder_on(session, parcel_code=PARCELS[1], day=RIGHTS_START)
        holder = on_start.holder if on_start else None
        ends = on_start.ends_on if on_start else None
    assert returned == {1: True, 2: False, 3: False}
    assert before is None and holder == "重庆b农业公司" and ends == date(2034, 10, 1)


def test_the_closing_job_closes_an_auction_without_bids_and_lists_it_again_lower(auction_world):
    client, world, buyers, clock, engine = auction_world
    created = client.post(
        "/api/exchange/listings",
        headers=headers(world, Role.DISTRICT_OFFICER),
        json=listing_body(world),
    )
    assert created.status_code == 201
    with transaction(make_sessionmaker(engine)) as session:
        closed = auction.close_due(
            session, rules=auction_rules(), now=START + timedelta(minutes=61)
        )
        assert [listing.status for listing in closed] == ["unsold"]
        again = session.scalars(select(Listing).where(Listing.relisted_from.is_not(None))).one()
        assert (again.code, again.reserve_yuan) == ("WZ-TD-2024-0012-R1", Decimal("90000.00"))


def test_a_bidder_for_a_land_ticket_must_be_an_organisation(auction_world):
    client, world, buyers, clock, engine = auction_world
    body = listing_body(world) | {
        "code": "DP-2024-01",
        "kind": "land_ticket",
        "term_years": None,
        "parcels": [],
    }
    listing_id = client.post(
        "/api/exchange/listings", headers=headers(world, Role.DISTRICT_OFFICER), json=body
    ).json()["id"]
    answer = client.post(
        f"/api/exchange/listings/{listing_id}/registrations",
        headers=buyers["buyer_a"],
        json={"bidder_name": "张三", "bidder_id_code": "500101199001011237"},
    )
    assert answer.status_code == 422 and "只允许组织竞买" in answer.json()["detail"]


def auction_rules():
    from yunong.exchange import rules

    return rules.section()


def sell_to_buyer_a(client, world, buyers, clock) -> int:
    staff = headers(world, Role.DISTRICT_OFFICER)
    listing_id = client.post(
        "/api/exchange/listings", headers=staff, json=listing_body(world)
    ).json()["id"]
    registration = client.post(
        f"/api/exchange/listings/{listing_id}/registrations",
        headers=buyers["buyer_a"],
        json={"bidder_name": "重庆a农业公司", "bidder_id_code": uscc(1)},
    ).json()
    client.post(f"/api/exchange/registrations/{registration['id']}/deposit", headers=staff)
    clock.at(10)
    assert bid(client, buyers["buyer_a"], listing_id, 100000).status_code == 201
    clock.at(61)
    assert (
        client.get(f"/api/exchange/listings/{listing_id}", headers=staff).json()["status"] == "sold"
    )
    return listing_id


def test_the_certificate_of_a_deal_is_verified_on_its_public_page_and_a_forged_code_is_refused(
    auction_world,
):
    from yunong.exchange.models import Certificate

    client, world, buyers, clock, engine = auction_world
    listing_id = sell_to_buyer_a(client, world, buyers, clock)
    with transaction(make_sessionmaker(engine)) as session:
        code = session.scalars(
            select(Certificate.code).where(Certificate.listing_id == listing_id)
        ).one()
    client.cookies.clear()
    real = client.get(f"/exchange/certificates/{code}")
    forged_code = code[:-1] + ("A" if code[-1] != "A" else "B")
    forged = client.get(f"/exchange/certificates/{forged_code}")
    not_a_certificate = client.get(f"/exchange/certificates/{world.code_in_village}")
    assert real.status_code == 200 and "真实有效" in real.text
    assert (
        "重庆a农业公司" in real.text
        and "100000.00" in real.text
        and "data:image/svg+xml" in real.text
    )
    assert forged.status_code == not_a_certificate.status_code == 404
    assert "不是有效的鉴证书编码" in forged.text and "重庆a农业公司" not in forged.text
