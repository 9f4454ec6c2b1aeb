"""地票 on a phone: the farmer sees their household's cases, each step and the payments to
the household, and nothing of another household's; officers see the same timeline with the
form of the next step."""

from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient

from tests.exchange.factories import closed_listing, ticket_case
from tests.factories import make_world
from tests.monitor.factories import headers
from yunong.core.auth.roles import Role
from yunong.exchange.models import TicketCase
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.web.app import create_app

pytestmark = pytest.mark.db

OWN_PARCEL, OTHER_PARCEL = "TESTHOME0001", "TESTHOME0002"


@pytest.fixture(scope="module")
def ticket_site(module_db_url, tmp_path_factory):
    """The farmer's household with a paid 地票 (68,850.00 元 to the farmer, 39,150.00 元 to the
    collective) and a neighbouring household's case just applied for."""
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        world = make_world(session)
        village = world.place.village
        sold = closed_listing(
            session,
            "DP-1",
            region=village,
            area=0.6,
            kind="land_ticket",
            closed_at=datetime(2024, 8, 1, 2, tzinfo=UTC),
        )
        own = ticket_case(
            session,
            OWN_PARCEL,
            region=village,
            holder=world.code_in_village,
            step="paid",
            accepted_m2=400,
            issued_on=date(2024, 7, 1),
            listing=sold,
            paid=[("farmer", 68850, date(2024, 8, 10)), ("collective", 39150, date(2024, 8, 10))],
        )
        other = ticket_case(
            session, OTHER_PARCEL, region=village, holder="H50010110820100009", step="applied"
        )
        ids = own.id, other.id
    settings = Settings(db_url=module_db_url, var_dir=tmp_path_factory.mktemp("tickets"))
    with TestClient(create_app(settings)) as client:
        yield client, world, ids, engine
    engine.dispose()


def test_the_farmer_sees_their_case_its_steps_and_the_payment_to_the_household(ticket_site):
    client, world, _, _ = ticket_site
    page = client.get("/exchange/my-tickets", headers=headers(world, Role.FARMER))
    assert page.status_code == 200
    assert OWN_PARCEL in page.text and "68850.00" in page.text and "2024-08-10" in page.text
    assert "竞价成交" in page.text and "120000" not in page.text
    assert "39150.00" not in page.text and OTHER_PARCEL not in page.text


def test_the_farmer_cannot_open_another_households_case(ticket_site):
    client, world, (own, other), _ = ticket_site
    farmer = headers(world, Role.FARMER)
    assert client.get(f"/exchange/tickets/{own}", headers=farmer).status_code == 200
    assert client.get(f"/exchange/tickets/{other}", headers=farmer).status_code == 404


def test_only_a_farmers_account_has_a_my_tickets_page(ticket_site):
    client, world, _, _ = ticket_site
    page = client.get("/exchange/my-tickets", headers=headers(world, Role.DISTRICT_OFFICER))
    assert page.status_code == 403


def test_officers_see_the_timeline_with_every_payment_and_the_next_steps_form(ticket_site):
    client, world, (own, other), _ = ticket_site
    district = headers(world, Role.DISTRICT_OFFICER)
    paid = client.get(f"/exchange/tickets/{own}", headers=district)
    applied = client.get(f"/exchange/tickets/{other}", headers=district)
    assert "68850.00" in paid.text and "39150.00" in paid.text
    assert f'action="/exchange/tickets/{other}/approve"' in applied.text


def test_an_acceptance_with_a_bad_area_is_refused_in_chinese_keeping_the_input(ticket_site):
    client, world, (_, other), engine = ticket_site
    district = headers(world, Role.DISTRICT_OFFICER)
    approved = client.post(
        f"/exchange/tickets/{other}/approve", headers=district, follow_redirects=False
    )
    refused = client.post(
        f"/exchange/tickets/{other}/accept",
        headers=district,
        data={"accepted_m2": "-5", "reclamation_cost_yuan": "12000"},
    )
    assert approved.status_code == 303
    assert refused.status_code == 422 and "验收面积（平方米）应为大于 0 的数" in refused.text
    assert 'value="12000"' in refused.text
    with transaction(make_sessionmaker(engine)) as session:
        assert session.get(TicketCase, other).step == "approved"
