"""The brand catalog (农业品牌目录) and who may use which brand, for what, until when."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.errors import Conflict, InvalidValue, NotFound
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.policy import loader as policy
from yunong.trace import producers
from yunong.trace.models import Brand, BrandGrant, Producer


class BrandKind(StrEnum):
    REGIONAL_PUBLIC = "regional_public"
    GEOGRAPHIC_INDICATION = "geographic_indication"
    ENTERPRISE = "enterprise"

    @property
    def label(self) -> str:
        return BRAND_KIND_LABELS[self]

    @classmethod
    def from_name(cls, name: str) -> "BrandKind":
        for kind in cls:
            if name.strip() in (kind.value, kind.label):
                return kind
        choices = "、".join(f"{kind.label}（{kind.value}）" for kind in cls)
        raise InvalidValue(f"品牌类型“{name}”无效，可选：{choices}")


BRAND_KIND_LABELS = {
    BrandKind.REGIONAL_PUBLIC: "区域公用品牌",
    BrandKind.GEOGRAPHIC_INDICATION: "地理标志农产品",
    BrandKind.ENTERPRISE: "企业品牌",
}


@dataclass(frozen=True)
class BrandIn:
    name: str
    kind: str
    owner: str
    region_code: str
    registration: str = ""


def check_category(category: str) -> str:
    categories = policy.get().trace.categories
    value = category.strip()
    if value not in categories:
        raise InvalidValue(f"品类“{category}”不在目录中，可选：{'、'.join(categories)}")
    return value


def create(session: Session, *, scope: Scope, brand_in: BrandIn) -> Brand:
    """Enter a brand in the catalog; the brand's area must lie inside the caller's scope."""
    kind = BrandKind.from_name(brand_in.kind)
    name = brand_in.name.strip()
    if not name or not brand_in.owner.strip():
        raise InvalidValue("品牌名称与品牌所有者不能为空")
    region = regions.get(session, code=brand_in.region_code)
    scope.check_write(region.code, "区划")
    if session.scalars(select(Brand.id).where(Brand.name == name)).first() is not None:
        raise Conflict(f"品牌“{name}”已在目录中")
    brand = Brand(
        name=name,
        kind=kind.value,
        owner=brand_in.owner.strip(),
        region_code=region.code,
        registration=brand_in.registration.strip(),
    )
    session.add(brand)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="trace.brand_create",
        target_type="trace_brand",
        target_id=brand.id,
        region_code=brand.region_code,
        after={"name": name, "kind": kind.value, "owner": brand.owner},
    )
    return brand


def get(session: Session, *, brand_id: int) -> Brand:
    """The catalog is public: every brand can be read by anyone."""
    brand = session.get(Brand, brand_id)
    if brand is None:
        raise NotFound("品牌不存在")
    return brand


def get_by_name(session: Session, *, name: str) -> Brand:
    brand = session.scalars(select(Brand).where(Brand.name == name.strip())).first()
    if brand is None:
        raise NotFound(f"品牌“{name.strip()}”不在目录中")
    return brand


def get_all(session: Session) -> list[Brand]:
    return list(session.scalars(select(Brand).order_by(Brand.kind, Brand.id)))


def grant(
    session: Session,
    *,
    scope: Scope,
    brand_id: int,
    producer_id: int,
    category: str,
    valid_from: date,
    valid_until: date,
) -> BrandGrant:
    """Authorise a producer to use a brand for one product category over a period.

    The granting office must cover both the brand's area and the producer; granting the same
    period twice changes nothing.
    """
    brand = get(session, brand_id=brand_id)
    producer = producers.get(session, scope=scope, producer_id=producer_id)
    scope.check_write(brand.region_code, f"品牌“{brand.name}”")
    scope.check_write(producer.region_code, "生产经营主体")
    wanted = check_category(category)
    if valid_until < valid_from:
        raise InvalidValue(f"授权截止日 {valid_until} 早于起始日 {valid_from}")
    existing = session.scalars(
        select(BrandGrant).where(
            BrandGrant.brand_id == brand.id,
            BrandGrant.producer_id == producer.id,
            BrandGrant.category == wanted,
            BrandGrant.valid_from == valid_from,
        )
    ).first()
    if existing is not None:
        if existing.valid_until != valid_until:
            existing.valid_until = valid_until
            session.flush()
        return existing
    granted = BrandGrant(
        brand_id=brand.id,
        producer_id=producer.id,
        category=wanted,
        valid_from=valid_from,
        valid_until=valid_until,
        granted_by=scope.actor,
    )
    session.add(granted)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="trace.brand_grant",
        target_type="trace_brand",
        target_id=brand.id,
        region_code=producer.region_code,
        after={
            "producer": producer.code,
            "category": wanted,
            "from": valid_from,
            "until": valid_until,
        },
    )
    return granted


def current_grant(
    session: Session, *, brand_id: int, producer_id: int, category: str, on: date
) -> BrandGrant | None:
    """The grant that lets the producer use the brand for the category on that day, if any."""
    return session.scalars(
        select(BrandGrant)
        .where(
            BrandGrant.brand_id == brand_id,
            BrandGrant.producer_id == producer_id,
            BrandGrant.category == category,
            BrandGrant.valid_from <= on,
            BrandGrant.valid_until >= on,
        )
        .order_by(BrandGrant.valid_until.desc())
    ).first()


def check_claim(
    session: Session, *, brand: Brand, producer: Producer, category: str, on: date
) -> BrandGrant:
    """Refuse a brand claim unless the producer is authorised for it on that day."""
    found = current_grant(
        session, brand_id=brand.id, producer_id=producer.id, category=category, on=on
    )
    if found is None:
        raise InvalidValue(
            f"“{producer.name}”在 {on} 未获授权使用品牌“{brand.name}”（品类：{category}），"
            "不能以该品牌标示此批次"
        )
    return found
