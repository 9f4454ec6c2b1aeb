"""The brand catalog: a batch claims a brand only while its producer is authorised for it."""

from datetime import date

import pytest

from tests.trace.factories import (
    SYSTEM,
    TODAY,
    add_batch,
    add_brand,
    add_product,
    make_trace_world,
)
from yunong.core.errors import InvalidValue, NotFound
from yunong.core.scope import Scope
from yunong.trace import brands, public


@pytest.fixture
def world(session):
    return make_trace_world(session)


def grant(session, brand, producer, until=date(2025, 12, 31), category="柑橘", since=None):
    return brands.grant(
        session,
        scope=SYSTEM,
        brand_id=brand.id,
        producer_id=producer.id,
        category=category,
        valid_from=since or date(2024, 1, 1),
        valid_until=until,
    )


def test_an_authorised_producer_claims_the_brand_for_a_batch(session, world):
    brand = add_brand(session)
    grant(session, brand, world.producer)
    batch = add_batch(session, world.product, brand="巴味渝珍")
    assert batch.brand_id == brand.id


def test_a_claim_without_any_authorisation_is_refused(session, world):
    add_brand(session)
    with pytest.raises(InvalidValue, match="未获授权使用品牌“巴味渝珍”"):
        add_batch(session, world.product, brand="巴味渝珍")


def test_a_claim_after_the_authorisation_ended_is_refused(session, world):
    brand = add_brand(session)
    grant(session, brand, world.producer, until=date(2024, 6, 30))
    with pytest.raises(InvalidValue, match=f"在 {TODAY} 未获授权"):
        add_batch(session, world.product, brand="巴味渝珍")


def test_an_authorisation_for_another_category_does_not_cover_the_product(session, world):
    brand = add_brand(session)
    grant(session, brand, world.producer, category="茶叶")
    with pytest.raises(InvalidValue, match="品类：柑橘"):
        add_batch(session, world.product, brand="巴味渝珍")


def test_a_product_brand_is_claimed_by_its_batches_and_checked(session, world):
    brand = add_brand(session, name="三峡柑橘")
    branded = add_product(session, world.producer, name="三峡脐橙", gtin=None, brand="三峡柑橘")
    with pytest.raises(InvalidValue, match="未获授权"):
        add_batch(session, branded)
    grant(session, brand, world.producer)
    assert add_batch(session, branded).brand_id == brand.id


def test_the_scan_page_shows_an_authorisation_that_has_since_ended(session, world):
    brand = add_brand(session)
    grant(session, brand, world.producer, until=date(2024, 12, 31))
    batch = add_batch(session, world.product, brand="巴味渝珍")
    later = public.view(session, batch=batch, now=public_datetime(2025, 3, 1))
    assert later.brand is not None and not later.brand.authorised
    assert "品牌“巴味渝珍”的使用授权已失效" in later.reasons


def public_datetime(year, month, day):
    from datetime import datetime

    from yunong.trace.events import CHINA

    return datetime(year, month, day, 12, tzinfo=CHINA)


def test_a_district_cannot_grant_its_brand_to_a_producer_of_another_district(session, world):
    brand = add_brand(session, name="万州红橘", region="500101000000")
    wanzhou = Scope(actor="wanzhou", region_code="500101000000", role="district_officer")
    with pytest.raises(NotFound):
        brands.grant(
            session,
            scope=wanzhou,
            brand_id=brand.id,
            producer_id=world.other_producer.id,
            category="榨菜",
            valid_from=date(2024, 1, 1),
            valid_until=date(2025, 1, 1),
        )


def test_an_unknown_category_is_refused_listing_the_catalog(session, world):
    brand = add_brand(session)
    with pytest.raises(InvalidValue, match="不在目录中，可选：粮油"):
        grant(session, brand, world.producer, category="咖啡")
