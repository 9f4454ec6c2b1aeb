"""Import the sewage registers districts keep: facilities (设施编号, 名称, 区划代码, 设计处理能力,
排放标准等级, 配套管网) and settlements (聚居点编号, 名称, 区划代码, 户数, 人数, 污水处理设施编号,
纳入垃圾收运). Rows are refused one by one with their line and reason; the same file twice
changes nothing; a row whose code exists updates it."""

from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.errors import InvalidValue
from yunong.core.parsing import fold, parse_flag
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.habitat import tables
from yunong.habitat.models import Settlement, SewageFacility
from yunong.habitat.tables import CellError, Column
from yunong.habitat.water import Tally
from yunong.policy.schema import Sewage

CODE = Column("编号", ("编号",))
FACILITY_COLUMNS = {
    "code": Column("设施编号", ("设施编号", "编号")),
    "name": Column("名称", ("名称", "设施名称")),
    "region": Column("区划代码", ("区划代码", "行政区划代码", "村代码")),
    "capacity": Column(
        "设计处理能力(m³/d)", ("设计处理能力", "处理能力", "设计规模"), units="flow"
    ),
    "grade": Column("排放标准等级", ("排放标准等级", "排放标准", "执行标准")),
    "network": Column("配套管网", ("配套管网", "是否建成配套管网", "管网"), required=False),
}
SETTLEMENT_COLUMNS = {
    "code": Column("聚居点编号", ("聚居点编号", "编号")),
    "name": Column("名称", ("名称", "聚居点名称")),
    "region": Column("区划代码", ("区划代码", "行政区划代码", "村代码")),
    "households": Column("户数", ("户数", "常住户数")),
    "residents": Column("人数", ("人数", "常住人数", "常住人口")),
    "facility": Column("污水处理设施编号", ("污水处理设施编号", "设施编号"), required=False),
    "refuse": Column("纳入垃圾收运", ("纳入垃圾收运", "垃圾收运", "生活垃圾收运"), required=False),
}
GRADE_WORDS = {"1": "一级", "2": "二级", "3": "三级", "一": "一级", "二": "二级", "三": "三级"}


def region_of(session: Session, scope: Scope, column: Column, text: str, known: dict) -> str:
    code = fold(text)
    if not code.isdigit() or len(code) != 12:
        raise CellError(column, f"“{text.strip()}”应为 12 位村级区划代码")
    if code not in known:
        known[code] = session.get(Region, code) is not None
    if not known[code] or not scope.covers(code):
        raise CellError(column, f"区划代码“{code}”不存在或不在您的管辖范围内")
    return code


def flag(column: Column, text: str, default: bool) -> bool:
    if not fold(text):
        return default
    try:
        return parse_flag(text)
    except InvalidValue as error:
        raise CellError(column, error.message) from None


def whole(column: Column, text: str) -> int:
    value = tables.number(column, text, None)
    assert value is not None
    if value != value.to_integral_value():
        raise CellError(column, f"“{text.strip()}”应为整数")
    return int(value)


def save(session: Session, model: Any, values: dict[str, Any], tally: Tally) -> None:
    row = session.scalars(select(model).where(model.code == values["code"])).first()
    if row is None:
        session.add(model(**values))
        tally.imported += 1
    elif all(same(getattr(row, key), value) for key, value in values.items()):
        tally.unchanged += 1
    else:
        for key, value in values.items():
            setattr(row, key, value)
        tally.imported += 1
    session.flush()


def same(stored: object, value: object) -> bool:
    if isinstance(value, Decimal) and stored is not None:
        return Decimal(str(stored)) == value
    return stored == value


def owned_elsewhere(session: Session, scope: Scope, model: Any, code: str) -> bool:
    row = session.scalars(select(model).where(model.code == code)).first()
    return row is not None and not scope.covers(row.region_code)


def import_facilities(session: Session, *, scope: Scope, path: Path, rules: Sewage) -> Tally:
    tally, known, seen = Tally(), {}, {}  # type: ignore[var-annotated]
    columns = FACILITY_COLUMNS
    for line, row in tables.read(path, columns):
        try:
            code = tables.text(columns["code"], row["code"][0], longest=40)
            if code in seen:
                raise CellError(columns["code"], f"设施编号“{code}”与第 {seen[code]} 行重复")
            if owned_elsewhere(session, scope, SewageFacility, code):
                raise CellError(columns["code"], f"设施编号“{code}”已由其他区域登记")
            grade = fold(row["grade"][0]).removesuffix("标准").replace("级", "")
            grade = GRADE_WORDS.get(grade, fold(row["grade"][0]))
            if grade not in rules.grades:
                choices = "、".join(rules.grades)
                raise CellError(columns["grade"], f"“{row['grade'][0].strip()}”不是{choices}")
            capacity = tables.number(columns["capacity"], *row["capacity"])
            assert capacity is not None
            if capacity <= 0:
                raise CellError(columns["capacity"], "应大于 0")
            values = {
                "code": code,
                "name": tables.text(columns["name"], row["name"][0], longest=100),
                "region_code": region_of(
                    session, scope, columns["region"], row["region"][0], known
                ),
                "capacity_m3": capacity.quantize(Decimal("0.1")),
                "grade": grade,
                "network": flag(columns["network"], row.get("network", ("", None))[0], True),
            }
        except CellError as error:
            tally.refuse(line, error.column, error.message)
            continue
        seen[code] = line
        save(session, SewageFacility, values, tally)
    audit.record_file_import(
        session,
        scope=scope,
        action="habitat.import_facilities",
        path=path,
        detail=f"导入 {tally.imported}，未变 {tally.unchanged}，拒绝 {tally.rejected}",
    )
    return tally


def import_settlements(session: Session, *, scope: Scope, path: Path) -> Tally:
    tally, known, seen = Tally(), {}, {}  # type: ignore[var-annotated]
    columns = SETTLEMENT_COLUMNS
    for line, row in tables.read(path, columns):
        try:
            code = tables.text(columns["code"], row["code"][0], longest=40)
            if code in seen:
                raise CellError(columns["code"], f"聚居点编号“{code}”与第 {seen[code]} 行重复")
            if owned_elsewhere(session, scope, Settlement, code):
                raise CellError(columns["code"], f"聚居点编号“{code}”已由其他区域登记")
            region = region_of(session, scope, columns["region"], row["region"][0], known)
            facility_id = None
            facility_code = fold(row.get("facility", ("", None))[0])
            if facility_code:
                facility = session.scalars(
                    select(SewageFacility).where(SewageFacility.code == facility_code)
                ).first()
                if facility is None or not scope.covers(facility.region_code):
                    raise CellError(columns["facility"], f"设施“{facility_code}”未登记")
                facility_id = facility.id
            values = {
                "code": code,
                "name": tables.text(columns["name"], row["name"][0], longest=100),
                "region_code": region,
                "households": whole(columns["households"], row["households"][0]),
                "residents": whole(columns["residents"], row["residents"][0]),
                "facility_id": facility_id,
                "refuse_collected": flag(
                    columns["refuse"], row.get("refuse", ("", None))[0], False
                ),
            }
        except CellError as error:
            tally.refuse(line, error.column, error.message)
            continue
        seen[code] = line
        save(session, Settlement, values, tally)
    audit.record_file_import(
        session,
        scope=scope,
        action="habitat.import_settlements",
        path=path,
        detail=f"导入 {tally.imported}，未变 {tally.unchanged}，拒绝 {tally.rejected}",
    )
    return tally
