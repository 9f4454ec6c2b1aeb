"""农村生活污水: settlements (聚居点), the facilities that treat their sewage, and the
inspections of the facilities' effluent against their grade of DB 50/848.

（十八）: every settlement of at least 200 households or 500 residents (the pack's rule
``settlement_sewage``; either figure is enough, both bounds inclusive) is to have a treatment
facility with its collection network. :func:`unserved` lists those that do not: no facility,
or a facility whose network is not built.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.errors import Conflict, InvalidValue
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.habitat.models import FacilityInspection, Settlement, SewageFacility
from yunong.policy.schema import Pack, Sewage

RULE = "settlement_sewage"
LIMITS = {
    "cod": "化学需氧量",
    "ammonia_nitrogen": "氨氮",
    "total_phosphorus": "总磷",
    "suspended_solids": "悬浮物",
}


@dataclass(frozen=True)
class Floor:
    """The size from which a settlement is to have a facility."""

    households: int
    residents: int


def floor(pack: Pack) -> Floor:
    values = pack.rules[RULE].values
    return Floor(int(values["households"]), int(values["persons"]))


def needs_facility(settlement: Settlement, size: Floor) -> bool:
    return settlement.households >= size.households or settlement.residents >= size.residents


@dataclass(frozen=True)
class SettlementIn:
    code: str
    name: str
    region_code: str
    households: int
    residents: int
    facility_code: str | None = None
    refuse_collected: bool = False


@dataclass(frozen=True)
class FacilityIn:
    code: str
    name: str
    region_code: str
    capacity_m3: Decimal
    grade: str
    network: bool = True


def check_region(session: Session, scope: Scope, code: str, what: str) -> None:
    scope.check_write(code, what)
    if session.get(Region, code) is None:
        raise InvalidValue("区划代码“{code}”不存在", code=code)


def create_facility(
    session: Session, *, scope: Scope, facility_in: FacilityIn, rules: Sewage
) -> SewageFacility:
    check_region(session, scope, facility_in.region_code, f"设施“{facility_in.name}”")
    if facility_in.grade not in rules.grades:
        choices = "、".join(rules.grades)
        raise InvalidValue(
            "排放标准等级“{grade}”不在 {choices} 之中", grade=facility_in.grade, choices=choices
        )
    if facility_in.capacity_m3 <= 0:
        raise InvalidValue("设计处理能力应大于 0")
    if session.scalars(
        select(SewageFacility).where(SewageFacility.code == facility_in.code)
    ).first():
        raise Conflict("设施编号“{code}”已存在", code=facility_in.code)
    facility = SewageFacility(**vars(facility_in))
    session.add(facility)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="habitat.facility.create",
        target_type="sewage_facility",
        target_id=facility.code,
        region_code=facility.region_code,
    )
    return facility


def create_settlement(session: Session, *, scope: Scope, settlement_in: SettlementIn) -> Settlement:
    check_region(session, scope, settlement_in.region_code, f"聚居点“{settlement_in.name}”")
    if settlement_in.households < 0 or settlement_in.residents < 0:
        raise InvalidValue("户数和人数不能为负数")
    facility_id = None
    if settlement_in.facility_code:
        facility = get_facility(session, scope=scope, code=settlement_in.facility_code)
        facility_id = facility.id
    if session.scalars(select(Settlement).where(Settlement.code == settlement_in.code)).first():
        raise Conflict("聚居点编号“{code}”已存在", code=settlement_in.code)
    values = vars(settlement_in) | {"facility_id": facility_id}
    del values["facility_code"]
    settlement = Settlement(**values)
    session.add(settlement)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="habitat.settlement.create",
        target_type="settlement",
        target_id=settlement.code,
        region_code=settlement.region_code,
    )
    return settlement


def get_facility(session: Session, *, scope: Scope, code: str) -> SewageFacility:
    facility = session.scalars(select(SewageFacility).where(SewageFacility.code == code)).first()
    scope.check_read(facility.region_code if facility else None, f"设施“{code}”")
    assert facility is not None
    return facility


def inspect(
    session: Session,
    *,
    scope: Scope,
    facility_code: str,
    on: date,
    results: dict[str, Decimal | None],
    running: bool,
    rules: Sewage,
) -> FacilityInspection:
    """Record an inspection; it passes when the facility runs and every measured value is
    within its grade's limit (values equal to a limit pass)."""
    facility = get_facility(session, scope=scope, code=facility_code)
    scope.check_write(facility.region_code, f"设施“{facility_code}”")
    unknown = set(results) - set(LIMITS)
    if unknown:
        raise InvalidValue("未知的检测项目：{names}", names="、".join(sorted(unknown)))
    reasons = [] if running else ["设施未正常运行"]
    limits = rules.grades[facility.grade]
    for key, value in results.items():
        if value is None:
            continue
        if value < 0:
            raise InvalidValue("{name}不能为负数", name=LIMITS[key])
        limit = Decimal(str(getattr(limits, key)))
        if value > limit:
            reasons.append(f"{LIMITS[key]} {value} mg/L 超过{facility.grade}标准 {limit} mg/L")
    inspection = FacilityInspection(
        facility_id=facility.id,
        inspected_on=on,
        running=running,
        passed=not reasons,
        reasons="；".join(reasons)[:200],
        **results,
    )
    session.add(inspection)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="habitat.facility.inspect",
        target_type="sewage_facility",
        target_id=facility.code,
        region_code=facility.region_code,
        after={"passed": inspection.passed},
    )
    return inspection


@dataclass(frozen=True)
class Unserved:
    code: str
    name: str
    region_code: str
    households: int
    residents: int
    reason: str

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.code,
            "name": self.name,
            "region": self.region_code,
            "households": self.households,
            "residents": self.residents,
            "reason": self.reason,
        }


def unserved(session: Session, *, scope: Scope, pack: Pack) -> list[Unserved]:
    """Settlements at or above the floor without a facility and its network, by code."""
    size = floor(pack)
    query = scope.filter(
        select(Settlement, SewageFacility)
        .outerjoin(SewageFacility, SewageFacility.id == Settlement.facility_id)
        .where(
            or_(Settlement.households >= size.households, Settlement.residents >= size.residents),
            or_(SewageFacility.id.is_(None), SewageFacility.network.is_(False)),
        ),
        Settlement.region_code,
    ).order_by(Settlement.code)
    return [
        Unserved(
            settlement.code,
            settlement.name,
            settlement.region_code,
            settlement.households,
            settlement.residents,
            "无污水处理设施" if facility is None else "设施无配套管网",
        )
        for settlement, facility in session.execute(query)
    ]


def settlements(session: Session, *, scope: Scope) -> list[Settlement]:
    query = scope.filter(select(Settlement), Settlement.region_code).order_by(Settlement.code)
    return list(session.scalars(query))


def facilities(session: Session, *, scope: Scope) -> list[SewageFacility]:
    query = scope.filter(select(SewageFacility), SewageFacility.region_code)
    return list(session.scalars(query.order_by(SewageFacility.code)))


def latest_inspections(session: Session, *, scope: Scope) -> dict[int, FacilityInspection]:
    """Each facility's latest inspection, by facility id."""
    query = scope.filter(
        select(FacilityInspection)
        .join(SewageFacility, SewageFacility.id == FacilityInspection.facility_id)
        .order_by(FacilityInspection.inspected_on),
        SewageFacility.region_code,
    )
    return {inspection.facility_id: inspection for inspection in session.scalars(query)}
