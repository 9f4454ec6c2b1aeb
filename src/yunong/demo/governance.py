"""Demo data of 基层治理: in every village of the demo town, matters of each class reported
month by month in 2024 and routed by 三事分流 (most closed in time, some late, a few still
open), and two grids with their grid worker and households; cadres stationed in the demo
district's administrative villages (most with a first secretary or an instructor, some with
a work team only, one whose stay has ended); in the demo village, a month of points for good
conduct (积分制: most approved and published, one refused, two waiting), a redemption at the
points shop, and a resident's report from the public page, classed by the village.

Everything goes through the services; the same seed gives the same data.
"""

import random
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.auth.roles import Role
from yunong.core.regions import codes as region_codes
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.demo.steps import Context, demo_village
from yunong.demo.users import DEMO_DISTRICT, create_grid_workers, grid_worker_name
from yunong.governance import cadres, grids, matters, points, public_matters
from yunong.monitor.models import Household
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
        create_grid_workers(session, [code for code in villages if code != village])
        for code in villages:
            draw_grids(session, code, "demo_grid" if code == village else grid_worker_name(code))
        keep_points(session, rng, rules, village)
        report_in_public(session, rules, village)
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


GRID_HOUSEHOLDS = 60
"""Households put in grids per village: enough to show, few enough to keep the demo fast."""
GRIDS = ("第一网格", "第二网格")


def draw_grids(session: Session, village: str, worker: str) -> None:
    """Two grids of the village, its first households split between them by number."""
    codes = list(
        session.scalars(
            select(Household.code)
            .where(Household.village_code == village)
            .order_by(Household.number)
            .limit(GRID_HOUSEHOLDS)
        )
    )
    half = (len(codes) + 1) // 2
    for name, part in zip(GRIDS, (codes[:half], codes[half:]), strict=True):
        grid = grids.create(session, scope=SYSTEM, grid_in=grids.GridIn(village, name, worker))
        if part:
            grids.assign(session, scope=SYSTEM, grid=grid, keys=part)


NOTES = {
    "wedding_simple": "子女婚礼不收高价彩礼，酒席不超过十桌",
    "funeral_simple": "老人丧事简办，不放鞭炮",
    "filial_care": "常年照顾瘫痪在床的母亲",
    "yard_clean": "庭院整洁，垃圾分类投放",
    "neighbour_help": "帮助邻居抢收稻谷",
    "volunteer": "参加村道清扫义务劳动",
    "meeting": "参加院落议事会",
}


def keep_points(session: Session, rng: random.Random, rules: Governance, village: str) -> None:
    """December 2024 in the demo village: entries by the grid worker, reviewed by the village
    cadre (one refused, two left waiting), the month published, and one redemption."""
    if not rules.points_items:
        return
    grid = Scope(actor="demo_grid", region_code=village, role=Role.GRID_WORKER.value)
    cadre = Scope(actor="demo_village", region_code=village, role=Role.VILLAGE_CADRE.value)
    codes = list(
        session.scalars(
            select(Household.code)
            .where(Household.village_code == village)
            .order_by(Household.number)
            .limit(12)
        )
    )
    if not codes:
        return
    entries = []
    for index in range(12):  # a small demo village has fewer households: some get two
        item = rng.choice(sorted(NOTES))
        entry_in = points.EntryIn(
            codes[index % len(codes)], item, NOTES[item], date(2024, 12, 2 + index)
        )
        entries.append(points.record(session, scope=grid, rules=rules, entry_in=entry_in))
    for index, entry in enumerate(entries):
        if index >= len(entries) - 2:
            continue  # still waiting for review
        refused = index == 3
        points.review(
            session, scope=cadre, entry_id=entry.id, approve=not refused,
            reason="核实时未参加，不予计分" if refused else "",
        )  # fmt: skip
    points.publish(session, scope=cadre, village=village, month="2024-12")
    points.redeem(
        session,
        scope=cadre,
        household=codes[0],
        item="洗衣粉 1 袋",
        points=min(entries[0].points, 5),
    )


def report_in_public(session: Session, rules: Governance, village: str) -> None:
    """A resident's report from the public page, classed by the village cadre as a 小事."""
    matter = public_matters.submit(
        session,
        rules=rules,
        report_in=public_matters.ReportIn(village, "村口便民桥栏杆松动，小孩上学经过很危险"),
    )
    cadre = Scope(actor="demo_village", region_code=village, role=Role.VILLAGE_CADRE.value)
    matters.classify(session, scope=cadre, rules=rules, number=matter.number, kind="小事")
