"""Demo data of 人居环境: in every administrative village one or two settlements (some of
200 households or 500 residents without a sewage facility), a water body tested twice in 2024
(some black and odorous, some of those under remediation), a few household toilets; in the
demo village the 先改后补 subsidies at every step, so each role finds its 待办.

The same for a seed; bulk rows are inserted at once, the workflows go through the services.
"""

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.orm import Session

from yunong.assess.model_village import is_administrative_village
from yunong.core.auth.roles import Role
from yunong.core.regions.codes import Level
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.demo.scales import Scale
from yunong.demo.steps import Context, demo_village
from yunong.habitat import remediation, toilets, water
from yunong.habitat.models import (
    FacilityInspection,
    Settlement,
    SewageFacility,
    Toilet,
    WaterBody,
    WaterTest,
)
from yunong.habitat.water import Reading
from yunong.policy.schema import Habitat
from yunong.store.db import make_sessionmaker, transaction

SYSTEM = Scope.system("demo")
FIRST_TEST = date(2024, 3, 12)
SECOND_TEST = date(2024, 9, 10)
SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗"
GIVEN = "国华明德春秀英建平志强玉兰永福桂芳文静海燕"
SETTLEMENT_WORDS = ("院子", "湾", "坪", "岭", "沟", "场")
WATER_NAMES = {"pond": "塘", "ditch": "堰沟", "river": "河段"}
TOILETS_AT_MOST = 20
"""Toilet records a village gets at most, whatever the scale."""


@dataclass(frozen=True)
class HabitatDemo:
    settlements: int
    facilities: int
    bodies: int
    tests: int
    toilets: int


def create_habitat_demo(
    engine: Engine, *, scale: Scale, seed: int, pack_section: Habitat, demo_village: str
) -> HabitatDemo:
    rng = random.Random(seed * 31 + 26)
    with transaction(make_sessionmaker(engine)) as session:
        villages = [
            (region.code, region.name)
            for region in session.scalars(
                select(Region).where(Region.level == int(Level.VILLAGE)).order_by(Region.code)
            )
            if is_administrative_village(region.code)
        ]
        made, later = registries(session, rng, villages, scale, pack_section)
        black_first = treat(session, pack_section)
        session.execute(insert(WaterTest), later)
        accept(session, pack_section, black_first)
        subsidies(session, pack_section, demo_village)
    return made


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)


def registries(
    session: Session,
    rng: random.Random,
    villages: list[tuple[str, str]],
    scale: Scale,
    rules: Habitat,
) -> tuple[HabitatDemo, list[dict[str, object]]]:
    """The registries, and the second tests of the water bodies, to insert later."""
    facilities: list[dict[str, object]] = []
    settlements: list[dict[str, object]] = []
    inspections: list[dict[str, object]] = []
    bodies: list[dict[str, object]] = []
    tests: list[dict[str, object]] = []
    toilet_rows: list[dict[str, object]] = []
    later: list[dict[str, object]] = []
    grades = list(rules.sewage.grades)
    sanitary = [kind for kind, yes in rules.toilets.types.items() if yes]
    unsanitary = [kind for kind, yes in rules.toilets.types.items() if not yes]
    for number, (code, name) in enumerate(villages, start=1):
        for index in range(rng.choice((1, 2, 2))):
            households = rng.choice((rng.randint(30, 150), rng.randint(150, 320)))
            residents = int(households * rng.uniform(2.2, 3.1))
            facility_id = None
            if rng.random() < (0.7 if households >= 200 or residents >= 500 else 0.25):
                facility_id = len(facilities) + 1
                facilities.append(
                    {
                        "id": facility_id,
                        "code": f"WS{code}{index + 1}",
                        "name": f"{name}{index + 1}号污水处理站",
                        "region_code": code,
                        "capacity_m3": Decimal(max(10, residents // 8)),
                        "grade": rng.choice(grades),
                        "network": rng.random() < 0.9,
                    }
                )
                passed = rng.random() < 0.9
                inspections.append(
                    {
                        "facility_id": facility_id,
                        "inspected_on": date(2024, 6, rng.randint(1, 28)),
                        "running": True,
                        "cod": Decimal(rng.randint(20, 55) if passed else 180),
                        "ammonia_nitrogen": Decimal(rng.randint(1, 7)),
                        "total_phosphorus": None,
                        "suspended_solids": None,
                        "passed": passed,
                        "reasons": "" if passed else "化学需氧量 180 mg/L 超过排放标准",
                    }
                )
            settlements.append(
                {
                    "code": f"JJ{code}{index + 1}",
                    "name": person(rng)[0] + rng.choice(SETTLEMENT_WORDS),
                    "region_code": code,
                    "households": households,
                    "residents": residents,
                    "facility_id": facility_id,
                    "refuse_collected": rng.random() < 0.92,
                }
            )
        kind = rng.choice(list(rules.black_odorous.kinds))
        body_id = number
        body = {
            "id": body_id,
            "code": f"HC{code}",
            "name": f"{name}{WATER_NAMES.get(kind, '水体')}",
            "region_code": code,
            "kind": kind,
            "area_m2": Decimal(rng.randint(300, 6000)),
            "longitude": None,
            "latitude": None,
        }
        black_then = rng.random() < 0.18
        readings = [reading(rng, black_then), reading(rng, black_then and rng.random() < 0.5)]
        for tested_on, measured in zip((FIRST_TEST, SECOND_TEST), readings, strict=True):
            reasons = water.classify(measured, rules.black_odorous)
            tests.append(
                {
                    "body_id": body_id,
                    "tested_on": tested_on,
                    "transparency_cm": measured.transparency_cm,
                    "depth_cm": measured.depth_cm,
                    "dissolved_oxygen": measured.dissolved_oxygen,
                    "ammonia_nitrogen": measured.ammonia_nitrogen,
                    "black": bool(reasons),
                    "reasons": "；".join(reasons),
                }
            )
        body |= {"tested_on": FIRST_TEST, "black": tests[-2]["black"]}
        bodies.append(body)
        later.append(tests.pop())
        for household in range(1, min(scale.households_per_village, TOILETS_AT_MOST) + 1):
            is_sanitary = rng.random() < 0.85
            toilet_rows.append(
                {
                    "region_code": code,
                    "household_number": f"{household:04d}",
                    "head_name": person(rng),
                    "kind": rng.choice(sanitary if is_sanitary else unsanitary),
                    "sanitary": is_sanitary,
                    "recorded_on": date(2024, rng.randint(1, 10), rng.randint(1, 28)),
                }
            )
    for model, rows in (
        (SewageFacility, facilities),
        (FacilityInspection, inspections),
        (Settlement, settlements),
        (WaterBody, bodies),
        (WaterTest, tests),
        (Toilet, toilet_rows),
    ):
        if rows:
            session.execute(insert(model), rows)
    made = HabitatDemo(
        len(settlements), len(facilities), len(bodies), len(tests) + len(later), len(toilet_rows)
    )
    return made, later


def reading(rng: random.Random, black: bool) -> Reading:
    depth = Decimal(rng.randint(40, 180))
    if not black:
        return Reading(
            Decimal(rng.randint(30, 60)),
            depth,
            Decimal(rng.randint(40, 80)) / 10,
            Decimal(rng.randint(5, 60)) / 10,
        )
    return Reading(
        Decimal(rng.randint(8, 22)),
        depth,
        Decimal(rng.randint(8, 30)) / 10,
        Decimal(rng.randint(80, 220)) / 10,
    )


def treat(session: Session, rules: Habitat) -> list[str]:
    """Every body black at its first test is listed and treated (治理)."""
    codes = list(
        session.scalars(
            select(WaterBody.code).where(WaterBody.black.is_(True)).order_by(WaterBody.code)
        )
    )
    black_odorous = rules.black_odorous
    for code in codes:
        remediation.start(
            session, scope=SYSTEM, body_code=code, on=date(2024, 3, 20), rules=black_odorous
        )
        for on in (date(2024, 4, 1), date(2024, 5, 6)):
            remediation.advance(session, scope=SYSTEM, body_code=code, on=on, rules=black_odorous)
    return codes


def accept(session: Session, rules: Habitat, codes: list[str]) -> None:
    """After the second tests: each body is classed by it, and the treated bodies now clean
    are accepted, with a survey."""
    second = (
        select(WaterTest.black)
        .where(WaterTest.body_id == WaterBody.id, WaterTest.tested_on == SECOND_TEST)
        .scalar_subquery()
    )
    session.execute(
        update(WaterBody).values(tested_on=SECOND_TEST, black=second),
        execution_options={"synchronize_session": False},
    )
    session.expire_all()
    for code in codes:
        if not water.get_by_code(session, scope=SYSTEM, code=code).black:
            remediation.advance(
                session,
                scope=SYSTEM,
                body_code=code,
                on=date(2024, 9, 20),
                rules=rules.black_odorous,
                surveyed=50,
                satisfied=47,
            )


def subsidies(session: Session, rules: Habitat, village: str) -> None:
    """In the demo village, one household's subsidy waits at each step, and one is paid."""
    kinds = [kind for kind, yes in rules.toilets.types.items() if yes]
    cadre = Scope(actor="demo_village", region_code=village, role=Role.VILLAGE_CADRE)
    grid = Scope(actor="demo_grid", region_code=village, role=Role.GRID_WORKER)
    town = Scope(actor="demo_town", region_code=village[:9] + "000", role=Role.TOWN_OFFICER)
    district = Scope(
        actor="demo_district", region_code=village[:6] + "000000", role=Role.DISTRICT_OFFICER
    )
    heads = ("刘德明", "陈玉兰", "王建国", "赵桂芳", "周永福", "杨春秀")
    for index, head in enumerate(heads):
        application = toilets.ApplicationIn(village, f"T{index + 1:03d}", head, kinds[index % 2])
        subsidy = toilets.apply(
            session,
            scope=cadre,
            application_in=application,
            rules=rules.toilets,
            on=date(2024, 8, 1 + index),
        )
        if index < 2:
            continue
        visit = toilets.VisitIn(village, subsidy.household_number, subsidy.kind)
        toilets.visit(
            session, scope=grid, visit_in=visit, rules=rules.toilets, on=date(2024, 9, 10 + index)
        )
        if index < 3:
            continue
        toilets.accept(
            session, scope=town, subsidy_id=subsidy.id, passed=True, on=date(2024, 10, 8 + index)
        )
        if index < 5:
            continue
        toilets.pay(
            session,
            scope=district,
            subsidy_id=subsidy.id,
            rules=rules.toilets,
            on=date(2024, 11, 1),
        )


def step(context: Context) -> None:
    """The demo step of 人居环境 (before the assessment, whose 达标村 checklist reads it)."""
    section = context.pack.habitat
    if section is None:
        return
    create_habitat_demo(
        context.engine,
        scale=context.scale,
        seed=context.seed,
        pack_section=section,
        demo_village=demo_village(context),
    )
    context.progress("人居环境", 1, 1)
