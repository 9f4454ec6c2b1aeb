"""The habitat work waiting on one user (待办).

* 网格员: applications for a toilet subsidy whose toilet is still to be seen built (走访核实);
* 乡镇干部: built toilets to accept (改厕验收);
* 区县干部: accepted toilets whose subsidy is to be paid (发放改厕补助), and remediations of
  black and odorous water that have been treated and wait for acceptance (整治验收).

Each list is the caller's region only.
"""

from datetime import date, timedelta

from sqlalchemy.orm import Session

from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.core.todo import ITEMS_SHOWN, Item, Todo
from yunong.habitat import remediation, toilets
from yunong.habitat.models import ToiletSubsidy
from yunong.habitat.toilets import State
from yunong.policy import loader as policy

APPLICATION = "habitat"
STEP_DAYS = 30
"""Days a toilet step is expected to take before its item turns yellow, then red at twice."""


def todo(session: Session, scope: Scope) -> list[Todo]:
    if scope.role == Role.GRID_WORKER:
        return [subsidy_list(session, scope, State.APPLIED, "visit", "走访核实改厕建成")]
    if scope.role == Role.TOWN_OFFICER:
        return [subsidy_list(session, scope, State.BUILT, "accept", "改厕验收")]
    if scope.role == Role.DISTRICT_OFFICER:
        return [
            subsidy_list(session, scope, State.ACCEPTED, "pay", "发放改厕补助"),
            remediation_list(session, scope),
        ]
    return []


def since(subsidy: ToiletSubsidy) -> date:
    return subsidy.accepted_on or subsidy.built_on or subsidy.applied_on


def level(start: date, today: date) -> str:
    waited = today - start
    if waited > timedelta(days=2 * STEP_DAYS):
        return "red"
    return "yellow" if waited > timedelta(days=STEP_DAYS) else "green"


def subsidy_list(session: Session, scope: Scope, state: State, kind: str, action: str) -> Todo:
    found = toilets.waiting(session, scope=scope, state=state)
    today = date.today()
    items = [
        Item(
            subject=f"{subsidy.head_name}户（{subsidy.household_number}）",
            link=link(subsidy, state),
            since=since(subsidy),
            level=level(since(subsidy), today),
        )
        for subsidy in found[:ITEMS_SHOWN]
    ]
    return Todo(APPLICATION, kind, action, len(found), items)


def link(subsidy: ToiletSubsidy, state: State) -> str:
    """Where the step is taken: the grid worker's visit form, or the subsidies waiting at
    the step."""
    if state == State.APPLIED:
        return f"/habitat/toilets/visit?household={subsidy.household_number}"
    return f"/habitat/toilets?status={state.value}"


def remediation_list(session: Session, scope: Scope) -> Todo:
    pack = policy.get()
    if pack.habitat is None:
        return Todo(APPLICATION, "remediation", "黑臭水体整治验收", 0)
    rules = pack.habitat.black_odorous
    treating = rules.stages[rules.stages.index(remediation.acceptance_stage(rules)) - 1]
    found = [
        (project, body)
        for project, body in remediation.get_all(session, scope=scope)
        if project.stage == treating
    ]
    items = [
        Item(subject=body.name, link="/habitat/water?status=black", since=project.stage_on)
        for project, body in found[:ITEMS_SHOWN]
    ]
    return Todo(APPLICATION, "remediation", "黑臭水体整治验收", len(found), items)
