"""One step on a case by its name, as the API and the pages take it, and what the caller may
do on a household's page.

The workflow owns the states and most steps. Two steps carry more than a yes or a no:
区县审批 sets the category and the risk types (``workflow.include``), and the village's
风险消除 proposal must meet every criterion (``removal.propose``). 入户核实 is taken by
recording the verification visit (``visits.record_visit``). This dispatch lives beside the
workflow rather than inside it because ``removal`` and ``visits`` are built on the workflow.
"""

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.orm import Session

from yunong.core.errors import InvalidValue
from yunong.core.scope import Scope
from yunong.monitor import access, households, measures, removal, visits, workflow
from yunong.monitor.models import Case
from yunong.policy.schema import Pack


@dataclass(frozen=True)
class Decision:
    """What the official decided on a step."""

    passed: bool = True
    note: str = ""
    category: str | None = None
    """监测对象类别: only for 区县审批 that includes the household."""
    risk_types: tuple[str, ...] = ()
    """The risk types the district confirms when it includes the household."""


def take(
    session: Session,
    *,
    scope: Scope,
    code: str,
    step_name: str,
    decision: Decision,
    pack: Pack,
    today: date | None = None,
) -> Case:
    """Take step ``step_name`` on case ``code`` as the caller; each step keeps its own rules."""
    case = workflow.get(session, scope=scope, code=code)
    if step_name == "verify":
        raise InvalidValue("入户核实请提交走访记录：POST /api/monitor/cases/{code}/verify")
    if step_name == "district_approval" and decision.passed:
        return workflow.include(
            session,
            scope=scope,
            case=case,
            pack=pack,
            category=decision.category or "",
            risk_types=list(decision.risk_types),
            note=decision.note,
            today=today,
        )
    if step_name == "propose_removal":
        return removal.propose(
            session, scope=scope, case=case, pack=pack, note=decision.note, today=today
        )
    return workflow.take_step(
        session,
        scope=scope,
        case=case,
        step_name=step_name,
        pack=pack,
        passed=decision.passed,
        note=decision.note,
        today=today,
    )


def verify(
    session: Session,
    *,
    scope: Scope,
    code: str,
    visit_in: visits.VisitIn,
    pack: Pack,
    today: date | None = None,
) -> Case:
    """入户核实 of case ``code``: the grid worker's visit to the case's household."""
    case = workflow.get(session, scope=scope, code=code)
    household_code = households.code_of(session, scope=scope, household_id=case.household_id)
    visits.record_visit(
        session,
        scope=scope,
        visit_in=replace(visit_in, household_code=household_code, verifies=True),
        pack=pack,
        today=today,
    )
    return case


@dataclass(frozen=True)
class Actions:
    """What the caller may do on a household's page."""

    step: workflow.Step | None
    """The step the household's current case waits for."""
    may_act: bool
    """The caller owns that step and takes it on the page (入户核实 is taken by a visit)."""
    may_plan: bool
    """The caller may add a measure to the case's list."""
    may_follow: bool
    """The caller may record a measure's progress."""
    may_visit: bool
    """The caller visits households (走访) and may record one here."""


def waiting_step(case: Case) -> workflow.Step | None:
    """The step ``case`` waits for; a monitored case waits for the village's removal proposal."""
    if case.state == workflow.State.MONITORED.value:
        return workflow.STEPS["propose_removal"]
    return workflow.STEP_OF_STATE.get(workflow.State(case.state))


def actions(scope: Scope, case: Case | None, pack: Pack) -> Actions:
    step = waiting_step(case) if case else None
    return Actions(
        step=step,
        may_act=step is not None and scope.role == step.role.value and step.name != "verify",
        may_plan=case is not None
        and scope.role in [role.value for role in measures.PLANNERS]
        and measures.may_plan(case, pack),
        may_follow=scope.role in [role.value for role in measures.FOLLOWERS],
        may_visit=scope.can_write and scope.role in [role.value for role in access.VISITORS],
    )


ASSIGNED = "assign"
"""What a household's page is told after a village cadre sent a grid worker to verify."""
MEASURE_ADDED = "measure"
PROGRESS_RECORDED = "progress"
ACTIONS = {
    ASSIGNED: workflow.ASSIGN_LABEL,
    MEASURE_ADDED: "新增帮扶措施",
    PROGRESS_RECORDED: "记录帮扶措施进展",
}
"""The actions on a household's page besides the workflow's steps, by the name the page is
told after them."""


@dataclass(frozen=True)
class Done:
    """What an action on a household's page did and who acts next, for its notice."""

    label: str
    """The action just taken, e.g. 乡镇审核."""
    next_step: workflow.Step | None
    """The step the case now waits for; None once it is monitored or closed."""
    state: str
    """The case's state now, e.g. 监测帮扶中."""


def done(name: str, case: Case | None) -> Done | None:
    """The notice after action ``name`` (a step's name, or one of :data:`ACTIONS`) on
    ``case``; None for a name that is no action, so that a crafted address shows nothing."""
    if case is None:
        return None
    if name in ACTIONS:
        label = ACTIONS[name]
    elif name in workflow.STEPS:
        label = workflow.STEPS[name].label
    else:
        return None
    state = workflow.State(case.state)
    return Done(label, workflow.STEP_OF_STATE.get(state), workflow.STATE_LABELS[state])
