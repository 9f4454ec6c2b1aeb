"""Illegal-fishing cases (非法捕捞案件) from finding to closure, each step by its role.

A case is opened from a tip by the district (which answers the tip: the reporter reads that a
case was opened), or from a patrol's finding by the town or its grid workers. Then:

- 收缴渔具 (``seized``): the gear seized, by the town or the district;
- 移交执法 (``handed_over``): the body the case goes to (农业综合执法、公安), by the district;
- 办结 (``closed``): the result, by the district.

Seizure and handover may be skipped when there is nothing to seize or hand over (a warning
on the spot closes the case), but no step is taken twice or out of order.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, Forbidden, InvalidValue, NotFound
from yunong.core.regions import codes as region_codes
from yunong.core.scope import Scope
from yunong.fishery import tips
from yunong.fishery.models import Case, CaseStep, Tip
from yunong.fishery.tips import CHINA
from yunong.store.base import utcnow

STEPS = ("found", "seized", "handed_over", "closed")
STEP_LABELS = {
    "found": "发现立案",
    "seized": "收缴渔具",
    "handed_over": "移交执法",
    "closed": "办结",
}
STEP_ROLES: dict[str, frozenset[Role]] = {
    "found": frozenset(
        {Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.TOWN_OFFICER, Role.GRID_WORKER}
    ),
    "seized": frozenset({Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.TOWN_OFFICER}),
    "handed_over": frozenset({Role.CITY_ADMIN, Role.DISTRICT_OFFICER}),
    "closed": frozenset({Role.CITY_ADMIN, Role.DISTRICT_OFFICER}),
}
NEXT = {
    "found": ("seized", "handed_over", "closed"),
    "seized": ("handed_over", "closed"),
    "handed_over": ("closed",),
    "closed": (),
}
STEP_FIELD = {"seized": "收缴的渔具", "handed_over": "移交的执法机关", "closed": "办理结果"}


@dataclass
class CaseIn:
    region_code: str
    found_on: date
    place: str
    description: str


def may_take(scope: Scope, step: str) -> bool:
    return scope.can_write and (scope.role is None or Role(scope.role) in STEP_ROLES[step])


def check_role(scope: Scope, step: str) -> None:
    if not may_take(scope, step):
        roles = "、".join(sorted(role.label for role in STEP_ROLES[step]))
        raise Forbidden("“{step}”由{roles}办理", step=STEP_LABELS[step], roles=roles)


def open_case(session: Session, *, scope: Scope, case_in: CaseIn, tip: Tip | None = None) -> Case:
    """发现立案: a new case in the caller's scope."""
    check_role(scope, "found")
    region = region_codes.normalise(case_in.region_code)
    scope.check_write(region, "案件")
    if not case_in.description.strip():
        raise InvalidValue("请写明发现的情况")
    if case_in.found_on > datetime.now(CHINA).date():  # today where the cases happen
        raise InvalidValue("发现日期不能晚于今天")
    # Numbered by its row id, so no count of other districts' cases is read to number it.
    case = Case(
        number=f"TMP{secrets.token_hex(8)}",
        region_code=region,
        tip_id=tip.id if tip else None,
        found_on=case_in.found_on,
        place=case_in.place.strip()[:100],
        description=case_in.description.strip(),
        step="found",
    )
    session.add(case)
    session.flush()
    case.number = f"YZAJ{case_in.found_on.year}{case.id:06d}"
    record_step(session, scope, case, "found", "")
    return case


def open_from_tip(session: Session, *, scope: Scope, tip_id: int, found_on: date) -> Case:
    """The district opens a case from a tip; the tip is answered with the case opened."""
    tip = tips.get(session, scope=scope, tip_id=tip_id)
    tips.check_may_answer(scope, tip)
    case = open_case(
        session,
        scope=scope,
        case_in=CaseIn(tip.region_code, found_on, tip.place, tip.text),
        tip=tip,
    )
    tip.status, tip.answered_at = "case", utcnow()
    tip.reply = f"已核实并立案（案件编号 {case.number}），感谢您的举报"
    return case


def get(session: Session, *, scope: Scope, number: str) -> Case:
    case = session.scalars(select(Case).where(Case.number == number)).first()
    if case is None or not scope.covers(case.region_code):
        raise NotFound("没有编号为 {number} 的案件", number=number)
    return case


def take(session: Session, *, scope: Scope, number: str, step: str, text: str) -> Case:
    """Take the next step of a case, by its role, with what the step records."""
    case = get(session, scope=scope, number=number)
    if step not in STEP_FIELD:
        raise InvalidValue("未知的环节“{step}”", step=step)
    check_role(scope, step)
    scope.check_write(case.region_code, "案件")
    if step not in NEXT[case.step]:
        raise Conflict(
            "案件 {number} 现为“{now}”，不能办理“{step}”",
            number=number,
            now=STEP_LABELS[case.step],
            step=STEP_LABELS[step],
        )
    text = text.strip()
    if not text:
        raise InvalidValue("请填写{field}", field=STEP_FIELD[step])
    if step == "seized":
        case.gear = text[:300]
    elif step == "handed_over":
        case.handed_to = text[:100]
    else:
        case.result = text[:300]
        case.closed_on = date.today()
    case.step = step
    record_step(session, scope, case, step, text)
    return case


def record_step(session: Session, scope: Scope, case: Case, step: str, note: str) -> None:
    session.add(
        CaseStep(
            case_id=case.id, step=step, actor=scope.actor, role=scope.role or "", note=note[:300]
        )
    )
    audit.record(
        session,
        scope=scope,
        action=f"fishery.case_{step}",
        target_type="fishery_case",
        target_id=case.number,
        region_code=case.region_code,
        detail=note,
    )
    session.flush()


def steps_of(session: Session, *, case: Case) -> list[CaseStep]:
    query = select(CaseStep).where(CaseStep.case_id == case.id).order_by(CaseStep.id)
    return list(session.scalars(query))


def waiting_on(session: Session, *, scope: Scope) -> list[Case]:
    """Open cases whose next step the caller's role may take, oldest first."""
    query = scope.filter(select(Case).where(Case.step != "closed"), Case.region_code)
    found = session.scalars(query.order_by(Case.found_on, Case.id))
    return [case for case in found if any(may_take(scope, step) for step in NEXT[case.step])]


def count_open(session: Session, *, scope: Scope) -> int:
    query = scope.filter(select(func.count(Case.id)).where(Case.step != "closed"), Case.region_code)
    return int(session.scalars(query).one())


def get_all(session: Session, *, scope: Scope) -> list[Case]:
    query = scope.filter(select(Case), Case.region_code)
    return list(session.scalars(query.order_by(Case.found_on.desc(), Case.id.desc())))


def deadline(case: Case, days: int) -> date:
    return case.found_on + timedelta(days=days)


def closed_share(session: Session, *, scope: Scope, year: int) -> tuple[int, int]:
    """(cases of ``year`` closed, cases of ``year``) in scope."""
    query = scope.filter(
        select(Case.step).where(
            Case.found_on >= date(year, 1, 1), Case.found_on < date(year + 1, 1, 1)
        ),
        Case.region_code,
    )
    found = list(session.scalars(query))
    return sum(1 for step in found if step == "closed"), len(found)


@dataclass(frozen=True)
class CaseView:
    case: Case
    district: str
    history: list[CaseStep]
    tip_reference: str | None
    next_steps: list[str]
    """The steps the caller's role may take now."""


def view(session: Session, *, scope: Scope, number: str) -> CaseView:
    from yunong.core.regions import service as regions

    case = get(session, scope=scope, number=number)
    tip = session.get(Tip, case.tip_id) if case.tip_id else None
    return CaseView(
        case,
        regions.get(session, code=case.region_code).name,
        steps_of(session, case=case),
        tip.reference if tip else None,
        [step for step in NEXT[case.step] if may_take(scope, step)],
    )
