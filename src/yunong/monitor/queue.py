"""The work queues of 防返贫监测: the figures and bars above the officials' lists of cases,
alerts and reports, whom a village cadre may send, and the grid worker's list of households
to visit."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.core.auth import service as users
from yunong.core.auth.roles import Role
from yunong.core.errors import NotFound
from yunong.core.regions import codes as region_codes
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.monitor import access, alerts, households, problems, visits, workflow
from yunong.monitor.models import Alert, Case, Household
from yunong.policy.schema import Pack


@dataclass(frozen=True)
class Bar:
    """Open alerts and households under monitoring in one region, against the largest bar."""

    name: str
    alerts: int
    monitored: int
    top: int

    def share(self, value: int) -> int:
        return round(100 * value / self.top)


@dataclass(frozen=True)
class Overview:
    """What the queue's page shows above its lists: figures, bars one level down, and
    whom the caller may send to verify an alert."""

    bars: list[Bar]
    figures: dict[str, Any]
    grid_workers: list[str]
    """Whom the caller may send to verify an alert (village cadres only)."""


def get_overview(
    session: Session,
    *,
    scope: Scope,
    viewed: Scope,
    pack: Pack,
    today: date,
) -> Overview:
    """The figures and bars of the region ``viewed`` (inside the caller's ``scope``); the
    cases, alerts, households and self-reports themselves are the paged lists of
    ``monitor/lists.py``."""
    access.require_reader(scope)
    return Overview(
        bars=bars(session, scope=viewed),
        figures=problems.indicators(session, scope=viewed, pack=pack, today=today),
        grid_workers=grid_workers(session, scope=scope),
    )


def grid_workers(session: Session, *, scope: Scope) -> list[str]:
    """The grid workers of a village cadre's own village; nobody for other roles."""
    if scope.role != Role.VILLAGE_CADRE.value:
        return []
    return users.get_active_names(
        session, scope=scope, role=Role.GRID_WORKER, region_code=scope.region_code
    )


def bars(session: Session, *, scope: Scope) -> list[Bar]:
    """Open alerts and households under monitoring in each region one level down."""
    children = regions.get_children(session, scope=scope, code=scope.region_code)
    if not children:
        return []
    width = len(region_codes.prefix_of(children[0].code))
    alert_counts = count_by_prefix(session, scope, Alert, width, Alert.status == alerts.OPEN)
    monitored = count_by_prefix(
        session,
        scope,
        Case,
        width,
        Case.state.in_([state.value for state in workflow.UNDER_MONITORING]),
    )
    numbers = [
        (
            child.name,
            alert_counts.get(region_codes.prefix_of(child.code), 0),
            monitored.get(region_codes.prefix_of(child.code), 0),
        )
        for child in children
    ]
    top = max([1] + [max(alert, kept) for _, alert, kept in numbers])
    return [Bar(name, alert, kept, top) for name, alert, kept in numbers]


def count_by_prefix(
    session: Session, scope: Scope, model: type[Alert] | type[Case], width: int, condition: Any
) -> dict[str, int]:
    """Rows of ``model`` meeting ``condition``, counted by the first ``width`` digits of their
    village code."""
    prefix = func.substr(model.village_code, 1, width)
    query = scope.filter(
        select(prefix, func.count()).where(condition).group_by(prefix), model.village_code
    )
    return {key: number for key, number in session.execute(query).tuples()}


@dataclass(frozen=True)
class VisitTask:
    """A verification visit (入户核实) the caller is to make."""

    name: str
    """The household as the visitor knows it: 张建国户（石坪村）."""
    due_on: date | None


@dataclass(frozen=True)
class VisitList:
    households: list[Household]
    names: dict[int, str]
    """How the visitor knows each household, 张建国户（石坪村）, by household id."""
    tasks: dict[str, VisitTask]
    """The caller's verification visits still to make, by household 全农码."""
    in_scope: int
    """Households the caller may visit; above :data:`PICKER_ALL` the form offers only those
    a search finds (``found`` of them), so a town's thousands are never cut off silently."""
    found: int | None = None
    """Households the search found (None when every household is offered)."""


PICKER_ALL = 1000
"""A grid worker's village fits on the phone whole (and so offline); a town is searched."""
PICKER_FOUND = 50


def visit_list(session: Session, *, scope: Scope, chosen: str = "", search: str = "") -> VisitList:
    """What the phone form offers: the caller's verification tasks and the households in
    scope (all of them up to :data:`PICKER_ALL`, else those ``search`` finds), those of the
    tasks and the ``chosen`` one (a 待办 item's link) always among them."""
    access.require_role(scope, access.VISITORS, "入户走访")
    assigned = scope.filter(select(Case), Case.village_code).where(
        Case.state == workflow.State.VERIFY.value, Case.assigned_to == scope.actor
    )
    tasks = list(session.scalars(assigned.order_by(Case.step_due_on, Case.id)))
    in_scope = households.count(session, scope=scope)
    found = None
    if in_scope <= PICKER_ALL:
        listed = households.get_all(session, scope=scope, limit=PICKER_ALL)
    elif search:
        found, listed = households.search(session, scope=scope, text=search, limit=PICKER_FOUND)
    else:
        listed = []
    task_codes = households.codes_of(
        session, scope=scope, household_ids=[case.household_id for case in tasks]
    )
    listed = missing_households(session, scope, {*task_codes.values(), chosen}, listed) + listed
    names = household_names(session, scope, listed)
    return VisitList(
        households=listed,
        names=names,
        tasks={
            task_codes[case.household_id]: VisitTask(names[case.household_id], case.step_due_on)
            for case in tasks
        },
        in_scope=in_scope,
        found=found,
    )


def missing_households(
    session: Session, scope: Scope, codes: set[str], listed: list[Household]
) -> list[Household]:
    """The households of ``codes`` that ``listed`` lacks (it stops at its limit)."""
    have = {household.code for household in listed}
    found = []
    for code in sorted(codes - have - {""}):
        try:
            found.append(visits.get_household(session, scope=scope, code=code))
        except NotFound:
            continue  # a stale link: the form opens without a household chosen
    return found


def household_names(session: Session, scope: Scope, listed: list[Household]) -> dict[int, str]:
    heads = households.head_names(session, scope=scope, household_ids=[item.id for item in listed])
    villages = {
        code: regions.get(session, code=code).name
        for code in {household.village_code for household in listed}
    }
    return {
        item.id: f"{heads.get(item.id, item.number)}户（{villages[item.village_code]}）"
        for item in listed
    }
