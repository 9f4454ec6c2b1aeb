"""Demo data of 长江治渔: a stretch of the Yangtze and a reserve in each riverside district,
a patrol team per district with GPS tracks through the zones month by month in 2024, public
tips in the demo district at every stage (one waiting on the district, one a case under way,
one answered), a closed case, and retired fishers in the demo village with their visits.

Everything goes through the services, as a district's office would enter it; the same seed
gives the same data, but for the tips' reference numbers, which are random by design.
"""

import random
from datetime import UTC, date, datetime, timedelta

import numpy as np
import shapely
from pyproj import CRS
from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.auth.roles import Role
from yunong.core.errors import NotFound
from yunong.core.geometry import STORAGE_EPSG
from yunong.core.regions import geography
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.demo.steps import Context, demo_village
from yunong.demo.users import DEMO_DISTRICT
from yunong.fishery import cases, fishers, teams, tips, tracks, zones
from yunong.land.readers import Layer
from yunong.monitor.models import Household, Person
from yunong.policy.schema import Fishery
from yunong.store.db import make_sessionmaker, transaction

SYSTEM = Scope.system("demo")
RIVERSIDE = ("500101", "500102", "500115", "500116", "500233", "500235", "500236", "500237")
"""万州、涪陵、长寿、江津、忠县、云阳、奉节、巫山: districts on the Yangtze's main stream."""
MONTHS = range(1, 13)
FISHERS_AT_MOST = 8


def step(context: Context) -> None:
    """The demo step of 长江治渔 (after the households, whose people the fishers are)."""
    rules = context.pack.fishery
    if rules is None:
        return
    village = demo_village(context)
    rng = random.Random(context.seed * 41 + 28)
    with transaction(make_sessionmaker(context.engine)) as session:
        districts = riverside(session, context.scale.name)
        zones_of = create_zones(session, rules, districts)
        for district in districts:
            team = teams.create(
                session,
                scope=SYSTEM,
                name=f"{regions.get(session, code=district).name}护渔队",
                region_code=district,
            )
            patrol(session, rng, team, zones_of[district])
        tip_and_cases(session)
        retired_fishers(session, rng, village)
    context.progress("长江治渔", 1, 1)


def riverside(session: Session, scale: str) -> list[str]:
    codes = [code + "000000" for code in RIVERSIDE]
    known = [code for code in codes if regions_known(session, code)]
    return known[:2] if scale in ("tiny", "small") else known


def regions_known(session: Session, code: str) -> bool:
    try:
        regions.get(session, code=code)
    except NotFound:  # a demo without that district
        return False
    return True


def create_zones(
    session: Session, rules: Fishery, districts: list[str]
) -> dict[str, list[shapely.Geometry]]:
    """A 6 km × 1 km stretch of the river east of each district's centre, and a reserve."""
    centres = geography.get_centres(session, scope=SYSTEM, codes=districts)
    made: dict[str, list[shapely.Geometry]] = {}
    names, kinds, numbers, codes, shapes = [], [], [], [], []
    for district in districts:
        centre = centres.get(district)
        lon, lat = (centre.lon, centre.lat) if centre else (108.4, 30.8)
        name = regions.get(session, code=district).name
        stream = shapely.box(lon - 0.03, lat - 0.005, lon + 0.03, lat + 0.005)
        reserve = shapely.box(lon + 0.035, lat - 0.01, lon + 0.05, lat + 0.01)
        made[district] = [stream, reserve]
        for suffix, kind, label, shape in (
            ("CJ", "长江干流", f"长江{name}段", stream),
            ("BH", "保护区", f"{name}水生生物保护区", reserve),
        ):
            numbers.append(f"{district[:6]}-{suffix}-01")
            names.append(label)
            kinds.append(kind)
            codes.append(district[:6])
            shapes.append(shape)
    layer = Layer(
        {
            "水域编号": numbers,
            "水域名称": names,
            "水域类型": kinds,
            "区县代码": codes,
            "禁捕依据": ["农业农村部通告〔2019〕4号"] * len(numbers),
        },
        np.array(shapes, dtype=object),
        CRS.from_epsg(STORAGE_EPSG),
    )
    zones.import_layer(session, scope=SYSTEM, rules=rules, layer=layer)
    return made


def patrol(
    session: Session, rng: random.Random, team: teams.Team, shapes: list[shapely.Geometry]
) -> None:
    """Two or three patrols a month along the stream, some on into the reserve."""
    stream = shapes[0]
    west, south, east, north = stream.bounds
    middle = (south + north) / 2
    for month in MONTHS:
        for number in range(rng.choice((2, 2, 3))):
            start = datetime(2024, month, rng.randint(1, 27), 1, 0, tzinfo=UTC)
            count = rng.randint(30, 60)
            lons = np.linspace(west - 0.01, east + rng.choice((0.0, 0.02)), count)
            lats = middle + np.array([rng.uniform(-0.006, 0.006) for _ in range(count)])
            track = tracks.Track([np.column_stack([lons, lats])], start)
            note = f"{month} 月第 {number + 1} 次巡护"
            tracks.record(session, scope=SYSTEM, team=team, track=track, source="gpx", note=note)


def tip_and_cases(session: Session) -> None:
    """In the demo district: a tip waiting, a tip that is a case with gear seized, a tip
    answered; and a closed case found on patrol."""
    officer = Scope(
        actor="demo-district",
        region_code=DEMO_DISTRICT,
        role=Role.DISTRICT_OFFICER.value,
        can_view_personal_data=True,
    )
    texts = [
        ("长江万州段 大周镇码头下游", "夜里有人在江边用电瓶电鱼，有一条小船"),
        ("磨刀溪口", "看到有人在禁捕水域撒网捕鱼，网很长"),
        ("驸马镇沿江步道", "有人用地笼在江边捕鱼"),
    ]
    made = [
        tips.submit(session, tip_in=tips.TipIn(DEMO_DISTRICT, text, place, phone="13800138000"))
        for place, text in texts
    ]
    today = date.today()
    case = cases.open_from_tip(session, scope=officer, tip_id=made[1].id, found_on=today)
    cases.take(session, scope=officer, number=case.number, step="seized", text="流刺网 2 张")
    tips.dismiss(session, scope=officer, tip_id=made[2].id, reply="经现场核查，地笼已清除")
    found = cases.open_case(
        session,
        scope=officer,
        case_in=cases.CaseIn(
            DEMO_DISTRICT, today - timedelta(days=20), "长江万州段", "巡护发现违规垂钓（多线多钩）"
        ),
    )
    cases.take(session, scope=officer, number=found.number, step="seized", text="钓竿 3 根")
    cases.take(
        session,
        scope=officer,
        number=found.number,
        step="handed_over",
        text="万州区农业综合行政执法支队",
    )
    cases.take(session, scope=officer, number=found.number, step="closed", text="罚款 500 元")


def retired_fishers(session: Session, rng: random.Random, village: str) -> None:
    """Heads of the demo village's first households, retired at the ban's start."""
    heads = session.execute(
        select(Person.code)
        .join(Household, Household.id == Person.household_id)
        .where(Household.village_code == village, Person.relation == "户主")
        .order_by(Household.number)
        .limit(FISHERS_AT_MOST)
    ).scalars()
    kinds = ["job", "business", "none", "training", "job", "retired", "none", "job"]
    for index, code in enumerate(heads):
        employment = kinds[index % len(kinds)]
        fisher = fishers.register(
            session,
            scope=SYSTEM,
            fisher_in=fishers.FisherIn(
                code,
                "2020-12-31",
                f"渝万州渔{index + 1:04d}",
                "2021-03-15",
                str(rng.choice((36000, 42000, 58000))),
                "none" if employment == "none" and index % 2 else "resident",
                employment,
            ),
        )
        if index % 3 != 2:  # most were visited last winter; the others are due
            fishers.visit(
                session,
                scope=SYSTEM,
                fisher_id=fisher.id,
                visited_on=date(2024, 12, 10 + index),
                employment=employment,
                insured=fisher.insurance != "none",
                note="家中情况稳定",
            )
