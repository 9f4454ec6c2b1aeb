"""Demo data of 考核驾驶舱: two years (2023, 2024) of reported values for the city and all
38 districts, every administrative village's 达标村 checklist for 2024, then the scores.

Values are drawn around each indicator's target, shared out to the districts where the
target is the city's total, so the city figures land near the seed's numbers. Most 2024
data sets are approved; a few are still submitted, returned or in draft, to show the
approval workflow, and the demo village's checklist is in draft with its last answers still
to type in (its collective accountant finds it in 待办). The city's and the districts' data
sets are entered, sent up and decided through the data set service, as the units and the
level above would; the villages' checklists (tens of thousands of answers at Chongqing
scale) are written in bulk without an audit record each, as the service writes them once
approved (tests/demo/test_writers_match.py compares the two)."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session

from yunong.assess import datasets, scoring
from yunong.assess.catalogue import CHECKLIST_PREFIX, Item, items
from yunong.assess.model_village import is_administrative_village
from yunong.assess.models import DataSet, Value
from yunong.core import indicators
from yunong.core.regions import codes
from yunong.core.regions.codes import Level
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.policy.schema import Pack
from yunong.store.base import table_of
from yunong.store.db import make_sessionmaker, transaction

PERIODS = (2023, 2024)
DISTRICTS = 38
SYSTEM = Scope.system("demo")
DECIDED_AT = datetime(2025, 2, 20, tzinfo=UTC)
WHOLE_NUMBERS = ("个", "家", "条", "名", "亩")
# 2024 data sets not yet approved: (district, state, comment)
PENDING = (
    ("500154000000", "submitted", ""),
    ("500236000000", "submitted", ""),
    ("500110000000", "returned", "粮食产量与统计快报不一致，请核实后重新报送"),
    ("500243000000", "draft", ""),
)
CHECK_YES = {item: 0.93 for item in ("village_plan", "sanitary_toilets", "waste_collected")}
UNANSWERED = 3
"""Required checklist items the demo village has not answered yet."""


@dataclass(frozen=True)
class AssessDemo:
    data_sets: int
    values: int
    villages: int


def base_value(pack: Pack, item: Item, level: Level, period: int) -> float:
    """A typical value of the item for one unit: near the target, shared out if a total."""
    indicator = pack.indicators[item.key]
    year = next((year for year in sorted(indicator.targets) if year >= period), None)
    target = indicator.targets[year] if year else None
    low, high = indicator.valid
    if target is None or target.value is None:
        goal = min(high, max(low, (low + high) / 20))
    else:
        goal = target.value
        if year and year > period:
            goal *= 0.35  # a long-term goal: a third of the way there
    shared = "city" in indicator.levels and indicator.aggregation == "sum"
    if level is not Level.CITY and shared and indicator.applies_to is None:
        goal /= DISTRICTS
    if indicator.direction == "lower":
        goal = max(goal, 3.0)
    return goal


def drawn(rng: random.Random, pack: Pack, item: Item, level: Level, period: int) -> float:
    indicator = pack.indicators[item.key]
    goal = base_value(pack, item, level, period)
    if goal == 0:
        value = rng.uniform(-1.5, 3.0)
    elif indicator.aggregation == "sum" and "city" in indicator.levels:
        value = goal * rng.uniform(0.55, 1.5) * (0.97 if period < PERIODS[-1] else 1.0)
    else:
        value = goal * rng.uniform(0.82, 1.12)
    low, high = indicator.valid
    value = min(high, max(low, value))
    return float(round(value)) if item.unit in WHOLE_NUMBERS else round(value, 2)


def unit_rows(
    rng: random.Random, pack: Pack, region_code: str, period: int
) -> list[tuple[str, float]]:
    level = codes.level_of(region_code)
    return [
        (item.key, drawn(rng, pack, item, level, period))
        for item in items(pack, level, period, region_code)
    ]


def create_assess(
    engine: Engine, *, pack: Pack, seed: int, demo_village: str | None = None
) -> AssessDemo:
    rng = random.Random(seed + 8)
    factory = make_sessionmaker(engine)
    with transaction(factory) as session:
        district_codes = list(
            session.scalars(
                select(Region.code).where(Region.level == int(Level.DISTRICT)).order_by(Region.code)
            )
        )
        pending = {code: (state, comment) for code, state, comment in PENDING}
        units: list[tuple[str, int, str, str, list[tuple[str, float]]]] = []
        for period in PERIODS:
            for code in [codes.CITY_CODE, *district_codes]:
                state, comment = ("approved", "")
                if period == PERIODS[-1]:
                    state, comment = pending.get(code, ("approved", ""))
                units.append((code, period, state, comment, unit_rows(rng, pack, code, period)))
        village_rows = checklists(session, rng, pack, PERIODS[-1])
        report(session, pack, units)
        in_draft = [row for row in village_rows if row[0] == demo_village]
        data_sets, values = write(session, [row for row in village_rows if row not in in_draft])
        for code, period, _state, _comment, answers in in_draft:
            values += half_filled(session, pack, code, period, answers)
        data_sets += len(units) + len(in_draft)
        values += sum(len(rows) for *_, rows in units)
    with transaction(factory) as session, indicators.sharing(session):
        for period in PERIODS:
            scoring.compute(session, scope=SYSTEM, pack=pack, period=period)
    return AssessDemo(data_sets=data_sets, values=values, villages=len(village_rows))


def checklists(
    session: Session, rng: random.Random, pack: Pack, period: int
) -> list[tuple[str, int, str, str, list[tuple[str, float]]]]:
    """Every administrative village's answers; each district has its own pace of creation."""
    villages = [
        code
        for code in session.scalars(select(Region.code).where(Region.level == int(Level.VILLAGE)))
        if is_administrative_village(code)
    ]
    pace: dict[str, float] = {}
    found = []
    for code in sorted(villages):
        district = code[:6]
        chance = pace.setdefault(district, rng.uniform(0.82, 0.97))
        answers = [
            (CHECKLIST_PREFIX + key, float(rng.random() < max(chance, CHECK_YES.get(key, 0))))
            for key in pack.model_village.items
        ]
        found.append((code, period, "approved", "", answers))
    return found


def half_filled(
    session: Session, pack: Pack, village: str, period: int, answers: list[tuple[str, float]]
) -> int:
    """Save the village's answers but its last required ones, leaving the checklist in
    draft for the village to complete; returns how many were saved."""
    required = [item.key for item in items(pack, Level.VILLAGE, period, village) if item.required]
    left_out = set(required[-UNANSWERED:])
    entries = [
        datasets.Entry(key, "是" if answer else "否")
        for key, answer in answers
        if key not in left_out
    ]
    datasets.save(
        session, scope=SYSTEM, pack=pack, period=period, region_code=village, entries=entries
    )
    return len(entries)


def report(
    session: Session, pack: Pack, units: list[tuple[str, int, str, str, list[tuple[str, float]]]]
) -> None:
    """Enter each unit's values, send them up and have them approved or returned, through
    the data set service; a draft stays with its unit."""
    for code, period, state, comment, rows in units:
        entries = [datasets.Entry(key, str(value)) for key, value in rows]
        datasets.save(
            session, scope=SYSTEM, pack=pack, period=period, region_code=code, entries=entries
        )
        if state == "draft":
            continue
        datasets.submit(session, scope=SYSTEM, pack=pack, period=period, region_code=code)
        if state == "approved":
            datasets.approve(session, scope=SYSTEM, period=period, region_code=code)
        elif state == "returned":
            datasets.send_back(
                session, scope=SYSTEM, period=period, region_code=code, comment=comment
            )


def write(
    session: Session, units: list[tuple[str, int, str, str, list[tuple[str, float]]]]
) -> tuple[int, int]:
    """Insert approved data sets, then their values, in bulk: the rows the data set service
    leaves once a unit's values are saved, submitted and approved."""
    approved = {
        "state": "approved",
        "comment": "",
        "updated_by": SYSTEM.actor,
        "updated_at": DECIDED_AT,
        "submitted_by": SYSTEM.actor,
        "submitted_at": DECIDED_AT,
        "decided_by": SYSTEM.actor,
        "decided_at": DECIDED_AT,
    }
    sets = [{"period": period, "region_code": code} | approved for code, period, *_ in units]
    session.execute(insert(table_of(DataSet)), sets)
    ids = {
        (period, code): number
        for number, period, code in session.execute(
            select(DataSet.id, DataSet.period, DataSet.region_code)
        )
    }
    values = [
        {"data_set_id": ids[(period, code)], "item": key, "value": value}
        for code, period, _state, _comment, rows in units
        for key, value in rows
    ]
    for start in range(0, len(values), 20000):
        session.execute(insert(table_of(Value)), values[start : start + 20000])
    return len(sets), len(values)
