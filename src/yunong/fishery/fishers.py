"""退捕渔民: the retired fishers, linked by the person's 全农码 to the household registry of
防返贫监测, with their boats, compensation, social insurance and work after retirement
(转产就业), and the grid workers' yearly follow-up visits.

The registry is read, never written, from here: a fisher is registered against a person
already in a household of the caller's scope, found by the person's 全农码.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.core import masking
from yunong.core.audit import service as audit
from yunong.core.auth.roles import Role
from yunong.core.errors import Forbidden, InvalidValue, NotFound
from yunong.core.parsing import parse_amount, parse_date
from yunong.core.scope import Scope
from yunong.fishery.models import FisherVisit, RetiredFisher
from yunong.monitor.models import Household, Person

INSURANCE_LABELS = {"none": "未参保", "resident": "城乡居民养老保险", "employee": "职工养老保险"}
EMPLOYMENT_LABELS = {
    "none": "未就业",
    "job": "务工就业",
    "training": "参加培训",
    "business": "自主创业",
    "retired": "超过劳动年龄",
}
EMPLOYED = frozenset({"job", "business", "retired"})
"""Settled after retirement: in work, in their own business, or past working age."""
VISITORS = frozenset({Role.GRID_WORKER, Role.VILLAGE_CADRE, Role.TOWN_OFFICER})
REGISTRARS = frozenset(
    {Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE}
)


@dataclass
class FisherIn:
    person_code: str
    retired_on: str
    boat_number: str = ""
    boat_dismantled_on: str = ""
    compensation: str = ""
    insurance: str = "none"
    employment: str = "none"
    employment_detail: str = ""


@dataclass(frozen=True)
class FisherRow:
    id: int
    name: str
    person_code: str
    household_code: str
    village_code: str
    retired_on: date
    boat_dismantled_on: date | None
    compensation: Decimal
    insurance: str
    employment: str
    last_visit: date | None


def choice(text: str, labels: dict[str, str], field: str) -> str:
    value = text.strip()
    for key, label in labels.items():
        if value in (key, label):
            return key
    raise InvalidValue(
        "{field}“{value}”应为 {choices}",
        field=field,
        value=text,
        choices="、".join(labels.values()),
    )


def person_by_code(session: Session, *, scope: Scope, code: str) -> tuple[Person, Household]:
    query = scope.filter(
        select(Person, Household)
        .join(Household, Household.id == Person.household_id)
        .where(Person.code == code.strip().upper()),
        Household.village_code,
    )
    found = session.execute(query).tuples().first()
    if found is None:
        raise NotFound("您的辖区内没有全农码为 {code} 的人员", code=code)
    return found


def check_may_register(scope: Scope) -> None:
    if not scope.can_write or (scope.role is not None and Role(scope.role) not in REGISTRARS):
        raise Forbidden("只有村、乡镇、区县工作人员可以登记退捕渔民")


def register(session: Session, *, scope: Scope, fisher_in: FisherIn) -> RetiredFisher:
    """Register a retired fisher, or update the record of one registered before."""
    check_may_register(scope)
    person, household = person_by_code(session, scope=scope, code=fisher_in.person_code)
    retired_on = parse_date(fisher_in.retired_on)
    dismantled = (
        parse_date(fisher_in.boat_dismantled_on) if fisher_in.boat_dismantled_on.strip() else None
    )
    if retired_on > date.today():
        raise InvalidValue("退捕日期不能晚于今天")
    compensation = parse_amount(fisher_in.compensation) if fisher_in.compensation.strip() else None
    values = {
        "household_id": household.id,
        "village_code": household.village_code,
        "retired_on": retired_on,
        "boat_number": fisher_in.boat_number.strip()[:40],
        "boat_dismantled_on": dismantled,
        "compensation": compensation or Decimal(0),
        "insurance": choice(fisher_in.insurance, INSURANCE_LABELS, "参保情况"),
        "employment": choice(fisher_in.employment, EMPLOYMENT_LABELS, "转产就业"),
        "employment_detail": fisher_in.employment_detail.strip()[:100],
    }
    fisher = session.scalars(
        select(RetiredFisher).where(RetiredFisher.person_id == person.id)
    ).first()
    if fisher is None:
        fisher = RetiredFisher(person_id=person.id)
        session.add(fisher)
    for name, value in values.items():
        setattr(fisher, name, value)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="fishery.fisher_register",
        target_type="fishery_fisher",
        target_id=fisher.id,
        region_code=household.village_code,
    )
    return fisher


def get(session: Session, *, scope: Scope, fisher_id: int) -> RetiredFisher:
    fisher = session.get(RetiredFisher, fisher_id)
    if fisher is None or not scope.covers(fisher.village_code):
        raise NotFound("没有这位退捕渔民")
    return fisher


def visit(
    session: Session,
    *,
    scope: Scope,
    fisher_id: int,
    visited_on: date,
    employment: str,
    insured: bool,
    note: str = "",
) -> FisherVisit:
    """A follow-up visit; what it finds updates the fisher's work and insurance."""
    fisher = get(session, scope=scope, fisher_id=fisher_id)
    if not scope.can_write or (scope.role is not None and Role(scope.role) not in VISITORS):
        raise Forbidden("回访由网格员、村干部或乡镇工作人员记录")
    if visited_on > date.today():
        raise InvalidValue("回访日期不能晚于今天")
    kind = choice(employment, EMPLOYMENT_LABELS, "转产就业")
    row = session.scalars(
        select(FisherVisit).where(
            FisherVisit.fisher_id == fisher.id, FisherVisit.visited_on == visited_on
        )
    ).first()
    if row is None:
        row = FisherVisit(fisher_id=fisher.id, visited_on=visited_on, year=visited_on.year)
        session.add(row)
    row.employment, row.insured, row.note, row.visitor = kind, insured, note[:300], scope.actor
    fisher.employment = kind
    if not insured:
        fisher.insurance = "none"
    elif fisher.insurance == "none":
        fisher.insurance = "resident"
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="fishery.fisher_visit",
        target_type="fishery_fisher",
        target_id=fisher.id,
        region_code=fisher.village_code,
    )
    return row


def visits_of(session: Session, *, fisher: RetiredFisher) -> list[FisherVisit]:
    query = select(FisherVisit).where(FisherVisit.fisher_id == fisher.id)
    return list(session.scalars(query.order_by(FisherVisit.visited_on.desc())))


def get_all(session: Session, *, scope: Scope) -> list[FisherRow]:
    last = (
        select(func.max(FisherVisit.visited_on))
        .where(FisherVisit.fisher_id == RetiredFisher.id)
        .scalar_subquery()
    )
    query = scope.filter(
        select(
            RetiredFisher.id,
            Person.name,
            Person.code,
            Household.code,
            RetiredFisher.village_code,
            RetiredFisher.retired_on,
            RetiredFisher.boat_dismantled_on,
            RetiredFisher.compensation,
            RetiredFisher.insurance,
            RetiredFisher.employment,
            last,
        )
        .join(Person, Person.id == RetiredFisher.person_id)
        .join(Household, Household.id == RetiredFisher.household_id),
        RetiredFisher.village_code,
    )
    rows = session.execute(query.order_by(RetiredFisher.village_code, Person.name)).tuples()
    return [FisherRow(*row) for row in rows]


def due_visits(
    session: Session, *, scope: Scope, today: date, days: int
) -> list[tuple[int, str, date]]:
    """(fisher id, name, due date) of the fishers whose next visit is due within a month,
    most overdue first: ``days`` after the last visit, or after retirement if never visited."""
    due = []
    for row in get_all(session, scope=scope):
        since = row.last_visit or row.retired_on
        due_on = since + timedelta(days=days)
        if due_on - today <= timedelta(days=30):
            due.append((row.id, row.name, due_on))
    return sorted(due, key=lambda item: item[2])


def shares(session: Session, *, scope: Scope) -> tuple[int, int, int]:
    """(insured, settled in work, registered) among the retired fishers in scope."""
    rows = get_all(session, scope=scope)
    insured = sum(1 for row in rows if row.insurance != "none")
    employed = sum(1 for row in rows if row.employment in EMPLOYED)
    return insured, employed, len(rows)


@dataclass(frozen=True)
class FisherView:
    fisher: RetiredFisher
    name: str
    person_code: str
    household_code: str
    id_number: str
    village: str
    visits: list[FisherVisit]
    may_visit: bool


def view(session: Session, *, scope: Scope, fisher_id: int) -> FisherView:
    """A fisher's whole record; the ID number is shown whole only to roles that may see
    personal data, and that view is audited."""
    from yunong.core.regions import service as regions

    fisher = get(session, scope=scope, fisher_id=fisher_id)
    person = session.get(Person, fisher.person_id)
    household = session.get(Household, fisher.household_id)
    assert person is not None and household is not None
    id_number = masking.mask(person.id_number)
    if scope.can_view_personal_data:
        id_number = person.id_number
        audit.record(
            session,
            scope=scope,
            action="fishery.fisher_view",
            target_type="fishery_fisher",
            target_id=fisher.id,
            region_code=fisher.village_code,
        )
    may = scope.can_write and scope.role in VISITORS
    return FisherView(
        fisher,
        person.name,
        person.code,
        household.code,
        id_number,
        regions.get(session, code=fisher.village_code).name,
        visits_of(session, fisher=fisher),
        may,
    )
