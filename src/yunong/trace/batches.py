"""Products and batches: a batch gets a 全农码 of kind 物 and, with a GTIN, a GS1 Digital Link."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from yunong.core import listing
from yunong.core.audit import service as audit
from yunong.core.errors import Conflict, InvalidValue, NotFound
from yunong.core.identity import codes
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.core.listing import Listing, Page
from yunong.core.regions import service as regions
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.settings import get_settings
from yunong.trace import access, brands, gs1, producers
from yunong.trace.models import Batch, BatchParcel, Brand, Producer, Product

# Units a batch is counted in, with the UN/CEFACT code EPCIS uses and the factor to it.
UNITS: dict[str, tuple[str, Decimal]] = {
    "公斤": ("KGM", Decimal(1)),
    "千克": ("KGM", Decimal(1)),
    "斤": ("KGM", Decimal("0.5")),
    "吨": ("TNE", Decimal(1)),
    "头": ("H87", Decimal(1)),
    "只": ("H87", Decimal(1)),
    "箱": ("H87", Decimal(1)),
    "袋": ("H87", Decimal(1)),
    "件": ("H87", Decimal(1)),
    "盒": ("H87", Decimal(1)),
}
BATCH_NOT_FOUND = "批次不存在或不在您的管辖范围内"


@dataclass(frozen=True)
class ProductIn:
    producer_id: int
    name: str
    category: str
    gtin: str | None = None
    brand: str | None = None


@dataclass(frozen=True)
class BatchIn:
    product_id: int
    lot: str
    produced_on: date
    quantity: Decimal | str
    unit: str
    packages: int | None = None
    origin_code: str | None = None
    parcels: list[str] = field(default_factory=list)
    brand: str | None = None
    """Brand the batch claims; empty means the product's own brand, if it has one."""


def create_product(session: Session, *, scope: Scope, product_in: ProductIn) -> Product:
    producer = producers.get(session, scope=scope, producer_id=product_in.producer_id)
    access.check_write(session, scope, producer, "生产经营主体")
    name = product_in.name.strip()
    if not name:
        raise InvalidValue("产品名称不能为空")
    category = brands.check_category(product_in.category)
    gtin = gs1.normalise_gtin(product_in.gtin) if product_in.gtin else None
    if gtin and session.scalars(select(Product.id).where(Product.gtin == gtin)).first():
        raise Conflict(f"商品条码 GTIN {gtin} 已被另一产品使用")
    taken = select(Product.id).where(Product.producer_id == producer.id, Product.name == name)
    if session.scalars(taken).first() is not None:
        raise Conflict(f"“{producer.name}”已有产品“{name}”")
    brand = brands.get_by_name(session, name=product_in.brand) if product_in.brand else None
    product = Product(
        producer_id=producer.id,
        name=name,
        category=category,
        gtin=gtin,
        brand_id=brand.id if brand else None,
    )
    session.add(product)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="trace.product_create",
        target_type="trace_product",
        target_id=product.id,
        region_code=producer.region_code,
        after={"name": name, "category": category, "gtin": gtin, "producer": producer.code},
    )
    return product


def get_product(session: Session, *, scope: Scope, product_id: int) -> Product:
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound("产品不存在或不在您的管辖范围内")
    access.check_read(session, scope, producer_of(session, product), "产品")
    return product


def get_all_products(session: Session, *, scope: Scope) -> list[Product]:
    query = select(Product).join(Producer, Producer.id == Product.producer_id)
    query = access.filter_producers(session, scope, query).order_by(Product.id)
    return list(session.scalars(query))


def producer_of(session: Session, product: Product) -> Producer:
    producer = session.get(Producer, product.producer_id)
    assert producer is not None
    return producer


def parse_quantity(value: Decimal | str) -> Decimal:
    try:
        quantity = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidValue(f"数量“{value}”应为数字") from None
    if not quantity.is_finite() or quantity <= 0 or quantity >= Decimal("1e11"):
        raise InvalidValue(f"数量“{value}”应为大于 0 的数")
    return quantity.quantize(Decimal("0.001"))


def check_unit(unit: str) -> str:
    if unit.strip() not in UNITS:
        raise InvalidValue(f"计量单位“{unit}”无效，可选：{'、'.join(UNITS)}")
    return unit.strip()


def origin_village(session: Session, code: str) -> str:
    region = regions.get(session, code=code)
    if region.level != Level.VILLAGE:
        raise InvalidValue(f"产地应具体到村（社区），“{region.name}”是{Level(region.level).label}")
    return region.code


def parcel_codes(texts: list[str]) -> list[str]:
    """Source parcels as 全农码 of kind 地, checked with the code's own check character."""
    found: list[str] = []
    for text in texts:
        parsed = codes.parse(text)
        if parsed.kind is not Kind.LAND:
            raise InvalidValue(f"来源地块“{text.strip()}”不是地类（L）全农码")
        if parsed.code not in found:
            found.append(parsed.code)
    return found


def create_batch(
    session: Session, *, scope: Scope, batch_in: BatchIn, today: date | None = None
) -> Batch:
    """Record a batch, issue its 全农码 and link it to its producer and source parcels.

    A claimed brand is refused unless the producer is authorised for it today.
    """
    product = get_product(session, scope=scope, product_id=batch_in.product_id)
    producer = producer_of(session, product)
    access.check_write(session, scope, producer, "产品")
    acting = access.acting_scope(scope, producer)
    lot = gs1.validate_lot(batch_in.lot)
    taken = select(Batch.id).where(Batch.product_id == product.id, Batch.lot == lot)
    if session.scalars(taken).first() is not None:
        raise Conflict(f"产品“{product.name}”已有批次号 {lot}")
    quantity, unit = parse_quantity(batch_in.quantity), check_unit(batch_in.unit)
    if batch_in.packages is not None and batch_in.packages <= 0:
        raise InvalidValue("件数应为正整数")
    origin = origin_village(session, batch_in.origin_code or producer.region_code)
    parcels = parcel_codes(batch_in.parcels)
    brand = claimed_brand(session, product, batch_in.brand)
    if brand is not None:
        brands.check_claim(
            session,
            brand=brand,
            producer=producer,
            category=product.category,
            on=today or date.today(),
        )
    link = (
        gs1.digital_link(get_settings().public_domain, product.gtin, lot) if product.gtin else None
    )
    code = identity.reserve(
        session, scope=acting, kind=Kind.THING, counts={producer.region_code: 1}
    )
    batch = Batch(
        code=code[producer.region_code][0],
        product_id=product.id,
        lot=lot,
        produced_on=batch_in.produced_on,
        quantity=quantity,
        unit=unit,
        packages=batch_in.packages,
        origin_code=origin,
        brand_id=brand.id if brand else None,
        digital_link=link,
    )
    session.add(batch)
    session.flush()
    session.add_all(BatchParcel(batch_id=batch.id, parcel_code=parcel) for parcel in parcels)
    identity.register(
        session,
        scope=acting,
        kind=Kind.THING,
        entity_type="trace_batch",
        codes_and_ids=[(batch.code, str(batch.id))],
    )
    identity.link(
        session, scope=acting, from_code=batch.code, relation="made_by", to_code=producer.code
    )
    for parcel in parcels:
        link_parcel(session, acting, batch.code, parcel)
    audit.record(
        session,
        scope=acting,
        action="trace.batch_create",
        target_type="trace_batch",
        target_id=batch.code,
        region_code=producer.region_code,
        after={"lot": lot, "quantity": str(quantity), "unit": unit, "origin": origin},
    )
    return batch


def claimed_brand(session: Session, product: Product, name: str | None) -> Brand | None:
    if name:
        return brands.get_by_name(session, name=name)
    return session.get(Brand, product.brand_id) if product.brand_id else None


def link_parcel(session: Session, scope: Scope, batch_code: str, parcel: str) -> None:
    """Link to a parcel the land registry knows; a code not registered (yet) is kept unlinked."""
    try:
        identity.get(session, scope=scope, code=parcel)
    except NotFound:
        return
    identity.link(session, scope=scope, from_code=batch_code, relation="grown_on", to_code=parcel)


def find(session: Session, *, text: str) -> Batch | None:
    """The batch a code, a code address or a Digital Link names; the public lookup, unscoped."""
    value = text.strip()
    key = gs1.parse_digital_link(value)
    if key is not None:
        query = (
            select(Batch)
            .join(Product, Product.id == Batch.product_id)
            .where(Product.gtin == key.gtin, Batch.lot == key.lot)
        )
        return session.scalars(query).first()
    if "/c/" in value:
        value = value.split("/c/", 1)[1].split("?")[0].strip("/")
    if not codes.is_valid(value):
        return None
    return session.scalars(select(Batch).where(Batch.code == codes.normalise(value))).first()


def resolve(session: Session, *, scope: Scope, text: str) -> Batch:
    """The batch behind a Digital Link URI, a code address or a bare 全农码, within the scope."""
    value = text.strip()
    if gs1.parse_digital_link(value) is None and "/c/" not in value:
        codes.parse(value)  # raises with the reason the text is not a code
    batch = find(session, text=value)
    if batch is None:
        raise NotFound(f"“{value}”没有对应的批次")
    return get(session, scope=scope, code=batch.code)


def get(session: Session, *, scope: Scope, code: str) -> Batch:
    batch = session.scalars(
        select(Batch).where(Batch.code == codes.normalise(code.strip()))
    ).first()
    if batch is None:
        raise NotFound(BATCH_NOT_FOUND)
    product = session.get(Product, batch.product_id)
    assert product is not None
    access.check_read(session, scope, producer_of(session, product), f"批次“{code.strip()}”")
    return batch


def visible(session: Session, scope: Scope) -> Select[tuple[Batch]]:
    """The batches the caller may see, in no order."""
    query = (
        select(Batch)
        .join(Product, Product.id == Batch.product_id)
        .join(Producer, Producer.id == Product.producer_id)
    )
    return access.filter_producers(session, scope, query)


def get_all(session: Session, *, scope: Scope, limit: int | None = None) -> list[Batch]:
    """Batches the caller may see, newest first (the newest ``limit`` if given)."""
    query = visible(session, scope).order_by(Batch.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def get_page(session: Session, *, scope: Scope, page: Page) -> Listing[Batch]:
    """A page of the batches the caller may see, newest first."""
    query = visible(session, scope)
    ordered = query.order_by(Batch.id.desc()).offset(page.offset).limit(page.size)
    return Listing(list(session.scalars(ordered)), listing.count(session, query), page)


def address(batch: Batch) -> str:
    """What the batch's QR code carries: its Digital Link, or else its code address."""
    return batch.digital_link or code_address(batch.code)


def code_address(code: str) -> str:
    return f"{get_settings().public_base_url()}/c/{code}"


def parcels_of(session: Session, batch: Batch) -> list[str]:
    query = select(BatchParcel.parcel_code).where(BatchParcel.batch_id == batch.id)
    return list(session.scalars(query.order_by(BatchParcel.parcel_code)))
