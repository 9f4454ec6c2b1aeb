"""The case workflow: alert → 入户核实 → 村级评议公示 → 乡镇审核 → 区县审批 → 帮扶 → 风险消除.

Each step belongs to one role and is taken inside the caller's region; each is written
to the audit trail and to the case's history (``CaseStep``) with the date it was due, so
the time limits of the policy pack can be checked, warned about and counted afterwards.
Every function takes ``today`` so that a test (or a late entry) can set the clock.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import get_args

from sqlalchemy import Select, extract, or_, select
from sqlalchemy.orm import Session

from yunong.core import listing
from yunong.core.audit import service as audit
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, InvalidValue, NotFound
from yunong.core.listing import Listing, Page
from yunong.core.scope import Scope
from yunong.monitor import access, calendar
from yunong.monitor.models import Alert, Case, CaseStep, Person, PersonYear
from yunong.policy.schema import Pack, RiskType
from yunong.store.bulk import chunks

RISK_TYPES: tuple[str, ...] = get_args(RiskType)


class State(StrEnum):
    VERIFY = "verify"
    VILLAGE_REVIEW = "village_review"
    TOWN_REVIEW = "town_review"
    DISTRICT_APPROVAL = "district_approval"
    MONITORED = "monitored"
    REMOVAL_TOWN_REVIEW = "removal_town_review"
    REMOVAL_DISTRICT_APPROVAL = "removal_district_approval"
    NOT_INCLUDED = "not_included"
    RISK_REMOVED = "risk_removed"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    State.VERIFY: "待入户核实",
    State.VILLAGE_REVIEW: "待村级评议公示",
    State.TOWN_REVIEW: "待乡镇审核",
    State.DISTRICT_APPROVAL: "待区县审批",
    State.MONITORED: "监测帮扶中",
    State.REMOVAL_TOWN_REVIEW: "风险消除待乡镇审核",
    State.REMOVAL_DISTRICT_APPROVAL: "风险消除待区县审批",
    State.NOT_INCLUDED: "未纳入监测",
    State.RISK_REMOVED: "风险已消除",
}
IDENTIFICATION = (State.VERIFY, State.VILLAGE_REVIEW, State.TOWN_REVIEW, State.DISTRICT_APPROVAL)
"""The states of identification, which together have the pack's overall time limit."""
UNDER_MONITORING = (State.MONITORED, State.REMOVAL_TOWN_REVIEW, State.REMOVAL_DISTRICT_APPROVAL)
OPEN = IDENTIFICATION + UNDER_MONITORING
CLOSED = (State.NOT_INCLUDED, State.RISK_REMOVED)


@dataclass(frozen=True)
class Step:
    """One decision of the workflow: who takes it, in which state, and where it leads."""

    name: str
    label: str
    role: Role
    at: State
    passed: State
    refused: State | None
    """Where a "no" leads; None when the step cannot be answered no."""


STEPS = {
    step.name: step
    for step in (
        Step("verify", "入户核实", Role.GRID_WORKER, State.VERIFY, State.VILLAGE_REVIEW, None),
        Step(
            "village_review",
            "村级民主评议并公示",
            Role.VILLAGE_CADRE,
            State.VILLAGE_REVIEW,
            State.TOWN_REVIEW,
            State.NOT_INCLUDED,
        ),
        Step(
            "town_review",
            "乡镇审核",
            Role.TOWN_OFFICER,
            State.TOWN_REVIEW,
            State.DISTRICT_APPROVAL,
            State.NOT_INCLUDED,
        ),
        Step(
            "district_approval",
            "区县审批",
            Role.DISTRICT_OFFICER,
            State.DISTRICT_APPROVAL,
            State.MONITORED,
            State.NOT_INCLUDED,
        ),
        Step(
            "propose_removal",
            "风险消除村级评议",
            Role.VILLAGE_CADRE,
            State.MONITORED,
            State.REMOVAL_TOWN_REVIEW,
            None,
        ),
        Step(
            "removal_town_review",
            "风险消除乡镇审核",
            Role.TOWN_OFFICER,
            State.REMOVAL_TOWN_REVIEW,
            State.REMOVAL_DISTRICT_APPROVAL,
            State.MONITORED,
        ),
        Step(
            "removal_district_approval",
            "风险消除区县审批",
            Role.DISTRICT_OFFICER,
            State.REMOVAL_DISTRICT_APPROVAL,
            State.RISK_REMOVED,
            State.MONITORED,
        ),
    )
}
ASSIGN_LABEL = "派发核实任务"
STEP_OF_STATE = {step.at: step for step in STEPS.values() if step.name != "propose_removal"}
"""The step each waiting state waits for (being monitored waits for nothing in particular)."""


def get(session: Session, *, scope: Scope, code: str) -> Case:
    access.require_reader(scope)
    case = session.scalars(select(Case).where(Case.code == code.strip().upper())).first()
    if case is None:
        raise NotFound("监测案件“{code}”不存在或不在您的管辖范围内", code=code)
    scope.check_read(case.village_code, f"监测案件“{code}”")
    return case


def get_page(
    session: Session, *, scope: Scope, page: Page, states: tuple[State, ...] | None = None
) -> Listing[Case]:
    """A page of the cases inside the scope (in ``states``, if given), nearest limit first."""
    access.require_reader(scope)
    query: Select[tuple[Case]] = scope.filter(select(Case), Case.village_code)
    if states:
        query = query.where(Case.state.in_([state.value for state in states]))
    ordered = query.order_by(Case.step_due_on, Case.id).offset(page.offset).limit(page.size)
    return Listing(list(session.scalars(ordered)), listing.count(session, query), page)


def get_by_household(session: Session, *, household_id: int) -> list[Case]:
    """A household's cases, newest first (the caller has checked the household's scope)."""
    query = select(Case).where(Case.household_id == household_id)
    return list(session.scalars(query.order_by(Case.id.desc())))


def steps_of(session: Session, case: Case) -> list[CaseStep]:
    return list(
        session.scalars(select(CaseStep).where(CaseStep.case_id == case.id).order_by(CaseStep.id))
    )


def step_limit(pack: Pack, state: State) -> int | None:
    step = STEP_OF_STATE.get(state)
    return pack.monitoring.workflow.step_days.get(step.name) if step else None


def has_labour(session: Session, *, household_id: int, year: int, pack: Pack) -> bool:
    """Whether a member of working age, neither a student nor disabled, lives in the household."""
    found = households_with_labour(session, household_ids=[household_id], year=year, pack=pack)
    return household_id in found


def households_with_labour(
    session: Session, *, household_ids: Collection[int], year: int, pack: Pack
) -> set[int]:
    """Those of ``household_ids`` where a member of working age in ``year`` lives who is
    neither a student nor disabled (a member's age is the year less the year of birth)."""
    low, high = pack.monitoring.working_age
    age = year - extract("year", Person.birth_date)
    found: set[int] = set()
    for chunk in chunks(sorted(household_ids)):
        found |= set(
            session.scalars(
                select(Person.household_id)
                .distinct()
                .join(PersonYear, PersonYear.person_id == Person.id)
                .where(Person.household_id.in_(chunk), PersonYear.year == year)
                .where(or_(Person.left_year.is_(None), Person.left_year > year))
                .where(age.between(low, high))
                .where(PersonYear.student.is_(False), PersonYear.disabled.is_(False))
            )
        )
    return found


def find_open(session: Session, household_id: int) -> Case | None:
    query = select(Case).where(
        Case.household_id == household_id, Case.state.in_([state.value for state in OPEN])
    )
    return session.scalars(query).first()


def start_step(session: Session, case: Case, state: State, day: date, pack: Pack) -> None:
    """Put the case in ``state`` and open the history row of the step it now waits for."""
    case.state = state.value
    case.step_started_on = day
    limit = step_limit(pack, state)
    case.step_due_on = calendar.add_working_days(day, limit) if limit is not None else None
    step = STEP_OF_STATE.get(state)
    if step is not None:
        session.add(
            CaseStep(
                case_id=case.id,
                step=step.name,
                started_on=day,
                due_on=case.step_due_on,
                outcome="",
                note="",
            )
        )
    session.flush()


def finish_step(
    session: Session, case: Case, step: Step, actor: str, passed: bool, note: str, day: date
) -> None:
    """Close the waiting step's history row, or add one for a step that was not waited for."""
    row = session.scalars(
        select(CaseStep)
        .where(CaseStep.case_id == case.id, CaseStep.step == step.name, CaseStep.done_on.is_(None))
        .order_by(CaseStep.id.desc())
    ).first()
    if row is None:
        row = CaseStep(case_id=case.id, step=step.name, started_on=day, due_on=None)
        session.add(row)
    row.done_on, row.actor = day, actor
    row.outcome = "passed" if passed else "refused"
    row.note = note[:400]
    session.flush()


def take_step(
    session: Session,
    *,
    scope: Scope,
    case: Case,
    step_name: str,
    pack: Pack,
    passed: bool = True,
    note: str = "",
    today: date | None = None,
) -> Case:
    """Take one decision on a case as the role that owns it; refused in any other state."""
    day = today or calendar.today()
    step = STEPS.get(step_name)
    if step is None:
        raise InvalidValue(f"没有“{step_name}”这一步，可选：{'、'.join(STEPS)}")
    scope.check_write(case.village_code, f"监测案件“{case.code}”")
    access.require_role(scope, [step.role], step.label)
    if case.state != step.at.value:
        raise Conflict(
            "案件当前为“{state}”，不能办理“{step}”", state=State(case.state).label, step=step.label
        )
    if not passed and step.refused is None:
        raise InvalidValue("“{step}”不能作出否定结论", step=step.label)
    if not passed and not note.strip():
        raise InvalidValue("“{step}”作出否定结论时须写明理由", step=step.label)
    before = snapshot(case)
    finish_step(session, case, step, scope.actor, passed, note, day)
    target = step.passed if passed else step.refused
    assert target is not None
    if target in CLOSED:
        case.state, case.step_due_on, case.step_started_on = target.value, None, day
        case.reason = note[:400]
        if target == State.RISK_REMOVED:
            case.removed_on = day
            case.tracked_after_removal = not bool(case.has_labour)
        else:
            close_alerts(session, case)
        session.flush()
    else:
        start_step(session, case, target, day, pack)
    verdict = "同意" if passed else "不同意"
    record(
        session,
        scope,
        case,
        f"monitor.case.{step.name}",
        f"{step.label}：{verdict}。{note}",
        before,
    )
    return case


def close_alerts(session: Session, case: Case) -> None:
    for alert in session.scalars(
        select(Alert).where(Alert.household_id == case.household_id, Alert.status == "case")
    ):
        alert.status = "closed"


def include(
    session: Session,
    *,
    scope: Scope,
    case: Case,
    pack: Pack,
    category: str,
    risk_types: list[str],
    note: str = "",
    today: date | None = None,
) -> Case:
    """区县审批纳入监测: the category and the risk types are the district's to set."""
    workflow = pack.monitoring.workflow
    if category not in workflow.categories:
        raise InvalidValue(
            "监测对象类别“{category}”应为：{choices}",
            category=category,
            choices="、".join(workflow.categories),
        )
    chosen = [risk.strip() for risk in risk_types if risk.strip()]
    if not chosen or any(risk not in RISK_TYPES for risk in chosen):
        raise InvalidValue("风险类型应为以下一项或几项：{choices}", choices="、".join(RISK_TYPES))
    take_step(
        session,
        scope=scope,
        case=case,
        step_name="district_approval",
        pack=pack,
        note=note,
        today=today,
    )
    case.category = category
    case.risk_types = ",".join(chosen)
    case.decided_on = today or calendar.today()
    case.has_labour = has_labour(session, household_id=case.household_id, year=case.year, pack=pack)
    session.flush()
    return case


SNAPSHOT = ("state", "category", "risk_types", "step_due_on")
"""The fields of a case that its audit records show before and after a step."""


def snapshot(case: Case) -> dict[str, object]:
    return {key: getattr(case, key) for key in SNAPSHOT}


def record(
    session: Session,
    scope: Scope,
    case: Case,
    action: str,
    detail: str,
    before: dict[str, object] | None = None,
) -> None:
    audit.record(
        session,
        scope=scope,
        action=action,
        target_type="monitor_case",
        target_id=case.code,
        region_code=case.village_code,
        before=before,
        after=snapshot(case),
        detail=detail,
    )


@dataclass(frozen=True)
class Warning:
    level: str
    """``red`` past the limit, ``yellow`` within the pack's warning days, ``green`` otherwise,
    empty when the case waits for no step."""
    due_on: date | None
    working_days_left: int | None

    @property
    def label(self) -> str:
        return {"red": "已超时", "yellow": "临近时限", "green": "正常"}.get(self.level, "")


def warning(case: Case, *, pack: Pack, today: date | None = None) -> Warning:
    """How the current step (and, while identifying, the whole identification) stands on time."""
    day = today or calendar.today()
    dues = [case.step_due_on] if case.step_due_on else []
    if State(case.state) in IDENTIFICATION:
        dues.append(case.identification_due_on)
    if not dues:
        return Warning("", None, None)
    due = min(dues)
    left = calendar.working_days_between(day, due)
    if day > due:
        level = "red"
    elif left <= pack.monitoring.workflow.warn_days:
        level = "yellow"
    else:
        level = "green"
    return Warning(level, due, left)
