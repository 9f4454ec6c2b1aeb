"""Products and batches: codes of kind 物, Digital Links, source parcels, who may see them."""

import pytest
from sqlalchemy import func, select

from tests.trace.factories import (
    GTIN,
    SYSTEM,
    add_batch,
    add_producer,
    add_product,
    make_trace_world,
    producer_scope,
)
from yunong.core.errors import Conflict, InvalidValue, NotFound
from yunong.core.identity import codes
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.core.scope import Scope
from yunong.trace import batches
from yunong.trace.models import Batch, Product


@pytest.fixture
def world(session):
    return make_trace_world(session)


def test_a_batch_gets_a_registered_code_of_kind_thing_linked_to_its_producer(session, world):
    batch = add_batch(session, world.product)
    entry = identity.get(session, scope=SYSTEM, code=batch.code)
    assert codes.parse(batch.code).kind is Kind.THING
    assert (entry.entity_type, entry.entity_id) == ("trace_batch", str(batch.id))
    links = identity.get_links(session, scope=SYSTEM, code=batch.code)
    assert [(link.relation, link.to_code) for link in links] == [("made_by", world.producer.code)]


def test_a_batch_of_a_product_with_a_gtin_has_its_digital_link_as_address(session, world):
    batch = add_batch(session, world.product, lot="SP/11")
    assert batches.address(batch) == f"https://yunong.example.cn/01/{GTIN}/10/SP%2F11"


def test_a_batch_of_a_product_without_gtin_has_its_code_address(session, world):
    batch = add_batch(session, world.plain_product)
    assert batches.address(batch) == f"https://yunong.example.cn/c/{batch.code}"


def test_a_product_with_a_wrong_gtin_check_digit_is_refused_and_not_written(session, world):
    before = session.scalar(select(func.count()).select_from(Product))
    with pytest.raises(InvalidValue, match="校验位错误"):
        add_product(session, world.producer, name="坏条码脐橙", gtin="6901234567891")
    assert session.scalar(select(func.count()).select_from(Product)) == before


def test_a_batch_with_illegal_lot_characters_is_refused_and_no_code_is_issued(session, world):
    with pytest.raises(InvalidValue, match="GS1 不允许的字符"):
        add_batch(session, world.product, lot="第1批 2024")
    assert session.scalar(select(func.count()).select_from(Batch)) == 0


def test_the_same_lot_of_a_product_cannot_be_entered_twice(session, world):
    add_batch(session, world.product)
    with pytest.raises(Conflict, match="已有批次号"):
        add_batch(session, world.product)


def test_a_registered_source_parcel_is_linked_to_the_batch(session, world):
    batch = add_batch(session, world.product, parcels=[world.parcel])
    links = identity.get_links(session, scope=SYSTEM, code=batch.code)
    assert ("grown_on", world.parcel) in [(link.relation, link.to_code) for link in links]
    assert batches.parcels_of(session, batch) == [world.parcel]


def test_a_valid_parcel_code_not_yet_registered_is_kept_without_a_link(session, world):
    unregistered = codes.compose(Kind.LAND, world.place.village, 999)
    batch = add_batch(session, world.product, parcels=[unregistered])
    assert batches.parcels_of(session, batch) == [unregistered]
    assert "grown_on" not in [
        link.relation for link in identity.get_links(session, scope=SYSTEM, code=batch.code)
    ]


def test_a_source_parcel_that_is_not_a_land_code_is_refused(session, world):
    with pytest.raises(InvalidValue, match="不是地类"):
        add_batch(session, world.product, parcels=[world.producer.code])


def test_a_mistyped_parcel_code_is_refused_by_its_check_character(session, world):
    typo = world.parcel[:-1] + ("0" if world.parcel[-1] != "0" else "1")
    with pytest.raises(InvalidValue, match="校验位不符"):
        add_batch(session, world.product, parcels=[typo])


def test_the_origin_must_be_a_village(session, world):
    with pytest.raises(InvalidValue, match="产地应具体到村"):
        add_batch(session, world.product, origin_code=world.place.town)


def test_a_producer_account_creates_batches_of_its_own_products(session, world):
    scope = producer_scope(world.producer_user, world.place.village)
    batch = add_batch(session, world.product, scope=scope)
    assert batches.get(session, scope=scope, code=batch.code).id == batch.id


def test_a_producer_account_cannot_see_or_touch_another_producers_products(session, world):
    scope = producer_scope(world.producer_user, world.place.village)
    foreign = add_batch(session, world.other_product)
    with pytest.raises(NotFound):
        batches.get(session, scope=scope, code=foreign.code)
    with pytest.raises(NotFound):
        add_batch(session, world.other_product, lot="X1", scope=scope)
    assert [batch.code for batch in batches.get_all(session, scope=scope)] == []


def test_a_producer_account_does_not_see_a_neighbours_products_in_its_own_village(session, world):
    neighbour = add_producer(session, world.place.village, name="石坪茶叶合作社")
    tea = add_product(session, neighbour, name="石坪绿茶", gtin=None, category="茶叶")
    add_batch(session, tea)
    scope = producer_scope(world.producer_user, world.place.village)
    assert batches.get_all_products(session, scope=scope) == [world.product, world.plain_product]


def test_an_officer_of_another_district_does_not_find_the_batch(session, world):
    batch = add_batch(session, world.product)
    outsider = Scope(actor="fuling", region_code="500102000000", role="district_officer")
    with pytest.raises(NotFound):
        batches.get(session, scope=outsider, code=batch.code)


def test_resolve_finds_a_batch_by_digital_link_code_address_or_bare_code(session, world):
    batch = add_batch(session, world.product, lot="R1")
    for text in (batches.address(batch), f"https://yunong.example.cn/c/{batch.code}", batch.code):
        assert batches.resolve(session, scope=SYSTEM, text=text).id == batch.id


def test_resolve_explains_a_text_that_is_no_code(session, world):
    with pytest.raises(InvalidValue, match="全农码"):
        batches.resolve(session, scope=SYSTEM, text="not-a-code")
