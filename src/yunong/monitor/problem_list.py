"""The zeroing board's problems as a list paged in the database: every open step and measure
past its due date inside the scope, however many (the city has tens of thousands), counted,
sorted and cut into pages by the database, and counted per region and age band there too.

The oldest problem is the one whose due date is earliest: a problem's age in working days
only grows as its due date lies further back, so ordering by due date is ordering by age.
"""

from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, case, func, literal, literal_column, select, union_all
from sqlalchemy.orm import Session

from yunong.core import listing
from yunong.core.listing import Listing, ListSpec, Page, Sort
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.monitor import access, calendar, workflow
from yunong.monitor.models import Case, CaseStep, Household, Measure
from yunong.monitor.problems import AGE_BANDS, KIND_LABELS, Problem

PROBLEMS = ListSpec(
    sorts={"age": Sort("超时工作日", ())},
    default_sort="-age",
    categories=KIND_LABELS,
    category_label="问题",
)
"""The board's list of problems: the longest overdue first, one kind at a time if chosen."""
OPEN_CASES = [state.value for state in workflow.OPEN] + [workflow.State.RISK_REMOVED.value]
"""Cases whose measures still count: open ones, and those followed after their risk is gone."""


def overdue(scope: Scope, day: date, kind: str = "") -> Select[Any]:
    """One row per open step or measure due before ``day`` inside the scope (of ``kind``
    only, if given): its kind, what it is, who answers for it, its due date, village, case
    and household codes."""
    step_kind = case((CaseStep.step == "verify", "visit_overdue"), else_="review_overdue")
    steps = scope.filter(
        select(
            step_kind.label("kind"),
            CaseStep.step.label("what"),
            literal("").label("owner"),
            CaseStep.due_on.label("due_on"),
            Case.village_code.label("village_code"),
            Case.code.label("case_code"),
            Household.code.label("household_code"),
        )
        .join(Case, Case.id == CaseStep.case_id)
        .join(Household, Household.id == Case.household_id)
        .where(CaseStep.done_on.is_(None), CaseStep.due_on < day),
        Case.village_code,
    )
    measures = scope.filter(
        select(
            literal("measure_overdue").label("kind"),
            Measure.content.label("what"),
            Measure.responsible.label("owner"),
            Measure.due_on.label("due_on"),
            Measure.village_code.label("village_code"),
            Case.code.label("case_code"),
            Household.code.label("household_code"),
        )
        .join(Case, Case.id == Measure.case_id)
        .join(Household, Household.id == Case.household_id)
        .where(Measure.done_on.is_(None), Measure.due_on < day, Case.state.in_(OPEN_CASES)),
        Measure.village_code,
    )
    if kind == "measure_overdue":
        return measures
    if kind:
        return steps.where(step_kind == kind)
    return union_all(steps, measures).subquery().select()


def get_page(session: Session, *, scope: Scope, page: Page, today: date) -> Listing[Problem]:
    """A page of the open problems of the scope, the longest overdue first (or last)."""
    access.require_reader(scope)
    query = overdue(page.within(scope), today, page.category)
    rows = query.subquery()
    # The longest overdue first is the earliest due first.
    due = rows.c.due_on.asc() if page.descending else rows.c.due_on.desc()
    ordered = select(rows).order_by(due, rows.c.village_code, rows.c.case_code, rows.c.what)
    found = session.execute(ordered.offset(page.offset).limit(page.size)).all()
    return Listing(problems_of(session, found, today), listing.count(session, query), page)


def problems_of(session: Session, rows: Sequence[Any], today: date) -> list[Problem]:
    places = regions.get_place_names(session, village_codes={row.village_code for row in rows})
    return [problem_of(row, places[row.village_code].label, today) for row in rows]


def problem_of(row: Any, region: str, today: date) -> Problem:
    if row.kind == "measure_overdue":
        what, owner = row.what, row.owner
    else:
        step = workflow.STEPS[row.what]
        what, owner = step.label, step.role.label
    return Problem(
        kind=row.kind,
        label=KIND_LABELS[row.kind],
        what=what,
        household_code=row.household_code,
        case_code=row.case_code,
        village_code=row.village_code,
        region=region,
        due_on=row.due_on,
        age=calendar.working_days_between(row.due_on, today),
        owner=owner,
    )


def by_region_and_band(
    session: Session, *, scope: Scope, today: date, width: int
) -> dict[str, Counter[str]]:
    """Open problems counted per region (the first ``width`` digits of their village) and
    age band, in the database."""
    access.require_reader(scope)
    rows = overdue(scope, today).subquery()
    band = band_of(rows.c.due_on, today)
    region = func.substr(rows.c.village_code, literal_column("1"), literal_column(str(width)))
    query = select(region, band, func.count()).group_by(region, band)
    table: dict[str, Counter[str]] = {}
    for key, label, number in session.execute(query).tuples():
        table.setdefault(str(key), Counter())[str(label)] += int(number)
    return table


def band_of(due_on: Any, today: date) -> Any:
    """The age band of a due date, as SQL: bands end at a number of working days, which is
    a due date on or after some day."""
    whens = [(due_on >= earliest_due(today, upper), label) for upper, label in AGE_BANDS if upper]
    return case(*whens, else_=AGE_BANDS[-1][1])


def earliest_due(today: date, days: int) -> date:
    """The earliest due date still at most ``days`` working days overdue on ``today``."""
    day = today
    while calendar.working_days_between(day - timedelta(days=1), today) <= days:
        day -= timedelta(days=1)
    return day


def for_export(session: Session, *, scope: Scope, page: Page, today: date) -> list[Problem]:
    """Every problem the page's filters find, the longest overdue first; more than
    :data:`listing.EXPORT_LIMIT` are refused with their number."""
    access.require_reader(scope)
    query = overdue(page.within(scope), today, page.category)
    listing.check_export_size(listing.count(session, query))
    rows = query.subquery()
    ordered = select(rows).order_by(rows.c.due_on, rows.c.village_code, rows.c.case_code)
    return problems_of(session, session.execute(ordered).all(), today)
