"""农村黑臭水体: the register of water bodies, their tests and how each test is classified.

A test is black and odorous (黑臭) when any one of the pack's thresholds is crossed:

* transparency below ``transparency_cm`` (25 cm) — except where the water is shallower
  than ``shallow_depth_cm`` (a depth below 25 cm: 24.9 cm is shallow, 25 cm is not), where
  transparency below ``shallow_transparency_share`` (40 %) of the depth counts instead;
* dissolved oxygen below ``dissolved_oxygen_mg_l`` (2 mg/L);
* ammonia nitrogen above ``ammonia_nitrogen_mg_l`` (15 mg/L).

Every comparison is strict and exact (decimals): a value equal to a threshold is not black.
A test without a depth is judged as water of full depth (the 25 cm rule): depth matters only
for shallow water, and a tester records it there. A body's class is that of its latest test.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.parsing import fold
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.habitat import tables
from yunong.habitat.models import WaterBody, WaterTest
from yunong.habitat.tables import CellError, Column
from yunong.policy.schema import BlackOdorousWater

BLACK = "黑臭"
NOT_BLACK = "非黑臭"
KIND_WORDS = {
    "pond": ("坑塘", "池塘", "水塘", "塘", "塘堰", "山坪塘", "pond"),
    "ditch": ("沟渠", "沟", "渠", "水沟", "渠道", "ditch"),
    "river": ("河段", "河流", "河道", "河", "溪", "溪沟", "river"),
}
"""How registers name each kind of the pack; the pack's own names are accepted too."""
# Chongqing's extent, with a margin (degrees, CGCS2000).
LONGITUDES = (105.0, 110.5)
LATITUDES = (28.0, 32.5)

BODY_COLUMNS = {
    "code": Column("水体编号", ("水体编号", "编号", "水体代码")),
    "name": Column("名称", ("名称", "水体名称")),
    "region": Column("区划代码", ("区划代码", "行政区划代码", "村代码", "所在村代码")),
    "kind": Column("类型", ("类型", "水体类型")),
    "area": Column("面积(平方米)", ("面积", "水体面积", "水面面积"), units="area"),
    "longitude": Column("经度", ("经度",), required=False),
    "latitude": Column("纬度", ("纬度",), required=False),
}
TEST_COLUMNS = {
    "code": Column("水体编号", ("水体编号", "编号", "水体代码")),
    "day": Column("检测日期", ("检测日期", "监测日期", "采样日期", "检测时间", "采样时间", "日期")),
    "transparency": Column("透明度(cm)", ("透明度",), units="length"),
    "depth": Column("水深(cm)", ("水深", "水体深度"), units="length", required=False),
    "oxygen": Column("溶解氧(mg/L)", ("溶解氧", "DO"), units="concentration"),
    "ammonia": Column("氨氮(mg/L)", ("氨氮", "NH3-N", "氨氮(NH3-N)"), units="concentration"),
}


@dataclass
class Tally:
    """What an import did, by row; refused rows name their line and reason."""

    imported: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.errors)

    def refuse(self, line: int, column: Column, reason: str) -> None:
        self.errors.append((line, f"{column.label}：{reason}"))

    def as_json(self, key: str) -> dict[str, Any]:
        counts = {"imported": self.imported, "unchanged": self.unchanged, "rejected": self.rejected}
        return {key: counts, "errors": [{"row": row, "reason": why} for row, why in self.errors]}


@dataclass(frozen=True)
class Reading:
    transparency_cm: Decimal
    depth_cm: Decimal | None
    dissolved_oxygen: Decimal
    ammonia_nitrogen: Decimal


def classify(reading: Reading, rules: BlackOdorousWater) -> list[str]:
    """The thresholds ``reading`` crosses, in Chinese; empty when it is not black and odorous.

    >>> from yunong.policy.loader import get
    >>> rules = get().habitat.black_odorous
    >>> classify(Reading(Decimal(30), Decimal(100), Decimal(5), Decimal(1)), rules)
    []
    >>> classify(Reading(Decimal(8), Decimal(20), Decimal(5), Decimal(1)), rules)
    ['透明度 8 cm 低于水深 20 cm 的 40%']
    """
    reasons = []
    share = Decimal(str(rules.shallow_transparency_share))
    shallow = reading.depth_cm is not None and reading.depth_cm < exact(rules.shallow_depth_cm)
    if shallow:
        assert reading.depth_cm is not None
        if reading.transparency_cm < share * reading.depth_cm:
            reasons.append(
                f"透明度 {shown(reading.transparency_cm)} cm 低于水深 {shown(reading.depth_cm)} cm "
                f"的 {shown(share * 100)}%"
            )
    elif reading.transparency_cm < exact(rules.transparency_cm):
        reasons.append(
            f"透明度 {shown(reading.transparency_cm)} cm 低于 {shown(rules.transparency_cm)} cm"
        )
    if reading.dissolved_oxygen < exact(rules.dissolved_oxygen_mg_l):
        reasons.append(
            f"溶解氧 {shown(reading.dissolved_oxygen)} mg/L 低于 "
            f"{shown(rules.dissolved_oxygen_mg_l)} mg/L"
        )
    if reading.ammonia_nitrogen > exact(rules.ammonia_nitrogen_mg_l):
        reasons.append(
            f"氨氮 {shown(reading.ammonia_nitrogen)} mg/L 高于 "
            f"{shown(rules.ammonia_nitrogen_mg_l)} mg/L"
        )
    return reasons


def exact(value: float) -> Decimal:
    return Decimal(str(value))


def shown(value: Decimal | float) -> str:
    return f"{Decimal(str(value)).normalize():f}"


def kind_of(text: str, rules: BlackOdorousWater) -> str | None:
    cleaned = fold(text).lower()
    for key, name in rules.kinds.items():
        if cleaned in (key, name) or cleaned in KIND_WORDS.get(key, ()):
            return key
    return None


# Importing the register -----------------------------------------------------------------


def import_bodies(session: Session, *, scope: Scope, path: Path, rules: BlackOdorousWater) -> Tally:
    """Add or update water bodies from a register; rows outside the scope are refused."""
    tally = Tally()
    seen: dict[str, int] = {}
    known_regions: dict[str, bool] = {}
    for line, row in tables.read(path, BODY_COLUMNS):
        try:
            values = body_values(row, rules)
            region = values["region_code"]
            if region not in known_regions:
                known_regions[region] = session.get(Region, region) is not None
            if not known_regions[region] or not scope.covers(region):
                raise CellError(
                    BODY_COLUMNS["region"], f"区划代码“{region}”不存在或不在您的管辖范围内"
                )
            if values["code"] in seen:
                raise CellError(
                    BODY_COLUMNS["code"],
                    f"水体编号“{values['code']}”与第 {seen[values['code']]} 行重复",
                )
        except CellError as error:
            tally.refuse(line, error.column, error.message)
            continue
        seen[values["code"]] = line
        save_body(session, scope=scope, values=values, tally=tally, line=line)
    audit.record_file_import(
        session,
        scope=scope,
        action="habitat.import_water_bodies",
        path=path,
        detail=f"导入 {tally.imported}，未变 {tally.unchanged}，拒绝 {tally.rejected}",
    )
    return tally


def body_values(row: dict[str, tuple[str, Decimal | None]], rules: BlackOdorousWater) -> dict:
    columns = BODY_COLUMNS
    code = tables.text(columns["code"], row["code"][0], longest=40)
    name = tables.text(columns["name"], row["name"][0], longest=100)
    raw_region = fold(row["region"][0])
    if not raw_region:
        raise CellError(columns["region"], "不能为空")
    if not raw_region.isdigit() or len(raw_region) != 12:
        raise CellError(columns["region"], f"“{raw_region}”应为 12 位村级区划代码")
    kind = kind_of(row["kind"][0], rules)
    if kind is None:
        choices = "、".join(rules.kinds.values())
        raise CellError(columns["kind"], f"“{row['kind'][0].strip()}”不是水体类型（{choices}）")
    area = tables.number(columns["area"], *row["area"])
    assert area is not None
    if area <= 0:
        raise CellError(columns["area"], "应大于 0")
    longitude = coordinate(columns["longitude"], row.get("longitude"), LONGITUDES)
    latitude = coordinate(columns["latitude"], row.get("latitude"), LATITUDES)
    if (longitude is None) != (latitude is None):
        missing = columns["latitude"] if latitude is None else columns["longitude"]
        raise CellError(missing, "经度和纬度应同时填写")
    return {
        "code": code,
        "name": name,
        "region_code": raw_region,
        "kind": kind,
        "area_m2": area.quantize(Decimal("0.01")),
        "longitude": longitude,
        "latitude": latitude,
    }


def coordinate(
    column: Column, cell: tuple[str, Decimal | None] | None, bounds: tuple[float, float]
) -> float | None:
    if cell is None:
        return None
    value = tables.number(column, cell[0], None, required=False)
    if value is None:
        return None
    if not bounds[0] <= float(value) <= bounds[1]:
        raise CellError(column, f"{shown(value)} 不在重庆市范围内（{bounds[0]}–{bounds[1]}）")
    return float(value)


def save_body(session: Session, *, scope: Scope, values: dict, tally: Tally, line: int) -> None:
    body = session.scalars(select(WaterBody).where(WaterBody.code == values["code"])).first()
    if body is not None and not scope.covers(body.region_code):
        tally.refuse(line, BODY_COLUMNS["code"], f"水体编号“{values['code']}”已由其他区域登记")
        return
    if body is None:
        session.add(WaterBody(**values))
        tally.imported += 1
        return
    current = {key: getattr(body, key) for key in values}
    if current == values:
        tally.unchanged += 1
        return
    for key, value in values.items():
        setattr(body, key, value)
    tally.imported += 1


# Importing tests -----------------------------------------------------------------------


def import_tests(
    session: Session, *, scope: Scope, path: Path, rules: BlackOdorousWater, today: date
) -> Tally:
    """Add the tests of a file, each classified by ``rules``; a test of a body that is not
    in the register (or not in the caller's region) is refused."""
    tally = Tally()
    bodies: dict[str, WaterBody | None] = {}
    seen: dict[tuple[str, date], int] = {}
    for line, row in tables.read(path, TEST_COLUMNS):
        try:
            code, day, reading = test_values(row, today=today)
            if code not in bodies:
                found = session.scalars(select(WaterBody).where(WaterBody.code == code)).first()
                bodies[code] = found if found and scope.covers(found.region_code) else None
            body = bodies[code]
            if body is None:
                raise CellError(TEST_COLUMNS["code"], f"水体“{code}”未登记，请先导入水体名录")
            if (code, day) in seen:
                raise CellError(
                    TEST_COLUMNS["day"],
                    f"水体“{code}”{day.isoformat()} 的检测与第 {seen[(code, day)]} 行重复",
                )
        except CellError as error:
            tally.refuse(line, error.column, error.message)
            continue
        seen[(code, day)] = line
        save_test(session, body=body, day=day, reading=reading, rules=rules, tally=tally)
    session.flush()
    for body in {body.id: body for body in bodies.values() if body is not None}.values():
        refresh_latest(session, body)
    audit.record_file_import(
        session,
        scope=scope,
        action="habitat.import_water_tests",
        path=path,
        detail=f"导入 {tally.imported}，未变 {tally.unchanged}，拒绝 {tally.rejected}",
    )
    return tally


def test_values(
    row: dict[str, tuple[str, Decimal | None]], *, today: date
) -> tuple[str, date, Reading]:
    columns = TEST_COLUMNS
    code = tables.text(columns["code"], row["code"][0], longest=40)
    day = tables.day(columns["day"], row["day"][0], today=today)
    transparency = tables.number(columns["transparency"], *row["transparency"])
    depth_cell = row.get("depth", ("", None))
    depth = tables.number(columns["depth"], *depth_cell, required=False)
    oxygen = tables.number(columns["oxygen"], *row["oxygen"])
    ammonia = tables.number(columns["ammonia"], *row["ammonia"])
    assert transparency is not None and oxygen is not None and ammonia is not None
    if depth is not None and depth <= 0:
        raise CellError(columns["depth"], "应大于 0")
    return code, day, Reading(transparency, depth, oxygen, ammonia)


def save_test(
    session: Session,
    *,
    body: WaterBody,
    day: date,
    reading: Reading,
    rules: BlackOdorousWater,
    tally: Tally,
) -> None:
    reasons = classify(reading, rules)
    values = {
        "transparency_cm": reading.transparency_cm,
        "depth_cm": reading.depth_cm,
        "dissolved_oxygen": reading.dissolved_oxygen,
        "ammonia_nitrogen": reading.ammonia_nitrogen,
        "black": bool(reasons),
        "reasons": "；".join(reasons)[:200],
    }
    test = session.scalars(
        select(WaterTest).where(WaterTest.body_id == body.id, WaterTest.tested_on == day)
    ).first()
    if test is None:
        session.add(WaterTest(body_id=body.id, tested_on=day, **values))
        tally.imported += 1
        return
    if all(same(getattr(test, key), value) for key, value in values.items()):
        tally.unchanged += 1
        return
    for key, value in values.items():
        setattr(test, key, value)
    tally.imported += 1


def same(stored: object, value: object) -> bool:
    if isinstance(value, Decimal) and stored is not None:
        return Decimal(str(stored)) == value
    return stored == value


def refresh_latest(session: Session, body: WaterBody) -> None:
    latest = session.scalars(
        select(WaterTest)
        .where(WaterTest.body_id == body.id)
        .order_by(WaterTest.tested_on.desc())
        .limit(1)
    ).first()
    body.tested_on = latest.tested_on if latest else None
    body.black = latest.black if latest else None


# Reading -------------------------------------------------------------------------------


def get_all(session: Session, *, scope: Scope, region_code: str | None = None) -> list[WaterBody]:
    """Every registered body in the scope (narrowed to ``region_code``), by code."""
    within = scope.narrowed_to(region_code) if region_code else scope
    query = within.filter(select(WaterBody), WaterBody.region_code).order_by(WaterBody.code)
    return list(session.scalars(query))


def classes(session: Session, *, scope: Scope, region_code: str) -> list[dict[str, str]]:
    """``yunong habitat water-bodies --json``: each tested body by its latest test."""
    return [
        {
            "id": body.code,
            "class": BLACK if body.black else NOT_BLACK,
            "tested": body.tested_on.isoformat(),
        }
        for body in get_all(session, scope=scope, region_code=region_code)
        if body.tested_on is not None
    ]


def get_by_code(session: Session, *, scope: Scope, code: str) -> WaterBody:
    body = session.scalars(select(WaterBody).where(WaterBody.code == code)).first()
    scope.check_read(body.region_code if body else None, f"水体“{code}”")
    assert body is not None
    return body


def tests_of(session: Session, *, body: WaterBody) -> list[WaterTest]:
    """The tests of a body the caller has already read through its scope, newest first."""
    query = select(WaterTest).where(WaterTest.body_id == body.id)
    return list(session.scalars(query.order_by(WaterTest.tested_on.desc())))
