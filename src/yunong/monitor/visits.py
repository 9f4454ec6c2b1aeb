"""Home visits (走访): the grid worker's form, online or sent later from the phone.

The phone gives each visit a key when it is filled in; a visit sent again with the same
key (the connection dropped before the answer came back) returns the stored visit and
changes nothing. Risks found on a visit become signals (source ``visit``) that the
screening merges into alerts like a department's; a verification visit also takes the
case's 入户核实 step. The visitor may share where the phone was (its GPS position) and add
one photo (``visit_photos``); the form works without either.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, Forbidden, InvalidValue, NotFound
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.monitor import access, calendar, households, workflow
from yunong.monitor.models import Case, Household, Signal, Visit
from yunong.policy.schema import Pack

CHECKS = (
    "rigid_costs_resolved",
    "education_secure",
    "medical_secure",
    "housing_secure",
    "water_secure",
)
CHECK_LABELS = {
    "rigid_costs_resolved": "医疗、教育等刚性支出问题已解决",
    "education_secure": "义务教育有保障",
    "medical_secure": "基本医疗有保障",
    "housing_secure": "住房安全有保障",
    "water_secure": "饮水安全有保障",
}


@dataclass(frozen=True)
class Position:
    """Where the phone was at the visit, as its GPS gave it (WGS 84)."""

    latitude: float
    longitude: float
    accuracy_m: int | None = None


@dataclass
class VisitIn:
    client_key: str
    household_code: str
    visited_on: date
    per_capita_income: Decimal | None = None
    checks: dict[str, bool | None] = field(default_factory=dict)
    risks_found: list[str] = field(default_factory=list)
    note: str = ""
    verifies: bool = False
    """This is the verification visit (入户核实) of the household's case."""
    position: Position | None = None
    """Where the phone was, when the visitor shared it."""


def get_household(session: Session, *, scope: Scope, code: str) -> Household:
    access.require_reader(scope)
    household = session.scalars(
        select(Household).where(Household.code == code.strip().upper())
    ).first()
    if household is None:
        raise NotFound(f"农户“{code}”不存在或不在您的管辖范围内")
    scope.check_read(household.village_code, f"农户“{code}”")
    return household


def validate(visit_in: VisitIn, day: date) -> None:
    key = visit_in.client_key.strip()
    if not 8 <= len(key) <= 64:
        raise InvalidValue("走访记录缺少有效的设备编号（client_key，8 至 64 个字符）")
    if visit_in.visited_on > day:
        raise InvalidValue(f"走访日期 {visit_in.visited_on} 晚于今天")
    if visit_in.per_capita_income is not None and visit_in.per_capita_income < 0:
        raise InvalidValue("人均纯收入不能为负数")
    unknown = [name for name in visit_in.checks if name not in CHECKS]
    if unknown:
        raise InvalidValue(f"未知的核查项：{'、'.join(unknown)}")
    wrong = [risk for risk in visit_in.risks_found if risk not in workflow.RISK_TYPES]
    if wrong:
        raise InvalidValue(f"风险类型“{'、'.join(wrong)}”应为：{'、'.join(workflow.RISK_TYPES)}")
    if visit_in.position is not None:
        validate_position(visit_in.position)


def position_of(
    latitude: float | None, longitude: float | None, accuracy_m: int | None = None
) -> Position | None:
    """The position a phone sent, if it sent one (the visitor may decline to share it)."""
    if latitude is None and longitude is None:
        return None
    if latitude is None or longitude is None:
        raise InvalidValue("走访位置须同时有纬度和经度")
    return Position(latitude, longitude, accuracy_m)


def validate_position(position: Position) -> None:
    if not -90 <= position.latitude <= 90:
        raise InvalidValue(f"走访位置的纬度 {position.latitude} 应在 -90 至 90 之间")
    if not -180 <= position.longitude <= 180:
        raise InvalidValue(f"走访位置的经度 {position.longitude} 应在 -180 至 180 之间")
    if position.accuracy_m is not None and position.accuracy_m < 0:
        raise InvalidValue("走访位置的精度（米）不能为负数")


def record_visit(
    session: Session,
    *,
    scope: Scope,
    visit_in: VisitIn,
    pack: Pack,
    today: date | None = None,
) -> tuple[Visit, bool]:
    """Store a visit once; returns it and whether it is new."""
    day = today or calendar.today()
    household = get_household(session, scope=scope, code=visit_in.household_code)
    scope.check_write(household.village_code, f"农户“{household.code}”")
    access.require_role(scope, access.VISITORS, "入户走访")
    validate(visit_in, day)
    found = session.scalars(
        select(Visit).where(Visit.client_key == visit_in.client_key.strip())
    ).first()
    if found is not None:
        if found.household_id != household.id:
            raise Conflict("这条走访记录的编号已用于另一户，请重新填写")
        return found, False
    case = workflow.find_open(session, household.id)
    if visit_in.verifies:
        check_verification(scope, case)
    visit = Visit(
        client_key=visit_in.client_key.strip(),
        household_id=household.id,
        case_id=case.id if case else None,
        village_code=household.village_code,
        visitor=scope.actor,
        visited_on=visit_in.visited_on,
        per_capita_income=visit_in.per_capita_income,
        risks_found=",".join(dict.fromkeys(visit_in.risks_found)),
        note=visit_in.note.strip()[:400],
        **{name: visit_in.checks.get(name) for name in CHECKS},
        **position_columns(visit_in.position),
    )
    session.add(visit)
    session.flush()
    for risk in dict.fromkeys(visit_in.risks_found):
        session.add(
            Signal(
                household_id=household.id,
                person_id=None,
                source="visit",
                kind=risk,
                signal_date=visit.visited_on,
                year=visit.visited_on.year,
                detail=f"走访 {visit.id}：{visit.note}"[:200],
            )
        )
    audit.record(
        session,
        scope=scope,
        action="monitor.visit",
        target_type="monitor_household",
        target_id=household.code,
        region_code=household.village_code,
        after={"visit": visit.id, "risks": visit.risks_found},
        detail=f"走访 {visit.visited_on}"
        + (f"，发现风险：{visit.risks_found}" if visit.risks_found else ""),
    )
    if visit_in.verifies and case is not None:
        workflow.take_step(
            session,
            scope=scope,
            case=case,
            step_name="verify",
            pack=pack,
            note=visit.note or "入户核实完成",
            today=day,
        )
    return visit, True


def position_columns(position: Position | None) -> dict[str, float | int | None]:
    if position is None:
        return {"latitude": None, "longitude": None, "position_accuracy_m": None}
    return {
        "latitude": position.latitude,
        "longitude": position.longitude,
        "position_accuracy_m": position.accuracy_m,
    }


def check_verification(scope: Scope, case: Case | None) -> None:
    if case is None or case.state != workflow.State.VERIFY.value:
        raise Conflict("该户没有待入户核实的监测案件")
    access.require_role(scope, [Role.GRID_WORKER], "入户核实")
    if not access.is_system(scope) and case.assigned_to != scope.actor:
        raise Forbidden(f"该户的入户核实任务派发给了网格员 {case.assigned_to}")


def visits_of(session: Session, household_id: int) -> list[Visit]:
    query = select(Visit).where(Visit.household_id == household_id)
    return list(session.scalars(query.order_by(Visit.visited_on.desc(), Visit.id.desc())))


def household_name(session: Session, *, scope: Scope, household: Household) -> str:
    """How a visitor knows the household: its head and village, as 张建国户（石坪村）."""
    head = households.head_names(session, scope=scope, household_ids=[household.id])
    village = regions.get(session, code=household.village_code).name
    return f"{head.get(household.id, household.number)}户（{village}）"


def confirmation(session: Session, *, scope: Scope, visit: Visit) -> str:
    """What the visitor is told once the visit is stored: whose it is and who acts next."""
    household = session.get(Household, visit.household_id)
    case = session.get(Case, visit.case_id) if visit.case_id else None
    assert household is not None  # a visit's household is never deleted
    if case is not None and case.state in {state.value for state in workflow.OPEN}:
        then = workflow.State(case.state).label
    elif visit.risks_found:
        then = "发现的风险已记为信号，筛查后由村干部派发核实"
    else:
        then = "已记入农户档案"
    return f"已发送：{household_name(session, scope=scope, household=household)}的走访，{then}"
