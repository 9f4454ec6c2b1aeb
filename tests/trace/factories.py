"""A small trace world: producers in and out of scope, products with and without GTIN, a brand."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import count

from sqlalchemy.orm import Session

from tests.factories import Place, add_user, make_place
from yunong.core.auth import service as users
from yunong.core.auth.roles import Role
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.core.scope import Scope
from yunong.core.validators import uscc_check_char
from yunong.trace import batches, brands, events, producers
from yunong.trace.events import CHINA, EventIn
from yunong.trace.models import Batch, Producer, Product

SYSTEM = Scope.system("test")
SERIALS = count(1)
GTIN = "06901234567892"
OTHER_GTIN = "06901234567809"
TODAY = date(2024, 11, 20)


def uscc(district: str = "500101") -> str:
    """A valid unified social credit code of a farmers' co-operative, different on every call."""
    body = f"93{district}MA{next(SERIALS):07d}"
    return body + uscc_check_char(body)


def at(text: str) -> datetime:
    """A Beijing time such as ``2024-03-05 08:00``."""
    return datetime.fromisoformat(text).replace(tzinfo=CHINA)


def add_producer(
    session: Session, region: str, name: str = "石坪柑橘专业合作社", **extra: str
) -> Producer:
    return producers.create(
        session,
        scope=SYSTEM,
        producer_in=producers.ProducerIn(
            name=name,
            kind=extra.pop("kind", "cooperative"),
            region_code=region,
            uscc=extra.pop("uscc", None) or uscc(region[:6]),
            contact_name=extra.pop("contact_name", "张建国"),
            contact_phone=extra.pop("contact_phone", "13912345678"),
            **extra,
        ),
    )


def add_product(
    session: Session, producer: Producer, name: str = "石坪脐橙", gtin: str | None = GTIN, **extra
) -> Product:
    return batches.create_product(
        session,
        scope=SYSTEM,
        product_in=batches.ProductIn(
            producer_id=producer.id,
            name=name,
            category=extra.pop("category", "柑橘"),
            gtin=gtin,
            **extra,
        ),
    )


def add_batch(session: Session, product: Product, lot: str = "SP2024-11", **extra) -> Batch:
    return batches.create_batch(
        session,
        scope=extra.pop("scope", SYSTEM),
        batch_in=batches.BatchIn(
            product_id=product.id,
            lot=lot,
            produced_on=extra.pop("produced_on", date(2024, 11, 10)),
            quantity=extra.pop("quantity", Decimal(5000)),
            unit=extra.pop("unit", "公斤"),
            packages=extra.pop("packages", 1000),
            **extra,
        ),
        today=TODAY,
    )


def record(session: Session, batch: Batch, step: str, when: str, scope: Scope = SYSTEM, **extra):
    return events.record(
        session,
        scope=scope,
        code=batch.code,
        event_in=EventIn(step=step, event_time=at(when), **extra),
        now=at("2024-12-31 00:00"),
    )


def grow_and_harvest(session: Session, batch: Batch, *, inspection: str | None = "pass") -> None:
    """Planting, a pesticide with a 14-day interval, harvest after it, and an inspection."""
    record(session, batch, "planting", "2024-03-05 08:00")
    record(
        session,
        batch,
        "input_use",
        "2024-10-01 09:00",
        input_name="吡虫啉",
        input_kind="pesticide",
        safe_interval_days=14,
    )
    record(session, batch, "harvest", "2024-11-05 07:00")
    if inspection:
        record(
            session,
            batch,
            "inspection",
            "2024-11-06 10:00",
            result=inspection,
            agency="万州区农检站",
        )


@dataclass
class TraceWorld:
    place: Place
    producer: Producer
    product: Product
    plain_product: Product
    other_producer: Producer
    other_product: Product
    parcel: str
    producer_user: int
    producer_token: str
    stranger_user: int


def make_trace_world(session: Session) -> TraceWorld:
    place = make_place(session)
    producer = add_producer(session, place.village)
    product = add_product(session, producer)
    plain = add_product(session, producer, name="石坪血橙", gtin=None)
    other = add_producer(session, place.other_district_village, name="凤阳榨菜股份合作社")
    other_product = add_product(session, other, name="凤阳榨菜", gtin=OTHER_GTIN, category="榨菜")
    parcel = identity.create(
        session,
        scope=SYSTEM,
        kind=Kind.LAND,
        region_code=place.village,
        entity_type="parcel",
        entity_id="P-1",
    )
    user = add_user(session, "coop_shiping", Role.PRODUCER, place.village)
    producers.add_account(session, scope=SYSTEM, producer_id=producer.id, user_id=user.id)
    token = users.create_token(session, scope=SYSTEM, user_id=user.id)
    stranger = add_user(session, "coop_fengyang", Role.PRODUCER, place.other_district_village)
    producers.add_account(session, scope=SYSTEM, producer_id=other.id, user_id=stranger.id)
    session.flush()
    return TraceWorld(
        place, producer, product, plain, other, other_product, parcel, user.id, token, stranger.id
    )


def producer_scope(user_id: int, region: str, name: str = "coop_shiping") -> Scope:
    return Scope(
        actor=name, region_code=region, role=Role.PRODUCER.value, user_id=user_id, can_write=False
    )


def add_brand(session: Session, name: str = "巴味渝珍", region: str = "500000000000"):
    return brands.create(
        session,
        scope=SYSTEM,
        brand_in=brands.BrandIn(
            name=name, kind="区域公用品牌", owner="重庆市农业农村委员会", region_code=region
        ),
    )
