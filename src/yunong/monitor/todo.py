"""The monitoring work waiting on one user (待办).

Each step of the workflow waits on one role: the grid worker the case is assigned to
verifies, the village reviews, the town and district review and approve, on
identification and on 风险消除 alike. A village cadre also sends open alerts out for
verification and puts measures in place for the households the district included, and the
city follows the cases past their limit.
"""

from datetime import date
from urllib.parse import urlencode

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from yunong.core.auth.roles import Role
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.core.todo import ITEMS_SHOWN, Item, Todo
from yunong.monitor import access, alerts, calendar, households, measures, workflow
from yunong.monitor.models import Alert, Case
from yunong.policy import loader as policy
from yunong.web.i18n import gettext as _

APPLICATION = "monitor"


def todo(session: Session, scope: Scope) -> list[Todo]:
    if scope.role not in {role.value for role in access.READERS}:
        return []
    today = calendar.today()
    found = [waiting_step(session, scope, step, today) for step in steps_of(scope.role)]
    if scope.role == Role.VILLAGE_CADRE.value:
        found.append(alerts_to_send(session, scope))
    if scope.role in {role.value for role in measures.PLANNERS}:
        found.append(plans_to_complete(session, scope, today))
    if scope.role == Role.CITY_ADMIN.value:
        found.append(past_limit(session, scope, today))
    return found


def steps_of(role: str | None) -> list[workflow.Step]:
    return [step for step in workflow.STEPS.values() if step.role.value == role]


def waiting_step(session: Session, scope: Scope, step: workflow.Step, today: date) -> Todo:
    """Cases waiting for ``step`` in the scope (for 入户核实, those assigned to the caller)."""
    query = scope.filter(select(Case), Case.village_code).where(Case.state == step.at.value)
    if step.name == "verify":
        query = query.where(Case.assigned_to == scope.actor)
    return case_list(session, scope, query, today, kind=step.name, action=step.label)


def plans_to_complete(session: Session, scope: Scope, today: date) -> Todo:
    """Monitored cases whose list of measures lacks what the household needs (see
    :func:`measures.plan_gap`): after the district includes a household, the village puts
    its measures in place (落实帮扶措施)."""
    query = scope.filter(select(Case), Case.village_code).where(
        measures.gap_condition(policy.get())
    )
    return case_list(session, scope, query, today, kind="measures", action="落实帮扶措施")


def past_limit(session: Session, scope: Scope, today: date) -> Todo:
    """Open cases whose current step is past its limit: the city follows them up (督办)."""
    open_states = [state.value for state in workflow.OPEN]
    query = scope.filter(select(Case), Case.village_code).where(
        Case.state.in_(open_states), Case.step_due_on < today
    )
    return case_list(session, scope, query, today, kind="past_limit", action="督办超时案件")


def case_list(
    session: Session, scope: Scope, query: Select, today: date, *, kind: str, action: str
) -> Todo:
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    cases = list(session.scalars(query.order_by(Case.step_due_on, Case.id).limit(ITEMS_SHOWN)))
    ids = [case.household_id for case in cases]
    heads = households.head_names(session, scope=scope, household_ids=ids)
    codes = households.codes_of(session, scope=scope, household_ids=ids)
    villages = village_names(session, {case.village_code for case in cases})
    pack = policy.get()
    items = [
        Item(
            subject=household_subject(
                heads.get(case.household_id, ""), villages[case.village_code]
            ),
            link=link_for(kind, codes[case.household_id]),
            since=case.step_started_on,
            due_on=case.step_due_on,
            level=workflow.warning(case, pack=pack, today=today).level,
        )
        for case in cases
    ]
    return Todo(APPLICATION, kind, action, total, items)


def link_for(kind: str, household_code: str) -> str:
    if kind == "verify":
        return f"/monitor/visit?household={household_code}"
    return f"/monitor/households/{household_code}"


def alerts_to_send(session: Session, scope: Scope) -> Todo:
    """Open alerts of households without an open case: the village sends someone to verify."""
    query = scope.filter(select(Alert), Alert.village_code).where(Alert.status == alerts.OPEN)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    found = list(session.scalars(query.order_by(Alert.raised_at, Alert.id).limit(ITEMS_SHOWN)))
    ids = [alert.household_id for alert in found]
    heads = households.head_names(session, scope=scope, household_ids=ids)
    codes = households.codes_of(session, scope=scope, household_ids=ids)
    villages = village_names(session, {alert.village_code for alert in found})
    items = [
        Item(
            subject=household_subject(
                heads.get(alert.household_id, ""), villages[alert.village_code]
            ),
            # The alert list, found by the household: its row has the form that sends someone.
            link=f"/monitor/alerts?{urlencode({'q': codes[alert.household_id]})}",
            since=alert.raised_at.date(),
        )
        for alert in found
    ]
    return Todo(APPLICATION, "send_to_verify", workflow.ASSIGN_LABEL, total, items)


def village_names(session: Session, codes: set[str]) -> dict[str, str]:
    return {code: regions.get(session, code=code).name for code in codes}


def household_subject(head: str, village: str) -> str:
    """A household named as officials say it, 张三户（石坪村）, in the reader's language."""
    return _("{head}户（{village}）").format(head=head, village=village)
