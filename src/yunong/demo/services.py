"""Demo data of 农事服务 in the demo town: a cooperative and a company with machines of every
type at its villages, a drying centre, a harvest season of orders on the households' own
parcels (one order per household), one day dispatched by the solver and confirmed, half of
it done (work recorded on the parcels), and trusteeship contracts, one settled.

Small at every scale (the town's villages only), so the build stays fast.
"""

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.demo.steps import Context
from yunong.demo.users import demo_regions
from yunong.land.models import Parcel
from yunong.policy.schema import Services
from yunong.services import dispatch, drying, trusteeship
from yunong.services.models import (
    DryingCentre,
    Machine,
    Order,
    OrderParcel,
    Provider,
    Trusteeship,
)
from yunong.store.db import make_sessionmaker, transaction

SYSTEM = Scope.system("demo")
M2_PER_MU = Decimal(10000) / Decimal(15)
ORDERS_PER_VILLAGE = 40
CONTRACTS = 3


def step(context: Context) -> None:
    rules = context.pack.services
    if rules is None:
        return
    rng = random.Random(context.seed * 24 + 1)
    year = date.today().year
    harvest = date(year, 9, 10)
    with transaction(make_sessionmaker(context.engine)) as session:
        town = demo_regions(session)["town"]
        villages = list(
            session.scalars(
                select(Region.code).where(Region.parent_code == town).order_by(Region.code)
            )
        )
        providers = [
            Provider(
                name="龙头农机专业合作社",
                kind="合作社",
                credential="93500101MA5U000017",
                region_code=villages[0],
                services="耕整地、插秧、收获、烘干",
                prices="收获 100 元/亩",
            )  # fmt: skip
        ]
        session.add_all(providers)
        session.flush()
        kinds = list(rules.machine_types)
        number = 0
        for village in villages:
            box = village_box(session, village)
            if box is None:
                continue
            for kind in [*kinds, "联合收割机", "联合收割机"]:
                number += 1
                session.add(
                    Machine(
                        code=f"JJ{town[:9]}{number:03d}", kind=kind,
                        capacity_mu=Decimal(rng.choice((40, 60, 80))),
                        longitude=rng.uniform(box[0], box[2]), latitude=rng.uniform(box[1], box[3]),
                        provider_id=providers[0].id, region_code=village,
                        operator=rng.choice("王李张刘陈") + rng.choice("国华明德春秀英"),
                    )
                )  # fmt: skip
            session.add(
                DryingCentre(
                    code=f"HG{village}", name="烘干中心", region_code=village,
                    longitude=(box[0] + box[2]) / 2, latitude=(box[1] + box[3]) / 2,
                    tonnes_per_day=Decimal(60),
                )
            ) if village == villages[0] else None  # fmt: skip
            orders_for(session, village, harvest, rng)
        session.flush()
        result = dispatch.plan(session, scope=SYSTEM, day=harvest, rules=rules, time_limit=2.0)
        dispatch.confirm(session, scope=SYSTEM, day=harvest)
        for chosen in result.assignments[::2]:
            dispatch.record_work(session, scope=SYSTEM, code=chosen.order, done_on=harvest)
        contracts(session, villages, providers[0], year, rules, rng)
        centre = session.scalars(select(DryingCentre)).first()
        if centre is not None:
            for tonnes in (30, 20, 25):
                drying.book(session, scope=SYSTEM, code=centre.code, day=harvest,
                            tonnes=Decimal(tonnes), requester="演示农户")  # fmt: skip
    context.progress("农事服务", 1, 1)


def village_box(session: Session, village: str) -> tuple[float, float, float, float] | None:
    row = session.execute(
        select(Parcel.min_x, Parcel.min_y, Parcel.max_x, Parcel.max_y)
        .where(Parcel.village_code == village, Parcel.kind == "cultivated")
        .limit(1)
    ).first()
    if row is None or None in row:
        return None
    return (row[0] - 0.01, row[1] - 0.01, row[2] + 0.01, row[3] + 0.01)


def orders_for(session: Session, village: str, harvest: date, rng: random.Random) -> None:
    """One harvest order per household, over its grain parcels (at most three)."""
    rows = session.execute(
        select(
            Parcel.holder_code,
            Parcel.code,
            Parcel.area_m2,
            Parcel.min_x,
            Parcel.min_y,
            Parcel.max_x,
            Parcel.max_y,
            Parcel.land_class,
        )  # fmt: skip
        .where(Parcel.village_code == village, Parcel.current_use == "grain")
        .where(Parcel.holder_code.is_not(None))
        .order_by(Parcel.holder_code, Parcel.code)
    ).all()
    by_holder: dict[str, list[Any]] = {}
    for row in rows:
        if len(by_holder.get(row[0], [])) < 3:
            by_holder.setdefault(row[0], []).append(row)
    for n, (holder, parcels) in enumerate(sorted(by_holder.items())[:ORDERS_PER_VILLAGE], 1):
        areas = {p[1]: (Decimal(str(p[2])) / M2_PER_MU).quantize(Decimal("0.01")) for p in parcels}
        start = harvest - timedelta(days=rng.choice((0, 2, 5)))
        order = Order(
            code=f"DD{village}{n:04d}", operation="收获",
            area_mu=sum(areas.values(), Decimal(0)), earliest=start,
            latest=start + timedelta(days=rng.choice((3, 7, 10))),
            longitude=float((parcels[0][3] + parcels[0][5]) / 2),
            latitude=float((parcels[0][4] + parcels[0][6]) / 2),
            region_code=village, land_type=parcels[0][7], requester="演示农户",
            holder_code=holder, price_yuan_per_mu=Decimal(rng.choice((80, 90, 100))),
        )  # fmt: skip
        session.add(order)
        session.flush()
        session.add_all(
            OrderParcel(order_id=order.id, parcel_code=code, area_mu=area)
            for code, area in areas.items()
        )


def contracts(
    session: Session, villages: list[str], provider: Provider, year: int, rules: Services,
    rng: random.Random,
) -> None:  # fmt: skip
    """Trusteeship contracts with households of the town: full and by menu."""
    holders = session.execute(
        select(Parcel.holder_code, Parcel.code, Parcel.area_m2, Parcel.village_code)
        .where(Parcel.village_code.in_(villages), Parcel.current_use == "grain")
        .where(Parcel.holder_code.is_not(None))
        .order_by(Parcel.holder_code.desc(), Parcel.code)
        .limit(CONTRACTS)
    ).all()
    models = list(rules.trusteeship.profit_models)
    for n, (holder, code, area, village) in enumerate(holders, 1):
        made = trusteeship.create(
            session, scope=SYSTEM, rules=rules, parcels=[code],
            contract=Trusteeship(
                code=f"TG{village}{n:03d}", region_code=village,
                kind=list(rules.trusteeship.kinds)[n % 2], profit_model=models[n % len(models)],
                farmer="演示农户", holder_code=holder, provider_id=provider.id, year=year,
                crop="水稻", area_mu=(Decimal(str(area)) / M2_PER_MU).quantize(Decimal("0.01")),
                fee_yuan_per_mu=Decimal(900), guaranteed_kg_per_mu=Decimal(500),
                dividend_share=Decimal("0.3"), price_yuan_per_kg=Decimal("2.8"),
            ),
        )  # fmt: skip
        if n == 1:
            area_mu = Decimal(made.area_mu)
            kg = (area_mu * Decimal(rng.choice((520, 560, 600)))).quantize(Decimal("0.01"))
            trusteeship.record_harvest(session, scope=SYSTEM, code=made.code, kg=kg)
