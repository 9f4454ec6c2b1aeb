"""Demo data of 基层治理: in every village of the demo town, matters of each class reported
month by month in 2024 and routed by 三事分流 (most closed in time, some late, a few still
open); and cadres stationed in the demo district's administrative villages (most with a
first secretary or an instructor, some with a work team only, one whose stay has ended).

Everything goes through the services; the same seed gives the same data.
"""

import random
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.regions import codes as region_codes
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.demo.steps import Context, demo_village
from yunong.demo.users import DEMO_DISTRICT
from yunong.governance import cadres, matters
from yunong.policy.schema import Governance
from yunong.store.db import make_sessionmaker, transaction

SYSTEM = Scope.system("demo")
TEXTS = {
    "big": ("村道塌方需要抢修", "河堤护坡出现裂缝", "集中供水管网漏水"),
    "small": ("院坝路灯不亮", "组上堰塘需要清淤", "垃圾收集点清运不及时"),
    "private": ("家中老人办理医保报销", "邻里之间宅基地界线", "子女上学转学手续"),
}
UNITS = ("市农业农村委", "区财政局", "区人民医院", "国网万州供电公司", "区教委")
SURNAMES = "王李张刘陈杨黄赵周吴"
GIVEN = "国华明德春秀英建平志强"


def step(context: Context) -> None:
    """The demo step of 基层治理 (after the regions and accounts)."""
    rules = context.pack.governance
    if rules is None:
        return
    rng = random.Random(context.seed * 43 + 27)
    village = demo_village(context)
    town = region_codes.parent_of(village) or village
    with transaction(make_sessionmaker(context.engine)) as session:
        villages = list(
            session.scalars(
                select(Region.code)
                .where(Region.parent_code == town, Region.level == int(region_codes.Level.VILLAGE))
                .order_by(Region.code)
            )
        )
        for code in villages:
            report_matters(session, rng, rules, code)
        station_cadres(session, rng)
    context.progress("基层治理", 1, 1)


def name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)


def report_matters(session: Session, rng: random.Random, rules: Governance, village: str) -> None:
    for month in range(1, 13):
        for kind in ("big", "small", "private"):
            day = date(2024, month, rng.randint(1, 25))
            matter = matters.report(
                session,
                scope=SYSTEM,
                rules=rules,
                matter_in=matters.MatterIn(
                    village,
                    kind,
                    rng.choice(TEXTS[kind]),
                    name(rng),
                    rng.choice(("resident", "grid")),
                    rng.choice(rules.sectors) if kind == "big" else "",
                    "已告知办理渠道和所需材料" if kind == "private" else "",
                    day,
                ),
            )
            if kind == "private":
                continue
            fate = rng.random()
            if fate < 0.1:
                continue  # still open
            limit = rules.matter_days[kind]
            late = fate > 0.85
            closed = day + timedelta(
                days=limit + rng.randint(1, 10) if late else rng.randint(1, limit)
            )
            matters.close(
                session, scope=SYSTEM, number=matter.number, feedback="已处理并回访反映人",
                closed_on=min(closed, date.today()),
            )  # fmt: skip


def station_cadres(session: Session, rng: random.Random) -> None:
    villages = [
        code
        for code in session.scalars(
            select(Region.code)
            .where(Region.level == int(region_codes.Level.VILLAGE))
            .where(Region.code.startswith(DEMO_DISTRICT[:6]))
            .order_by(Region.code)
        )
        if cadres.is_administrative_village(code)
    ]
    for index, code in enumerate(villages):
        fate = index % 10
        if fate == 9:
            continue  # none yet
        if fate == 8:
            role, ends = "work_team", ""
        elif fate == 7:
            role, ends = "first_secretary", "2023-12-31"  # stayed two years, not replaced
        else:
            role, ends = rng.choice(("first_secretary", "first_secretary", "instructor")), ""
        cadres.station(
            session,
            scope=SYSTEM,
            cadre_in=cadres.CadreIn(code, name(rng), role, rng.choice(UNITS), "2022-01-01", ends),
        )
