"""The 农事服务 pages: a farmer orders work on their own parcels (and only theirs) in 种粮宝, a
village cadre orders for a household of the village, the town's service centre dispatches,
confirms and records the work on the board and the order's page, a machine's position comes
from a phone, inside Chongqing and audited, and the one map marks parcels under trusteeship."""

import re
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.factories import make_world
from tests.monitor.factories import headers
from tests.services.factories import SYSTEM, add_machine, held_parcels
from yunong.core.audit.models import AuditRecord
from yunong.core.auth.roles import Role
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.land.models import Parcel
from yunong.services.models import (
    DryingBooking,
    DryingCentre,
    Machine,
    Order,
    Trusteeship,
    TrusteeshipParcel,
    WorkRecord,
)
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.web.app import create_app

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def world(module_db_url, tmp_path_factory):
    """石坪村: three parcels of the farmer's household, one of a neighbour's household, and a
    combine harvester of the town's cooperative, and a drying centre of 30 tonnes a day."""
    engine = make_engine(module_db_url)
    directory = tmp_path_factory.mktemp("parcels")
    with transaction(make_sessionmaker(engine)) as session:
        built = make_world(session)
        village = built.place.village
        neighbour = identity.create(
            session, scope=SYSTEM, kind=Kind.SUBJECT, region_code=village,
            entity_type="household", entity_id="neighbour",
        )  # fmt: skip
        built.own = held_parcels(session, built.place, built.code_in_village, directory)  # type: ignore[attr-defined]
        built.neighbours = held_parcels(session, built.place, neighbour, directory, numbers=(21,))  # type: ignore[attr-defined]
        built.neighbour = neighbour  # type: ignore[attr-defined]
        machine = add_machine(session, "J-LS-01", village)
        session.add(
            DryingCentre(
                code="HG-LS",
                name="龙沙烘干中心",
                region_code=village,
                longitude=108.41,
                latitude=30.80,
                tonnes_per_day=Decimal(30),
            )  # fmt: skip
        )
        session.add(
            Trusteeship(
                code="TG-LS-01",
                region_code=village,
                kind="full",
                profit_model="guaranteed",
                farmer="向德明",
                provider_id=machine.provider_id,
                year=2026,
                crop="水稻",
                area_mu=Decimal(9),
                fee_yuan_per_mu=Decimal(500),
                guaranteed_kg_per_mu=Decimal(450),
                price_yuan_per_kg=Decimal("2.8"),
            )  # fmt: skip
        )
        session.flush()
        contract = session.scalars(select(Trusteeship.id)).one()
        session.add(TrusteeshipParcel(contract_id=contract, parcel_code=built.own[2]))
    built.engine = engine  # type: ignore[attr-defined]
    yield built
    engine.dispose()


@pytest.fixture(scope="module")
def client(module_db_url, world, tmp_path_factory):
    app = create_app(Settings(db_url=module_db_url, var_dir=tmp_path_factory.mktemp("var")))
    with TestClient(app) as client:
        yield client


def order_form(parcels, earliest="2026-09-14", latest="2026-09-16", **extra):
    return {"operation": "收获", "parcels": parcels, "earliest": earliest, "latest": latest} | extra


def read(world, query):
    with transaction(make_sessionmaker(world.engine)) as session:
        return session.execute(query).all()


def test_a_farmer_orders_work_on_two_of_their_parcels_which_give_its_area(client, world):
    farmer = headers(world, Role.FARMER)
    placed = client.post(
        "/services/grower/orders",
        data=order_form(world.own[:2], price="80"),
        headers=farmer,
        follow_redirects=False,
    )
    assert placed.status_code == 303
    [(order,)] = read(world, select(Order).where(Order.price_yuan_per_mu == 80))
    assert (order.area_mu, order.holder_code, order.region_code) == (
        18,
        world.code_in_village,
        world.place.village,
    )
    page = client.get("/services/grower", headers=farmer).text
    assert order.code in page and "待派单" in page


def test_a_farmer_may_not_order_for_a_neighbours_parcel_and_the_refusal_is_recorded(client, world):
    refused = client.post(
        "/services/grower/orders",
        data=order_form([world.own[2], world.neighbours[0]]),
        headers=headers(world, Role.FARMER),
    )
    assert refused.status_code == 403
    assert read(world, select(Order).where(Order.holder_code == world.neighbour)) == []
    trail = read(world, select(AuditRecord.action, AuditRecord.actor))
    assert ("access.refused", world.accounts[Role.FARMER].name) in trail


def test_an_order_whose_window_ends_before_it_begins_is_refused_on_the_form_as_typed(client, world):
    answer = client.post(
        "/services/grower/orders",
        data=order_form([world.own[2]], earliest="2026-09-20", latest="2026-09-10"),
        headers=headers(world, Role.FARMER),
    )
    assert answer.status_code == 422
    assert "最晚日期不能早于最早日期" in answer.text
    assert 'value="2026-09-20"' in answer.text


def test_a_village_cadre_orders_for_a_household_of_the_village(client, world):
    cadre = headers(world, Role.VILLAGE_CADRE)
    form = client.get("/services/orders/new", params={"household": world.neighbour}, headers=cadre)
    assert world.neighbours[0] in form.text
    placed = client.post(
        "/services/orders",
        data=order_form(world.neighbours, household=world.neighbour, requester="冉光荣"),
        headers=cadre,
        follow_redirects=False,
    )
    assert placed.status_code == 303
    [(requester,)] = read(
        world, select(Order.requester).where(Order.holder_code == world.neighbour)
    )
    assert requester == "冉光荣"


def test_the_town_dispatches_confirms_and_records_the_work_on_every_parcel(client, world):
    day = "2026-10-08"
    town, cadre = headers(world, Role.TOWN_OFFICER), headers(world, Role.VILLAGE_CADRE)
    client.post(
        "/services/grower/orders",
        data=order_form(world.own[:2], earliest=day, latest=day),
        headers=headers(world, Role.FARMER),
    )
    [(code,)] = read(world, select(Order.code).where(Order.earliest == date(2026, 10, 8)))
    refused = client.post("/services/dispatch", data={"day": day}, headers=cadre)
    assert refused.status_code == 403
    board = client.post("/services/dispatch", data={"day": day}, headers=town)
    assert re.search(rf'data-order="{code}">.*?J-LS-01', board.text, re.S)
    client.post("/services/dispatch/confirm", data={"day": day}, headers=town)
    done = client.post(
        f"/services/orders/{code}/done", data={"done_on": day}, headers=town,
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303
    events = read(
        world,
        select(WorkRecord.parcel_code, WorkRecord.area_mu)
        .join(Order, Order.id == WorkRecord.order_id)
        .where(Order.code == code)
        .order_by(WorkRecord.parcel_code),
    )
    assert [(parcel, float(area)) for parcel, area in events] == [
        (world.own[0], 9.0),
        (world.own[1], 9.0),
    ]
    page = client.get("/services/grower", headers=headers(world, Role.FARMER)).text
    assert page.count("2026-10-08 收获 9.00 亩") == 2


def test_a_confirmed_assignment_shows_on_the_providers_page_and_in_the_farmers_orders(
    client, world
):
    day = "2026-10-12"
    town, farmer = headers(world, Role.TOWN_OFFICER), headers(world, Role.FARMER)
    client.post(
        "/services/grower/orders",
        data=order_form(world.own[2:], earliest=day, latest=day),
        headers=farmer,
    )
    [(code,)] = read(world, select(Order.code).where(Order.earliest == date(2026, 10, 12)))
    [(provider,)] = read(world, select(Machine.provider_id).where(Machine.code == "J-LS-01"))
    waiting = client.get("/services/dispatch", params={"day": day}, headers=town).text
    assert re.search(r'id="order-groups">.*?石坪村.*?收获.*?2026-10-12', waiting, re.S)
    client.post("/services/dispatch", data={"day": day}, headers=town)
    before = client.get(f"/services/providers/{provider}", params={"day": day}, headers=town)
    assert "J-LS-01" in before.text and code not in before.text
    client.post("/services/dispatch/confirm", data={"day": day}, headers=town)
    after = client.get(f"/services/providers/{provider}", params={"day": day}, headers=town)
    assert re.search(rf'data-order="{code}">.*?石坪村.*?9\.00', after.text, re.S)
    mine = client.get("/services/grower", headers=farmer).text
    shown = rf'{code}.*?已确认</td>\s*<td class="order-machine"><span translate="no">J-LS-01'
    assert re.search(rf"{shown}</span> · {day}", mine, re.S)


def test_a_machine_takes_its_position_from_a_phone_inside_chongqing_only(client, world):
    town = headers(world, Role.TOWN_OFFICER)
    outside = client.post(
        "/services/machines/J-LS-01/position",
        data={"lon": "116.40", "lat": "39.90", "accuracy": "12"},
        headers=town,
    )
    assert outside.status_code == 422 and "经度 116.4 不在重庆范围内" in outside.text
    moved = client.post(
        "/services/machines/J-LS-01/position",
        data={"lon": "108.412345", "lat": "30.801234", "accuracy": "12"},
        headers=town,
        follow_redirects=False,
    )
    assert moved.status_code == 303
    [(lon, lat)] = read(
        world, select(Machine.longitude, Machine.latitude).where(Machine.code == "J-LS-01")
    )
    assert (lon, lat) == (108.412345, 30.801234)
    trail = read(world, select(AuditRecord.action, AuditRecord.detail))
    assert ("services.machine_position", "手机定位，精度 12 米") in trail


def test_a_farmer_sees_only_their_own_page_and_officers_only_theirs(client, world):
    farmer, town = headers(world, Role.FARMER), headers(world, Role.TOWN_OFFICER)
    assert client.get("/apps/services", headers=farmer).status_code == 403
    assert client.get("/services/grower", headers=town).status_code == 403
    overview = client.get("/apps/services", headers=town).text
    assert re.search(r'id="today-dispatch">\d+ / \d+<', overview)


def test_the_one_map_marks_the_parcels_under_trusteeship_for_the_scope(client, world):
    [(west, south, east, north)] = read(
        world,
        select(func.min(Parcel.min_x), func.min(Parcel.min_y), func.max(Parcel.max_x),
               func.max(Parcel.max_y)).where(Parcel.code.in_(world.own)),
    )  # fmt: skip
    view = {"bbox": f"{west},{south},{east},{north}", "zoom": 15}
    shown = client.get("/api/land/map", params=view, headers=headers(world, Role.TOWN_OFFICER))
    features = shown.json()["services_trusteeship"]["features"]
    assert [(f["properties"]["parcel"], f["properties"]["state"]) for f in features] == [
        (world.own[2], "open")
    ]


def test_a_cadre_books_drying_for_a_household_waits_when_full_and_moves_up_on_a_cancel(
    client, world
):
    cadre = headers(world, Role.VILLAGE_CADRE)

    def book(tonnes, who):
        form = {"centre": "HG-LS", "day": "2026-09-20", "tonnes": tonnes, "requester": who}
        return client.post("/services/drying/bookings", data=form, headers=cadre)

    assert "烘干预约成功" in book("20", "向德明").text
    assert "已进入候补" in book("15", "冉光荣").text
    over = book("2000", "冉光荣")
    assert over.status_code == 422 and "一次预约最多 1000 吨" in over.text
    [(first,)] = read(world, select(DryingBooking.id).where(DryingBooking.requester == "向德明"))
    client.post(f"/services/drying/bookings/{first}/cancel", headers=cadre)
    assert read(world, select(DryingBooking.requester, DryingBooking.status)) == [
        ("冉光荣", "booked")
    ]


def test_a_farmer_books_drying_for_itself_from_the_grower_page_and_cancels_it(client, world):
    farmer = headers(world, Role.FARMER)
    name = world.accounts[Role.FARMER].name
    form = {"centre": "HG-LS", "day": "2026-09-25", "tonnes": "3", "requester": "别人"}
    booked = client.post("/services/drying/bookings", data=form, headers=farmer)
    assert "烘干预约成功" in booked.text and "龙沙烘干中心" in booked.text
    [(booking, requester)] = read(
        world, select(DryingBooking.id, DryingBooking.requester).where(DryingBooking.tonnes == 3)
    )
    assert requester == name
    client.post(f"/services/drying/bookings/{booking}/cancel", headers=farmer)
    assert read(world, select(DryingBooking.id).where(DryingBooking.tonnes == 3)) == []
