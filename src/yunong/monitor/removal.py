"""风险消除: whether a monitored household meets every criterion of the pack.

Income is judged from the per-head figures that visits record: the newest must be at or
above the monitoring line, and every figure of the last ``stable_months`` as well, with
one taken at least that long ago, so the income has held for the whole period. The other
criteria are the newest visit's answers to the checks (三保障, drinking water, rigid costs).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, InvalidValue
from yunong.core.scope import Scope
from yunong.monitor import access, calendar, visits, workflow
from yunong.monitor.models import Case, Visit
from yunong.policy.schema import Pack
from yunong.web.i18n import gettext as _

CRITERION_LABELS = {
    "income_above_line": "人均纯收入高于监测线",
    "income_stable": "收入持续稳定在监测线以上",
    "rigid_costs_resolved": "医疗、教育等刚性支出问题已解决",
    "education_secure": "义务教育有保障",
    "medical_secure": "基本医疗有保障",
    "housing_secure": "住房安全有保障",
    "water_secure": "饮水安全有保障",
}


@dataclass(frozen=True)
class Verdict:
    unmet: list[str]
    """Labels of the criteria that do not hold, with the reason."""

    @property
    def met(self) -> bool:
        return not self.unmet


def line_on(pack: Pack, day: date) -> Decimal:
    """The monitoring line in force on ``day``: the year's, else the newest earlier one."""
    lines = pack.monitoring.monitoring_line
    years = [year for year in lines if year <= day.year] or [min(lines)]
    return Decimal(str(lines[max(years)]))


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier, or the month's last day when it is shorter."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def evaluate(visits: list[Visit], *, pack: Pack, today: date) -> Verdict:
    """Check each criterion of the pack against the household's visits (any order)."""
    workflow = pack.monitoring.workflow
    line = line_on(pack, today)
    ordered = sorted(visits, key=lambda visit: (visit.visited_on, visit.id))
    incomes = [visit for visit in ordered if visit.per_capita_income is not None]
    latest = ordered[-1] if ordered else None
    since = months_before(today, workflow.stable_months)
    unmet: list[str] = []
    for criterion in workflow.removal_criteria:
        label = _(CRITERION_LABELS[criterion])
        if criterion == "income_above_line":
            newest = incomes[-1].per_capita_income if incomes else None
            if newest is None or newest < line:
                shown = _("无走访记录") if newest is None else _("最近一次 {income} 元")
                shown = shown.format(income=newest)
                unmet.append(
                    _("{label}（监测线 {line} 元，{shown}）").format(
                        label=label, line=line, shown=shown
                    )
                )
        elif criterion == "income_stable":
            recent = [visit for visit in incomes if visit.visited_on > since]
            anchor = [visit for visit in incomes if visit.visited_on <= since]
            held = bool(anchor) and anchor[-1].per_capita_income >= line  # type: ignore[operator]
            if not held or any(visit.per_capita_income < line for visit in recent):  # type: ignore[operator]
                unmet.append(
                    _("{label}不少于 {months} 个月（自 {since} 起）").format(
                        label=label, months=workflow.stable_months, since=since
                    )
                )
        elif latest is None or getattr(latest, criterion) is not True:
            unmet.append(label)
    return Verdict(unmet)


def propose(
    session: Session,
    *,
    scope: Scope,
    case: Case,
    pack: Pack,
    note: str = "",
    today: date | None = None,
) -> Case:
    """村级评议提出风险消除: refused, naming each unmet criterion, unless all of them hold."""
    day = today or calendar.today()
    scope.check_write(case.village_code, f"监测案件“{case.code}”")
    access.require_role(scope, [Role.VILLAGE_CADRE], workflow.STEPS["propose_removal"].label)
    if case.state != workflow.State.MONITORED.value:
        state = workflow.State(case.state).label
        raise Conflict(f"案件当前为“{state}”，只有监测帮扶中的农户才能提出风险消除")
    verdict = evaluate(visits.visits_of(session, case.household_id), pack=pack, today=day)
    if not verdict.met:
        raise InvalidValue("尚不符合风险消除条件：" + "；".join(verdict.unmet))
    return workflow.take_step(
        session,
        scope=scope,
        case=case,
        step_name="propose_removal",
        pack=pack,
        note=note,
        today=day,
    )
