"""The transfer contract of a sold listing names the parties, the parcels with their codes
and areas, the term within the remaining contract term, the use, the price and its payment,
rights and duties and breach; a term beyond the contract term is refused."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.exchange.factories import closed_listing, uscc
from tests.factories import add_user, make_world
from tests.land.factories import Plot, plot_code, plot_frame, rectangle, write
from tests.monitor.factories import headers
from yunong.core.auth import service as users
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.exchange.models import Registration
from yunong.land import importers
from yunong.land.models import Parcel
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.web.app import create_app

pytestmark = pytest.mark.db

CLOSED = datetime(2024, 9, 2, 3, 0, tzinfo=UTC)


def sold(session, code, *, village, parcels, term, buyer_id, start=date(2024, 10, 1)):
    """A listing sold for 120,000 元 to the world's producer, deposit 10,000 元."""
    listing = closed_listing(
        session,
        code,
        region=village,
        area=Decimal("13.5"),
        closed_at=CLOSED,
        parcels=",".join(parcels),
        term_years=term,
        rights_start=start,
    )
    listing.price_yuan, listing.deposit_yuan = Decimal("120000"), Decimal("10000")
    winner = Registration(
        listing_id=listing.id,
        number=3,
        user_id=buyer_id,
        bidder_name="重庆渝丰农业开发有限公司",
        bidder_id_code=uscc(7),
        qualified=True,
    )
    session.add(winner)
    session.flush()
    listing.winner_id = winner.id
    session.flush()
    return listing.id


@pytest.fixture(scope="module")
def contract_site(module_db_url, tmp_path_factory):
    """Two parcels of 9.00 and 4.50 亩 sold for 10 years from 2024-10-01, and the same parcels
    sold for 40 years, past the contract term's end (2057-12-31)."""
    folder = tmp_path_factory.mktemp("contracts")
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        world = make_world(session)
        village = world.place.village
        items = [
            Plot(plot_code(village, 1), village, rectangle(1)),
            Plot(plot_code(village, 2), village, rectangle(2, width=50)),
        ]
        path = write(plot_frame(items), folder / "parcels.gpkg")
        importers.import_file(session, scope=Scope.system("t"), path=path, layer="parcels")
        codes = list(session.scalars(select(Parcel.code).order_by(Parcel.contract_plot_code)))
        buyer = world.accounts[Role.PRODUCER].user_id
        ids = (
            sold(session, "LZ-10", village=village, parcels=codes, term=10, buyer_id=buyer),
            sold(session, "LZ-40", village=village, parcels=codes, term=40, buyer_id=buyer),
        )
        other = add_user(session, "producer_other", Role.PRODUCER, village)
        other_token = users.create_token(session, scope=Scope.system("t"), user_id=other.id)
    with TestClient(create_app(Settings(db_url=module_db_url, var_dir=folder))) as client:
        yield client, world, codes, ids, {"Authorization": f"Bearer {other_token}"}
    engine.dispose()


def test_the_contract_names_the_parcels_with_code_and_area_the_term_and_the_price(
    contract_site,
):
    client, world, codes, (ten_years, _), _ = contract_site
    page = client.get(
        f"/exchange/listings/{ten_years}/contract", headers=headers(world, Role.PRODUCER)
    )
    assert page.status_code == 200
    text = page.text
    assert codes[0] in text and codes[1] in text and "9.00" in text and "4.50" in text
    assert "流转期限 10 年，自 2024-10-01 起至 2034-09-30 止" in text
    assert "120000.00" in text and "壹拾贰万元整" in text and "888.89" in text
    assert "不得改变土地的农业用途" in text and "违约责任" in text
    assert "重庆渝丰农业开发有限公司" in text and "村股份经济合作联合社" in text


def test_a_term_beyond_the_remaining_contract_term_is_refused(contract_site):
    client, world, _, (_, forty_years), _ = contract_site
    page = client.get(
        f"/exchange/listings/{forty_years}/contract", headers=headers(world, Role.DISTRICT_OFFICER)
    )
    assert page.status_code == 422
    assert "流转期限至 2064-09-30，超过承包期的剩余期限（至 2057-12-31），不能生成合同" in page.text


def test_only_the_exchange_and_the_buyer_open_the_contract(contract_site):
    client, world, _, (ten_years, _), other_buyer = contract_site
    url = f"/exchange/listings/{ten_years}/contract"
    assert client.get(url, headers=headers(world, Role.DISTRICT_OFFICER)).status_code == 200
    assert client.get(url, headers=other_buyer).status_code == 403
    assert client.get(url, headers=headers(world, Role.TOWN_OFFICER)).status_code == 403
    listing = f"/exchange/listings/{ten_years}"
    assert url in client.get(listing, headers=headers(world, Role.PRODUCER)).text
    assert url not in client.get(listing, headers=other_buyer).text


def test_the_contract_prints_as_a_pdf_with_the_same_text(contract_site):
    import pypdfium2

    client, world, codes, (ten_years, _), _ = contract_site
    answer = client.get(
        f"/exchange/listings/{ten_years}/contract.pdf", headers=headers(world, Role.PRODUCER)
    )
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    document = pypdfium2.PdfDocument(answer.content)
    text = "".join(page.get_textpage().get_text_range() for page in document)
    assert codes[0] in text and "壹拾贰万元整" in text and "2034-09-30" in text
