"""Demo data of 农品“一码通”: brands, producers of the seed's main industries, their products
(some with GTINs), batches with their events, certificates and one possible counterfeit.

The same small set at every scale (a few dozen batches): enough to show every page and
status without adding noticeably to the Chongqing-scale build.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from yunong.core.auth import service as users
from yunong.core.auth.roles import Role
from yunong.core.identity.models import IdentityCode
from yunong.core.regions.codes import Level
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.core.validators import uscc_check_char
from yunong.demo.users import DEMO_PASSWORD
from yunong.trace import batches, brands, certificates, events, producers, scans
from yunong.trace.events import CHINA, EventIn
from yunong.trace.gs1 import gtin_check_digit
from yunong.trace.models import Batch

SCOPE = Scope.system("demo")
GRANT_FROM, GRANT_UNTIL = date(2024, 1, 1), date(2028, 12, 31)
ISSUED_AT = datetime(2024, 3, 1, tzinfo=UTC)
CITY = "500000000000"

# name, kind, owner, district (None: the whole city)
BRANDS = (
    ("巴味渝珍", "regional_public", "重庆市农业农村委员会", None),
    ("三峡柑橘", "regional_public", "三峡柑橘品牌运营单位", "500236"),
    ("涪陵榨菜", "geographic_indication", "涪陵区榨菜产业协会", "500102"),
    ("奉节脐橙", "geographic_indication", "奉节县脐橙产业协会", "500236"),
    ("潼南柠檬", "geographic_indication", "潼南区柠檬产业协会", "500152"),
    ("巫山脆李", "geographic_indication", "巫山县脆李产业协会", "500237"),
    ("石柱黄连", "geographic_indication", "石柱县中药材产业协会", "500240"),
    ("永川秀芽", "geographic_indication", "永川区茶叶产业协会", "500118"),
    ("荣昌猪", "geographic_indication", "荣昌区畜牧产业协会", "500153"),
)


@dataclass(frozen=True)
class DemoProduct:
    district: str
    producer: str
    kind: str
    product: str
    category: str
    brand: str | None
    extra_brand: str | None
    with_gtin: bool
    unit: str
    quantity: int
    packages: int | None
    pesticide: tuple[str, str, int]
    """Input name, kind and safe interval (days)."""


PRODUCTS = (
    DemoProduct(
        "500102",
        "涪陵演示榨菜食品有限公司",
        "enterprise",
        "涪陵榨菜（鲜脆）",
        "榨菜",
        "涪陵榨菜",
        "巴味渝珍",
        True,
        "箱",
        800,
        800,
        ("多菌灵", "pesticide", 20),
    ),
    DemoProduct(
        "500236",
        "奉节演示脐橙专业合作社",
        "cooperative",
        "奉节脐橙",
        "柑橘",
        "奉节脐橙",
        "三峡柑橘",
        True,
        "公斤",
        6000,
        1200,
        ("阿维菌素", "pesticide", 14),
    ),
    DemoProduct(
        "500152",
        "潼南演示柠檬专业合作社",
        "cooperative",
        "潼南柠檬",
        "柠檬",
        "潼南柠檬",
        None,
        True,
        "公斤",
        4000,
        800,
        ("苯醚甲环唑", "pesticide", 14),
    ),
    DemoProduct(
        "500237",
        "巫山演示脆李家庭农场",
        "family_farm",
        "巫山脆李",
        "脆李",
        "巫山脆李",
        None,
        False,
        "公斤",
        1500,
        300,
        ("吡虫啉", "pesticide", 14),
    ),
    DemoProduct(
        "500240",
        "石柱演示黄连专业合作社",
        "cooperative",
        "石柱黄连",
        "中药材",
        "石柱黄连",
        None,
        False,
        "公斤",
        600,
        120,
        ("噻虫嗪", "pesticide", 21),
    ),
    DemoProduct(
        "500118",
        "永川演示茶业有限公司",
        "enterprise",
        "永川秀芽",
        "茶叶",
        "永川秀芽",
        "巴味渝珍",
        True,
        "盒",
        2000,
        2000,
        ("苦参碱", "pesticide", 7),
    ),
    DemoProduct(
        "500153",
        "荣昌演示生猪养殖有限公司",
        "enterprise",
        "荣昌猪",
        "生猪",
        "荣昌猪",
        None,
        False,
        "头",
        200,
        200,
        ("恩诺沙星", "vet_drug", 10),
    ),
    DemoProduct(
        "500116",
        "江津演示粮油有限公司",
        "enterprise",
        "富硒大米",
        "粮油",
        "巴味渝珍",
        None,
        True,
        "袋",
        3000,
        3000,
        ("稻瘟灵", "pesticide", 28),
    ),
    DemoProduct(
        "500101",
        "万州演示柑橘专业合作社",
        "cooperative",
        "万州玫瑰香橙",
        "柑橘",
        None,
        None,
        False,
        "公斤",
        3000,
        600,
        ("阿维菌素", "pesticide", 14),
    ),
)


def first_village(session: Session, district: str) -> str:
    found = session.scalars(
        select(Region.code)
        .where(Region.level == int(Level.VILLAGE), Region.code.startswith(district))
        .order_by(Region.code)
    ).first()
    if found is None:
        raise LookupError(f"演示区县 {district} 中没有村")
    return found


def demo_uscc(district: str, serial: int) -> str:
    body = f"91{district}MA{serial:07d}"
    return body + uscc_check_char(body)


def demo_gtin(serial: int) -> str:
    body = f"690{serial:09d}"
    return body + str(gtin_check_digit(body))


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CHINA)


def create_trace_demo(session: Session, *, demo_village: str) -> list[tuple[str, str, str, str]]:
    """Build the demo; returns the producer's demo account as (name, password, role, region)."""
    catalog = {
        name: brands.create(
            session,
            scope=SCOPE,
            brand_in=brands.BrandIn(
                name=name,
                kind=kind,
                owner=owner,
                region_code=f"{district}000000" if district else CITY,
            ),
        )
        for name, kind, owner, district in BRANDS
    }
    account = None
    for serial, item in enumerate(PRODUCTS, start=1):
        village = (
            demo_village if item.district == "500101" else first_village(session, item.district)
        )
        producer = producers.create(
            session,
            scope=SCOPE,
            producer_in=producers.ProducerIn(
                name=item.producer,
                kind=item.kind,
                region_code=village,
                uscc=demo_uscc(item.district, serial),
                contact_name="",
                contact_phone=f"023{60000000 + serial}",
            ),
        )
        for name in (item.brand, item.extra_brand):
            if name:
                brands.grant(
                    session,
                    scope=SCOPE,
                    brand_id=catalog[name].id,
                    producer_id=producer.id,
                    category=item.category,
                    valid_from=GRANT_FROM,
                    valid_until=GRANT_UNTIL,
                )
        product = batches.create_product(
            session,
            scope=SCOPE,
            product_in=batches.ProductIn(
                producer_id=producer.id,
                name=item.product,
                category=item.category,
                gtin=demo_gtin(serial) if item.with_gtin else None,
                brand=item.brand,
            ),
        )
        for number, state in enumerate(("sold", "inspected", "failed", "growing"), start=1):
            add_batch(session, item, product.id, number, state)
        if item.district == "500101":
            account = add_producer_account(session, demo_village, producer.id)
    add_household_producer(session, demo_village)
    flag_one_counterfeit(session)
    # Fixed issue times, as for the demo households, so that two builds are identical.
    session.execute(
        update(IdentityCode)
        .where(IdentityCode.entity_type.in_(("trace_batch", "trace_producer")))
        .values(issued_at=ISSUED_AT)
    )
    return [account] if account else []


def add_batch(session: Session, item: DemoProduct, product_id: int, number: int, state: str):
    harvest_day = date(2024, 11, 1) + timedelta(days=number * 3)
    batch = batches.create_batch(
        session,
        scope=SCOPE,
        batch_in=batches.BatchIn(
            product_id=product_id,
            lot=f"2024-{number:02d}",
            produced_on=harvest_day,
            quantity=Decimal(item.quantity),
            unit=item.unit,
            packages=item.packages,
        ),
        today=harvest_day,
    )
    record = lambda step, moment, **extra: events.record(  # noqa: E731
        session, scope=SCOPE, code=batch.code, event_in=EventIn(step, moment, **extra)
    )
    record("planting", at(date(2024, 3, 1) + timedelta(days=number), 8))
    name, kind, interval = item.pesticide
    used = harvest_day - timedelta(days=interval + 5)
    record("input_use", at(used, 9), input_name=name, input_kind=kind, safe_interval_days=interval)
    if state == "growing":
        return batch
    record("harvest", at(harvest_day, 7))
    result = "fail" if state == "failed" else "pass"
    record("inspection", at(harvest_day, 15), result=result, agency="区县农产品质量安全检测站")
    if state == "failed":
        return batch
    certificates.issue(session, scope=SCOPE, code=batch.code, basis="委托检测", today=harvest_day)
    if state == "sold":
        record("packing", at(harvest_day + timedelta(days=1), 8))
        record("shipping", at(harvest_day + timedelta(days=1), 14), partner="重庆农产品批发市场")
        record("sale", at(harvest_day + timedelta(days=3), 10))
    return batch


def add_producer_account(session: Session, village: str, producer_id: int):
    user = users.create(
        session,
        scope=SCOPE,
        user_in=users.UserIn(
            name="demo_producer",
            role=Role.PRODUCER.value,
            region_code=village,
            password=DEMO_PASSWORD,
            full_name="合作社理事长",
            phone="13800000000",
        ),
    )
    producers.add_account(session, scope=SCOPE, producer_id=producer_id, user_id=user.id)
    return ("demo_producer", DEMO_PASSWORD, Role.PRODUCER.label, village)


def add_household_producer(session: Session, village: str) -> None:
    """A monitored household that sells its own oranges: shown publicly only as 农户."""
    household = session.execute(
        text("select code from monitor_household where village_code = :v order by id limit 1"),
        {"v": village},
    ).scalar()
    if household is None:
        return
    producer = producers.create(
        session,
        scope=SCOPE,
        producer_in=producers.ProducerIn(
            name="农户自产柑橘",
            kind="household",
            region_code=village,
            household_code=household,
        ),
    )
    product = batches.create_product(
        session,
        scope=SCOPE,
        product_in=batches.ProductIn(producer_id=producer.id, name="农家柑橘", category="柑橘"),
    )
    add_batch(session, PRODUCTS[-1], product.id, 1, "sold")


def flag_one_counterfeit(session: Session) -> None:
    """The first sold batch has been scanned far more often than it has boxes."""
    batch = session.scalars(select(Batch).order_by(Batch.id)).first()
    if batch is None:
        return
    size = batch.packages or int(batch.quantity)
    day = date(2024, 12, 1)
    scans.save(session, Counter({(batch.id, day, scans.UNLOCATED): size * 4}))
