"""三资 registry of a collective economic organisation: its funds (bank accounts, cash), assets
(fixed, biological, intangible, 在建工程) and resources (land, forest, water, 四荒), each with a
全农码 and a book value; and 清产核资, a dated stock-take that sets the registry's book values
against the books' balances of the account each category is kept in and lists the differences.
"""

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.collective.books import to_fen, to_yuan
from yunong.collective.models import (
    Organisation,
    Project,
    RegistryItem,
    StockTake,
    Voucher,
    VoucherLine,
)
from yunong.core.audit import service as audit
from yunong.core.errors import Conflict, InvalidValue
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.core.scope import Scope
from yunong.policy.schema import Collective

DEPRECIATION = {"straight_line": "年限平均法", "workload": "工作量法", "": "不计提"}
DEPRECIATING = frozenset({"fixed", "biological"})
KIND_LABELS = {"fund": "资金", "asset": "资产", "resource": "资源"}


@dataclass(frozen=True)
class ItemIn:
    category: str
    name: str
    book_value: Decimal = Decimal(0)
    acquired_on: date | None = None
    depreciation_method: str = ""
    useful_life_years: int | None = None
    area_m2: int | None = None
    parcel_code: str | None = None


def category_of(text: str, rules: Collective) -> str:
    """A registry category from its key or its name."""
    value = text.strip()
    for key, category in rules.registry.categories.items():
        if value in (key, category.name):
            return key
    names = "、".join(category.name for category in rules.registry.categories.values())
    raise InvalidValue("三资类别“{value}”不在策略包中，应为{names}", value=value, names=names)


def checked(item_in: ItemIn, rules: Collective) -> str:
    """The category key, once the entry's fields fit it."""
    category = category_of(item_in.category, rules)
    if not item_in.name.strip():
        raise InvalidValue("三资名称不能为空")
    if item_in.book_value < 0:
        raise InvalidValue("账面价值不能为负数")
    if item_in.depreciation_method not in DEPRECIATION:
        raise InvalidValue(
            "折旧方法“{method}”应为{names}",
            method=item_in.depreciation_method,
            names="、".join(name for key, name in DEPRECIATION.items() if key),
        )
    life = item_in.useful_life_years
    if category in DEPRECIATING and item_in.depreciation_method and (not life or life <= 0):
        raise InvalidValue("计提折旧的资产应填写使用年限（年，大于 0）")
    if item_in.parcel_code and rules.registry.categories[category].kind != "resource":
        raise InvalidValue("只有资源类的三资可以关联一张图的地块")
    return category


def add(
    session: Session,
    *,
    scope: Scope,
    org: Organisation,
    item_in: ItemIn,
    rules: Collective,
    project: Project | None = None,
) -> RegistryItem:
    """Enter a fund, asset or resource in the organisation's registry. Funds and assets get a
    全农码 of kind 财; a resource that is a parcel of the one map keeps the parcel's 地 code,
    other resources get a 地 code of their own."""
    scope.check_write(org.region_code, f"集体经济组织“{org.code}”")
    category = checked(item_in, rules)
    kind = rules.registry.categories[category].kind
    parcel = None
    if item_in.parcel_code:
        parcel = identity.get(session, scope=scope, code=item_in.parcel_code)
        if parcel.kind != Kind.LAND.value:
            raise InvalidValue("全农码“{code}”不是地块（地类）的代码", code=item_in.parcel_code)
        if session.scalar(select(RegistryItem.id).where(RegistryItem.code == parcel.code)):
            raise Conflict("地块“{code}”已登记为集体资源", code=parcel.code)
    item = RegistryItem(
        code=parcel.code if parcel else "",
        org_id=org.id,
        region_code=org.region_code,
        category=category,
        name=item_in.name.strip(),
        book_value_fen=to_fen(item_in.book_value),
        acquired_on=item_in.acquired_on,
        depreciation_method=item_in.depreciation_method if category in DEPRECIATING else "",
        useful_life_years=item_in.useful_life_years if category in DEPRECIATING else None,
        area_m2=item_in.area_m2,
        parcel_code=parcel.code if parcel else None,
        project_id=project.id if project else None,
    )
    session.add(item)
    session.flush()
    if parcel is None:
        item.code = identity.create(
            session,
            scope=scope,
            kind=Kind.LAND if kind == "resource" else Kind.FUND,
            region_code=org.region_code,
            entity_type="collective_registry_item",
            entity_id=str(item.id),
        )
    if project is not None:
        identity.link(
            session, scope=scope, from_code=project.code, relation="formed", to_code=item.code
        )
    audit.record(
        session,
        scope=scope,
        action="collective.registry.add",
        target_type="collective_registry_item",
        target_id=item.code,
        region_code=org.region_code,
        after={"category": category, "name": item.name, "fen": item.book_value_fen},
    )
    session.flush()
    return item


def get_for_org(session: Session, *, scope: Scope, org: Organisation) -> list[RegistryItem]:
    query = (
        select(RegistryItem)
        .where(RegistryItem.org_id == org.id)
        .order_by(RegistryItem.category, RegistryItem.id)
    )
    return list(session.scalars(scope.filter(query, RegistryItem.region_code)))


def get_for_project(session: Session, *, scope: Scope, project: Project) -> list[RegistryItem]:
    query = (
        select(RegistryItem).where(RegistryItem.project_id == project.id).order_by(RegistryItem.id)
    )
    return list(session.scalars(scope.filter(query, RegistryItem.region_code)))


@dataclass(frozen=True)
class Difference:
    category: str
    name: str
    account: str
    registry_fen: int
    books_fen: int

    @property
    def difference_fen(self) -> int:
        return self.registry_fen - self.books_fen

    def as_json(self) -> dict[str, object]:
        return {
            "category": self.category,
            "name": self.name,
            "account": self.account,
            "registry": float(to_yuan(self.registry_fen)),
            "books": float(to_yuan(self.books_fen)),
            "difference": float(to_yuan(self.difference_fen)),
        }


def balances_on(
    session: Session, *, scope: Scope, org: Organisation, on: date, accounts: list[str]
) -> dict[str, int]:
    """Debit balance in fen of each chart account (sub-accounts counted under it) at the end
    of ``on``."""
    account = func.substr(VoucherLine.account, 1, 3)
    query = (
        select(account, func.sum(VoucherLine.debit_fen - VoucherLine.credit_fen))
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .where(VoucherLine.org_id == org.id, Voucher.voucher_date <= on, account.in_(accounts))
        .group_by(account)
    )
    rows = session.execute(scope.filter(query, Voucher.region_code)).tuples()
    return {code: int(fen) for code, fen in rows}


def compare(
    session: Session, *, scope: Scope, org: Organisation, on: date, rules: Collective
) -> list[Difference]:
    """Each category kept in an account: the registry's book values of entries acquired by
    ``on`` against the account's balance on that day."""
    scope.check_read(org.region_code, f"集体经济组织“{org.code}”")
    kept = {
        key: category
        for key, category in rules.registry.categories.items()
        if category.account is not None
    }
    registered: dict[str, int] = {key: 0 for key in kept}
    for item in get_for_org(session, scope=scope, org=org):
        if item.category in kept and (item.acquired_on is None or item.acquired_on <= on):
            registered[item.category] += item.book_value_fen
    accounts = [category.account for category in kept.values() if category.account]
    books = balances_on(session, scope=scope, org=org, on=on, accounts=accounts)
    return [
        Difference(
            key,
            category.name,
            category.account or "",
            registered[key],
            books.get(category.account or "", 0),
        )
        for key, category in kept.items()
    ]


def take_stock(
    session: Session, *, scope: Scope, org: Organisation, on: date, rules: Collective
) -> StockTake:
    """Record a 清产核资 on ``on``: the comparison, kept as it was that day."""
    scope.check_write(org.region_code, f"集体经济组织“{org.code}”")
    if session.scalar(
        select(StockTake.id).where(StockTake.org_id == org.id, StockTake.taken_on == on)
    ):
        raise Conflict("{on} 的清产核资已经做过", on=on)
    rows = compare(session, scope=scope, org=org, on=on, rules=rules)
    found = StockTake(
        org_id=org.id,
        region_code=org.region_code,
        taken_on=on,
        content=json.dumps([row.as_json() for row in rows], ensure_ascii=False),
        differences=sum(1 for row in rows if row.difference_fen),
        taken_by=scope.actor,
    )
    session.add(found)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="collective.stock_take",
        target_type="collective_org",
        target_id=org.code,
        region_code=org.region_code,
        after={"on": on.isoformat(), "differences": found.differences},
    )
    return found


def get_stock_takes(session: Session, *, scope: Scope, org: Organisation) -> list[StockTake]:
    query = select(StockTake).where(StockTake.org_id == org.id).order_by(StockTake.taken_on.desc())
    return list(session.scalars(scope.filter(query, StockTake.region_code)))


M2_PER_MU = Decimal(10000) / Decimal(15)


def resources_for_disclosure(
    session: Session, *, scope: Scope, org: Organisation, rules: Collective
) -> list[dict[str, object]]:
    """The organisation's resources as the 财务公开 lists them: name, category and area in 亩
    as the label, book value as the amount."""
    categories = rules.registry.categories
    found = []
    for item in get_for_org(session, scope=scope, org=org):
        category = categories.get(item.category)
        if category is None or category.kind != "resource":
            continue
        area = f"，{Decimal(item.area_m2) / M2_PER_MU:.2f} 亩" if item.area_m2 else ""
        found.append(
            {
                "label": f"{item.name}（{category.name}{area}）",
                "amount": float(to_yuan(item.book_value_fen)),
            }
        )
    return found
