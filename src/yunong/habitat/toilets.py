"""农村改厕: household toilet records, the grid worker's visits, and the 先改后补 subsidy.

（十九）: households build to the standard of their own accord, the government accepts the
work and then pays the subsidy to the household. Each step is one role's, in order, inside
its region:

==========  ==================  ============  ==========================================
state       next step           by            what it takes
==========  ==================  ============  ==========================================
—           申请 apply           村干部         the household's application, a sanitary type
applied     建成 (visit)         网格员         a visit finding the sanitary toilet built
built       验收 accept          乡镇干部       passed, or sent back to be put right
accepted    补助发放 pay          区县干部       the pack's subsidy per household
paid        —
==========  ==================  ============  ==========================================
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, Forbidden, InvalidValue, NotFound
from yunong.core.parsing import fold
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.habitat.models import Toilet, ToiletSubsidy, ToiletVisit
from yunong.policy.schema import Toilets


class State(StrEnum):
    APPLIED = "applied"
    BUILT = "built"
    ACCEPTED = "accepted"
    PAID = "paid"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    State.APPLIED: "已申请，待建成核实",
    State.BUILT: "已建成，待验收",
    State.ACCEPTED: "已验收，待发放补助",
    State.PAID: "补助已发放",
}
STEP_ROLES = {
    "apply": Role.VILLAGE_CADRE,
    "build": Role.GRID_WORKER,
    "accept": Role.TOWN_OFFICER,
    "pay": Role.DISTRICT_OFFICER,
}
STEP_LABELS = {"apply": "改厕申请", "build": "建成核实", "accept": "改厕验收", "pay": "补助发放"}


def check_role(scope: Scope, step: str) -> None:
    """Only the step's role takes it; the command line (no role) acts for any."""
    role = STEP_ROLES[step]
    if scope.role is not None and scope.role != role:
        raise Forbidden("{step}由{role}办理", step=STEP_LABELS[step], role=role.label)


def sanitary(rules: Toilets, kind: str) -> bool:
    if kind not in rules.types:
        choices = "、".join(rules.types)
        raise InvalidValue("厕所类型“{kind}”不在 {choices} 之中", kind=kind, choices=choices)
    return rules.types[kind]


@dataclass(frozen=True)
class ApplicationIn:
    region_code: str
    household_number: str
    head_name: str
    kind: str


def apply(
    session: Session, *, scope: Scope, application_in: ApplicationIn, rules: Toilets, on: date
) -> ToiletSubsidy:
    """The village records a household's application to build a sanitary toilet."""
    check_role(scope, "apply")
    region = application_in.region_code
    scope.check_write(region, f"村“{region}”")
    if session.get(Region, region) is None:
        raise InvalidValue("区划代码“{code}”不存在", code=region)
    number, name = fold(application_in.household_number), fold(application_in.head_name)
    if not number or not name:
        raise InvalidValue("户编号和户主姓名都要填写")
    if not sanitary(rules, application_in.kind):
        raise InvalidValue("“{kind}”不是卫生厕所，不能申请改厕补助", kind=application_in.kind)
    if open_subsidy(session, scope, region, number) is not None:
        raise Conflict("户“{number}”已有未办结的改厕申请", number=number)
    subsidy = ToiletSubsidy(
        region_code=region,
        household_number=number,
        head_name=name,
        kind=application_in.kind,
        state=State.APPLIED,
        applied_on=on,
    )
    session.add(subsidy)
    session.flush()
    record(session, scope, subsidy, "apply")
    return subsidy


def open_subsidy(
    session: Session, scope: Scope, region_code: str, number: str
) -> ToiletSubsidy | None:
    """The household's subsidy not yet paid, inside the caller's scope."""
    query = select(ToiletSubsidy).where(
        ToiletSubsidy.region_code == region_code,
        ToiletSubsidy.household_number == number,
        ToiletSubsidy.state != State.PAID,
    )
    return session.scalars(scope.filter(query, ToiletSubsidy.region_code)).first()


@dataclass(frozen=True)
class VisitIn:
    region_code: str
    household_number: str
    kind: str
    in_use: bool = True
    head_name: str = ""
    note: str = ""


@dataclass(frozen=True)
class VisitResult:
    visit: ToiletVisit
    toilet: Toilet
    subsidy: ToiletSubsidy | None
    """The household's subsidy the visit found built, if any."""


def visit(
    session: Session, *, scope: Scope, visit_in: VisitIn, rules: Toilets, on: date
) -> VisitResult:
    """A grid worker's visit: updates the household's toilet record, and a visit that finds
    the sanitary toilet of an application built moves the subsidy on to acceptance."""
    check_role(scope, "build")
    region = visit_in.region_code
    scope.check_write(region, f"村“{region}”")
    number = fold(visit_in.household_number)
    if not number:
        raise InvalidValue("户编号不能为空")
    is_sanitary = sanitary(rules, visit_in.kind)
    subsidy = open_subsidy(session, scope, region, number)
    toilet = session.scalars(
        select(Toilet).where(Toilet.region_code == region, Toilet.household_number == number)
    ).first()
    name = (
        fold(visit_in.head_name)
        or (toilet.head_name if toilet else "")
        or (subsidy.head_name if subsidy else "")
    )
    if not name:
        raise InvalidValue("新登记的户要填写户主姓名")
    if toilet is None:
        toilet = Toilet(region_code=region, household_number=number, head_name=name)
        session.add(toilet)
    toilet.head_name, toilet.kind, toilet.sanitary, toilet.recorded_on = (
        name,
        visit_in.kind,
        is_sanitary,
        on,
    )
    entry = ToiletVisit(
        region_code=region,
        household_number=number,
        visited_on=on,
        kind=visit_in.kind,
        in_use=visit_in.in_use,
        note=fold(visit_in.note)[:200],
        actor=scope.actor,
    )
    session.add(entry)
    built = None
    if subsidy is not None and subsidy.state == State.APPLIED and is_sanitary and visit_in.in_use:
        subsidy.state, subsidy.built_on, subsidy.kind = State.BUILT, on, visit_in.kind
        built = subsidy
    session.flush()
    if built is not None:
        record(session, scope, built, "build")
    return VisitResult(entry, toilet, built)


def get(session: Session, *, scope: Scope, subsidy_id: int) -> ToiletSubsidy:
    subsidy = session.get(ToiletSubsidy, subsidy_id)
    scope.check_read(subsidy.region_code if subsidy else None, f"改厕申请 {subsidy_id}")
    if subsidy is None:
        raise NotFound("改厕申请 {id} 不存在", id=subsidy_id)
    return subsidy


def accept(
    session: Session,
    *,
    scope: Scope,
    subsidy_id: int,
    passed: bool,
    on: date,
    note: str = "",
) -> ToiletSubsidy:
    """The town accepts the built toilet, or sends it back to be put right (to applied)."""
    check_role(scope, "accept")
    subsidy = step_on(session, scope, subsidy_id, State.BUILT, "accept")
    if passed:
        subsidy.state, subsidy.accepted_on = State.ACCEPTED, on
    else:
        subsidy.state, subsidy.built_on = State.APPLIED, None
    subsidy.note = fold(note)[:200]
    session.flush()
    record(session, scope, subsidy, "accept" if passed else "accept.refused")
    return subsidy


def pay(
    session: Session, *, scope: Scope, subsidy_id: int, rules: Toilets, on: date
) -> ToiletSubsidy:
    """The district pays the pack's subsidy to the accepted household."""
    check_role(scope, "pay")
    subsidy = step_on(session, scope, subsidy_id, State.ACCEPTED, "pay")
    subsidy.state, subsidy.paid_on = State.PAID, on
    subsidy.amount = Decimal(str(rules.subsidy_yuan)).quantize(Decimal("0.01"))
    session.flush()
    record(session, scope, subsidy, "pay")
    return subsidy


def step_on(
    session: Session, scope: Scope, subsidy_id: int, expected: State, step: str
) -> ToiletSubsidy:
    subsidy = get(session, scope=scope, subsidy_id=subsidy_id)
    scope.check_write(subsidy.region_code, f"改厕申请 {subsidy_id}")
    if subsidy.state != expected:
        raise Conflict(
            "改厕申请当前为“{state}”，不能{step}",
            state=State(subsidy.state).label,
            step=STEP_LABELS[step],
        )
    return subsidy


def record(session: Session, scope: Scope, subsidy: ToiletSubsidy, step: str) -> None:
    audit.record(
        session,
        scope=scope,
        action=f"habitat.toilet_subsidy.{step}",
        target_type="toilet_subsidy",
        target_id=subsidy.id,
        region_code=subsidy.region_code,
        after={"state": subsidy.state},
    )


def waiting(session: Session, *, scope: Scope, state: State) -> list[ToiletSubsidy]:
    query = scope.filter(
        select(ToiletSubsidy).where(ToiletSubsidy.state == state), ToiletSubsidy.region_code
    )
    return list(session.scalars(query.order_by(ToiletSubsidy.applied_on, ToiletSubsidy.id)))
