"""The household's list of measures (一户一清单): what help, who is responsible, by when.

Measures are added by the village (which drafts the list with the departments) once the
district has included the household, and their progress is recorded by the village cadre
or the grid worker who follows the household. A measure past its due date and not done is
a problem to clear (see ``problems.py``).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, InvalidValue, NotFound
from yunong.core.scope import Scope
from yunong.monitor import access, calendar, workflow
from yunong.monitor.models import Case, Measure, MeasureProgress
from yunong.policy.schema import Pack

PLANNERS = [Role.VILLAGE_CADRE]
FOLLOWERS = [Role.VILLAGE_CADRE, Role.GRID_WORKER]


@dataclass
class MeasureIn:
    kind: str
    content: str
    responsible: str
    due_on: date


def add(
    session: Session,
    *,
    scope: Scope,
    case: Case,
    measure_in: MeasureIn,
    pack: Pack,
    today: date | None = None,
) -> Measure:
    day = today or calendar.today()
    scope.check_write(case.village_code, f"监测案件“{case.code}”")
    access.require_role(scope, PLANNERS, "制定帮扶措施")
    if not may_plan(case, pack):
        raise Conflict("区县审批纳入监测后才能制定帮扶措施（因灾返贫风险可在识别期间先行帮扶）")
    kinds = pack.monitoring.workflow.measure_kinds
    if measure_in.kind not in kinds:
        raise InvalidValue(f"措施类别“{measure_in.kind}”应为：{'、'.join(kinds.values())}")
    if not measure_in.content.strip():
        raise InvalidValue("请填写帮扶措施的内容")
    if not measure_in.responsible.strip():
        raise InvalidValue("请填写责任单位或责任人")
    if measure_in.due_on < day:
        raise InvalidValue(f"完成时限 {measure_in.due_on} 早于今天")
    measure = Measure(
        case_id=case.id,
        village_code=case.village_code,
        kind=measure_in.kind,
        content=measure_in.content.strip()[:200],
        responsible=measure_in.responsible.strip()[:64],
        due_on=measure_in.due_on,
        started_on=day,
        progress="",
        created_by=scope.actor,
    )
    session.add(measure)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="monitor.measure.add",
        target_type="monitor_case",
        target_id=case.code,
        region_code=case.village_code,
        after={"measure": measure.id, "kind": measure.kind, "due_on": measure.due_on},
        detail=f"{kinds[measure.kind]}：{measure.content}（{measure.responsible}，{measure.due_on}）",
    )
    return measure


def may_plan(case: Case, pack: Pack) -> bool:
    """Under monitoring; tracked after removal; or, for the pack's risks, already while
    being identified (先行落实帮扶措施)."""
    state = workflow.State(case.state)
    if state in workflow.UNDER_MONITORING:
        return True
    if state == workflow.State.RISK_REMOVED:
        return case.tracked_after_removal
    first = set(pack.monitoring.workflow.assist_first)
    return state in workflow.IDENTIFICATION and bool(first & set(case.risk_types.split(",")))


def get(session: Session, *, scope: Scope, measure_id: int) -> Measure:
    access.require_reader(scope)
    measure = session.get(Measure, measure_id)
    if measure is None:
        raise NotFound(f"帮扶措施 {measure_id} 不存在或不在您的管辖范围内")
    scope.check_read(measure.village_code, f"帮扶措施 {measure_id}")
    return measure


def case_of(session: Session, *, scope: Scope, measure: Measure) -> Case:
    """The case whose list holds ``measure``."""
    case = session.get_one(Case, measure.case_id)
    scope.check_read(case.village_code, f"监测案件“{case.code}”")
    return case


def record_progress(
    session: Session,
    *,
    scope: Scope,
    measure_id: int,
    note: str,
    done: bool = False,
    today: date | None = None,
) -> Measure:
    day = today or calendar.today()
    measure = get(session, scope=scope, measure_id=measure_id)
    scope.check_write(measure.village_code, f"帮扶措施 {measure_id}")
    access.require_role(scope, FOLLOWERS, "记录措施进展")
    if measure.done_on is not None:
        raise Conflict(f"帮扶措施 {measure_id} 已于 {measure.done_on} 完成")
    if not note.strip():
        raise InvalidValue("请填写进展情况")
    session.add(
        MeasureProgress(
            measure_id=measure.id,
            recorded_on=day,
            actor=scope.actor,
            note=note.strip()[:400],
            done=done,
        )
    )
    measure.progress = note.strip()[:400]
    if done:
        measure.done_on = day
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="monitor.measure.progress",
        target_type="monitor_measure",
        target_id=measure.id,
        region_code=measure.village_code,
        after={"done_on": measure.done_on, "progress": measure.progress},
        detail=("完成：" if done else "进展：") + measure.progress,
    )
    return measure


def measures_of(session: Session, case_ids: list[int]) -> list[Measure]:
    if not case_ids:
        return []
    query = select(Measure).where(Measure.case_id.in_(case_ids))
    return list(session.scalars(query.order_by(Measure.due_on, Measure.id)))


def progress_of(session: Session, measure_ids: list[int]) -> list[MeasureProgress]:
    if not measure_ids:
        return []
    query = select(MeasureProgress).where(MeasureProgress.measure_id.in_(measure_ids))
    return list(session.scalars(query.order_by(MeasureProgress.id)))


def plan_gap(case: Case, measures: list[Measure], pack: Pack) -> str:
    """What the list lacks: development help where there is labour, protection where not."""
    if workflow.State(case.state) not in workflow.UNDER_MONITORING or case.has_labour is None:
        return ""
    workflow_pack = pack.monitoring.workflow
    kinds = {measure.kind for measure in measures}
    if case.has_labour and not kinds & set(workflow_pack.development_kinds):
        return "该户有劳动能力，清单中应有产业、就业等开发式帮扶措施"
    if not case.has_labour and not kinds & set(workflow_pack.protection_kinds):
        return "该户无劳动能力，清单中应有兜底保障等保障性措施"
    return ""


def gap_condition(pack: Pack) -> ColumnElement[bool]:
    """:func:`plan_gap` as a condition on cases, so that the cases with a gap are counted in
    the database (the city's monitored cases are a hundred thousand at Chongqing scale)."""
    workflow_pack = pack.monitoring.workflow

    def lacking(kinds: tuple[str, ...]) -> ColumnElement[bool]:
        return ~exists().where(Measure.case_id == Case.id, Measure.kind.in_(kinds))

    return and_(
        Case.state.in_([state.value for state in workflow.UNDER_MONITORING]),
        or_(
            and_(Case.has_labour.is_(True), lacking(workflow_pack.development_kinds)),
            and_(Case.has_labour.is_(False), lacking(workflow_pack.protection_kinds)),
        ),
    )
