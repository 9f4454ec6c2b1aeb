"""问题动态清零: overdue visits, reviews and measures, and the indicators the cockpit reads.

A problem is a step of a case or a measure whose due date has passed while it is not
done. Its age is counted in working days past the due date. The zeroing rate is the
share of everything that fell due by today (steps and measures) that has been done,
on time or late: 1.0 when every problem that arose has been cleared.
"""

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import exists, func, literal, literal_column, select, union_all
from sqlalchemy.orm import Session

from yunong.core.regions import codes as region_codes
from yunong.core.regions import service as regions
from yunong.core.regions.codes import Level
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.monitor import access, calendar, workflow
from yunong.monitor.models import Case, CaseStep, Household, Measure
from yunong.policy.schema import Pack

KIND_LABELS = {
    "visit_overdue": "入户核实超时",
    "review_overdue": "评议审核超时",
    "measure_overdue": "帮扶措施逾期",
}
AGE_BANDS = ((5, "5 个工作日以内"), (10, "6—10 个工作日"), (None, "10 个工作日以上"))


@dataclass(frozen=True)
class Problem:
    kind: str
    label: str
    what: str
    household_code: str
    case_code: str
    village_code: str
    region: str
    """District, town and village names."""
    due_on: date
    age: int
    """Working days past the due date."""
    owner: str
    """Who must act: the role or the responsible department or person."""

    @property
    def age_band(self) -> str:
        return age_band(self.age)

    def as_json(self) -> dict[str, object]:
        return asdict(self) | {"due_on": self.due_on.isoformat(), "age_band": self.age_band}


def age_band(age: int) -> str:
    for upper, label in AGE_BANDS:
        if upper is None or age <= upper:
            return label
    raise AssertionError("unreachable")


class RegionNames:
    """Names of a village, its town and district, looked up once each."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.known: dict[str, str] = {}

    def __call__(self, village_code: str) -> str:
        if village_code not in self.known:
            path = regions.get_ancestors(self.session, code=village_code)
            path.append(regions.get(self.session, code=village_code))
            self.known[village_code] = " ".join(item.name for item in path[1:])
        return self.known[village_code]


def get_all(
    session: Session,
    *,
    scope: Scope,
    today: date | None = None,
    region: str | None = None,
) -> list[Problem]:
    """Every open problem inside the scope (and ``region``), oldest first (the command line's
    list; pages and the API take them a page at a time from :mod:`problem_list`)."""
    day = today or calendar.today()
    access.require_reader(scope)
    prefix_scope = narrowed(scope, region)
    names = RegionNames(session)
    found: list[Problem] = []
    overdue_steps = prefix_scope.filter(
        select(CaseStep, Case.code, Case.village_code, Household.code)
        .join(Case, Case.id == CaseStep.case_id)
        .join(Household, Household.id == Case.household_id)
        .where(CaseStep.done_on.is_(None), CaseStep.due_on < day),
        Case.village_code,
    )
    for step_row, case_code, village, household_code in session.execute(overdue_steps):
        step = workflow.STEPS[step_row.step]
        kind = "visit_overdue" if step.name == "verify" else "review_overdue"
        assert step_row.due_on is not None
        found.append(
            Problem(
                kind=kind,
                label=KIND_LABELS[kind],
                what=step.label,
                household_code=household_code,
                case_code=case_code,
                village_code=village,
                region=names(village),
                due_on=step_row.due_on,
                age=calendar.working_days_between(step_row.due_on, day),
                owner=step.role.label,
            )
        )
    open_cases = [state.value for state in workflow.OPEN] + [workflow.State.RISK_REMOVED.value]
    overdue_measures = prefix_scope.filter(
        select(Measure, Case.code, Household.code)
        .join(Case, Case.id == Measure.case_id)
        .join(Household, Household.id == Case.household_id)
        .where(Measure.done_on.is_(None), Measure.due_on < day, Case.state.in_(open_cases)),
        Measure.village_code,
    )
    for measure, case_code, household_code in session.execute(overdue_measures):
        found.append(
            Problem(
                kind="measure_overdue",
                label=KIND_LABELS["measure_overdue"],
                what=measure.content,
                household_code=household_code,
                case_code=case_code,
                village_code=measure.village_code,
                region=names(measure.village_code),
                due_on=measure.due_on,
                age=calendar.working_days_between(measure.due_on, day),
                owner=measure.responsible,
            )
        )
    found.sort(key=lambda problem: (-problem.age, problem.village_code, problem.case_code))
    return found


def narrowed(scope: Scope, region: str | None) -> Scope:
    """The caller's scope, or a region inside it when one is asked for."""
    if not region:
        return scope
    code = region_codes.normalise(region)
    scope.check_read(code, f"区划“{region}”")
    return Scope(actor=scope.actor, region_code=code, role=scope.role, can_write=False)


def zeroing_rate(
    session: Session, *, scope: Scope, today: date | None = None, region: str | None = None
) -> float:
    """Share of the steps and measures due by today that are done (1.0 when none fell due)."""
    access.require_reader(scope)
    within = narrowed(scope, region)
    counts = zeroing_counts(
        session,
        scope=within,
        day=today or calendar.today(),
        level=region_codes.level_of(within.region_code),
    )
    due = sum(due for due, _ in counts.values())
    done = sum(done for _, done in counts.values())
    return 1.0 if due == 0 else done / due


def zeroing_counts(
    session: Session, *, scope: Scope, day: date, level: Level
) -> dict[str, tuple[int, int]]:
    """(due, done) per region of ``level`` inside the scope: the steps and measures due
    before ``day``, and how many of them are done. A region with monitored households
    and nothing due counts as (0, 0)."""
    length = region_codes.PREFIX_LENGTHS[level]

    def grouped(column: Any) -> Any:
        # Inline numbers: PostgreSQL does not see two bound parameters as one expression.
        return func.substr(column, literal_column("1"), literal_column(str(length)))

    steps = scope.filter(
        select(
            grouped(Case.village_code).label("region"),
            func.count().label("due"),
            func.count(CaseStep.done_on).label("done"),
        )
        .select_from(CaseStep)
        .join(Case, Case.id == CaseStep.case_id)
        .where(CaseStep.due_on < day)
        .group_by(grouped(Case.village_code)),
        Case.village_code,
    )
    measures = scope.filter(
        select(
            grouped(Measure.village_code).label("region"),
            func.count().label("due"),
            func.count(Measure.done_on).label("done"),
        )
        .where(Measure.due_on < day)
        .group_by(grouped(Measure.village_code)),
        Measure.village_code,
    )
    # One probe of the households' village index per region rather than a pass over
    # every household.
    households = scope.filter(
        select(
            grouped(Region.code).label("region"), literal(0).label("due"), literal(0).label("done")
        )
        .where(exists().where(Household.village_code == Region.code))
        .group_by(grouped(Region.code)),
        Region.code,
    )
    parts = union_all(steps, measures, households).subquery()
    query = select(parts.c.region, func.sum(parts.c.due), func.sum(parts.c.done)).group_by(
        parts.c.region
    )
    return {
        str(region).ljust(12, "0"): (int(due or 0), int(done or 0))
        for region, due, done in session.execute(query)
    }


def count_open(
    session: Session, *, scope: Scope, today: date | None = None, region: str | None = None
) -> int:
    """How many problems ``get_all`` would list, counted in the database."""
    day = today or calendar.today()
    access.require_reader(scope)
    within = narrowed(scope, region)
    steps = within.filter(
        select(func.count())
        .select_from(CaseStep)
        .join(Case, Case.id == CaseStep.case_id)
        .where(CaseStep.done_on.is_(None), CaseStep.due_on < day),
        Case.village_code,
    )
    open_cases = [state.value for state in workflow.OPEN] + [workflow.State.RISK_REMOVED.value]
    late_measures = within.filter(
        select(func.count())
        .select_from(Measure)
        .join(Case, Case.id == Measure.case_id)
        .where(Measure.done_on.is_(None), Measure.due_on < day, Case.state.in_(open_cases)),
        Measure.village_code,
    )
    return int(session.scalar(steps) or 0) + int(session.scalar(late_measures) or 0)


def monitored_by_category(
    session: Session, *, scope: Scope, region: str | None = None
) -> dict[str, int]:
    """Households under monitoring by category (every category of the pack, zero included),
    and those kept under watch after their risk was removed."""
    access.require_reader(scope)
    within = narrowed(scope, region)
    query = within.filter(
        select(Case.category, func.count(func.distinct(Case.household_id)))
        .where(Case.state.in_([state.value for state in workflow.UNDER_MONITORING]))
        .group_by(Case.category),
        Case.village_code,
    )
    counts = {category or "未分类": number for category, number in session.execute(query)}
    tracked = within.filter(
        select(func.count(func.distinct(Case.household_id))).where(
            Case.state == workflow.State.RISK_REMOVED.value, Case.tracked_after_removal
        ),
        Case.village_code,
    )
    counts["风险消除后持续跟踪"] = session.scalar(tracked) or 0
    return counts


def indicators(
    session: Session,
    *,
    scope: Scope,
    pack: Pack,
    today: date | None = None,
    region: str | None = None,
) -> dict[str, object]:
    """The monitoring figures the cockpit shows, in one call."""
    day = today or calendar.today()
    by_category = monitored_by_category(session, scope=scope, region=region)
    for category in pack.monitoring.workflow.categories:
        by_category.setdefault(category, 0)
    return {
        "zeroing_rate": round(zeroing_rate(session, scope=scope, today=day, region=region), 4),
        "open_problems": count_open(session, scope=scope, today=day, region=region),
        "monitored_by_category": by_category,
        "monitored": sum(
            number
            for name, number in by_category.items()
            if name in pack.monitoring.workflow.categories
        ),
    }
