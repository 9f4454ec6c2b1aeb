"""The monitoring lists as pages: cases, alerts waiting to be sent, households and
self-reports, each searched, filtered, sorted and paged the same way (``core/listing.py``),
with the district, town and village named in its columns, and the same rows again for an
xlsx of the same filters. Every read stays inside the caller's scope.

The search box finds a household by a member's full name, the last digits of a member's
resident ID number (4 to 8, as the masked lists show them), its 全农码 or its number in the
village books; a case also by its own 全农码 and a self-report by its reference number.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, exists, false, func, or_, select
from sqlalchemy.orm import Session

from yunong.core import listing
from yunong.core.audit import service as audit
from yunong.core.listing import Listing, ListSpec, Page, Sort
from yunong.core.masking import mask_id_number
from yunong.core.regions import codes as region_codes
from yunong.core.regions import service as regions
from yunong.core.regions.codes import Level
from yunong.core.regions.models import Region
from yunong.core.regions.service import PlaceNames
from yunong.core.scope import Scope
from yunong.monitor import access, alerts, households, workflow
from yunong.monitor.models import Alert, Case, Household, SelfReport
from yunong.monitor.workflow import State, Warning
from yunong.policy.schema import Pack

"""The end of a resident ID number as a list shows it: 4 to 8 characters, X last at most."""
SEARCH_HINT = "姓名、证件号后四位、全农码或户编号"

OPEN_STATES = [state.value for state in workflow.OPEN]
CASE_STATES = {state.value: state.label for state in State}
IDENTIFYING = [state.value for state in workflow.IDENTIFICATION]
MONITORED = [state.value for state in workflow.UNDER_MONITORING]
HOUSEHOLD_STATUSES = {
    "alert": "有待派发预警",
    "identifying": "识别纳入中",
    "monitored": "监测帮扶中",
}
RISK_TYPES = {risk: risk for risk in workflow.RISK_TYPES}

# The date a case's warning is counted from: the current step's limit, or the whole
# identification's when that comes first (see workflow.warning).
CASE_DUE = case(
    (
        and_(
            Case.state.in_(IDENTIFYING),
            or_(Case.step_due_on.is_(None), Case.identification_due_on < Case.step_due_on),
        ),
        Case.identification_due_on,
    ),
    else_=Case.step_due_on,
)


def case_spec(pack: Pack) -> ListSpec:
    return ListSpec(
        sorts={
            "due": Sort("期限", (CASE_DUE, Case.id)),
            "opened": Sort("开始日期", (Case.opened_on, Case.id)),
            "state": Sort("状态", (Case.state, Case.id)),
            "village": Sort("村", (Case.village_code, Case.id)),
        },
        default_sort="due",
        statuses=CASE_STATES,
        categories={category: category for category in pack.monitoring.workflow.categories},
        dated="开始日期",
        search=SEARCH_HINT,
        category_label="监测对象类别",
    )


ALERTS = ListSpec(
    sorts={
        "village": Sort("村", (Alert.village_code, Alert.id)),
        "raised": Sort("预警时间", (Alert.raised_at, Alert.id)),
        "risk": Sort("风险类型", (Alert.risk_type, Alert.id)),
    },
    default_sort="village",
    categories=RISK_TYPES,
    dated="预警日期",
    search=SEARCH_HINT,
    category_label="风险类型",
)
HOUSEHOLDS = ListSpec(
    sorts={
        "village": Sort("村与户编号", (Household.village_code, Household.number)),
        "code": Sort("全农码", (Household.code,)),
    },
    default_sort="village",
    statuses=HOUSEHOLD_STATUSES,
    search=SEARCH_HINT,
    status_label="监测情况",
)
SELF_REPORTS = ListSpec(
    sorts={
        "received": Sort("申报日期", (SelfReport.received_on, SelfReport.id)),
        "village": Sort("村", (SelfReport.village_code, SelfReport.id)),
    },
    default_sort="-received",
    categories=RISK_TYPES,
    dated="申报日期",
    search="姓名、证件号后四位或受理编号",
    category_label="困难类型",
)


@dataclass(frozen=True)
class CaseRow:
    case: Case
    warning: Warning
    household_code: str
    head: str
    place: PlaceNames


@dataclass(frozen=True)
class AlertRow:
    alert: Alert
    household_code: str
    head: str
    place: PlaceNames


@dataclass(frozen=True)
class HouseholdRow:
    household: Household
    head: str
    id_number: str
    """The head's resident ID number, masked."""
    place: PlaceNames
    state: str
    """The label of the household's open case, empty without one."""


@dataclass(frozen=True)
class ReportRow:
    report: SelfReport
    id_number: str
    """Masked."""
    place: PlaceNames


# Searching


def household_id_matches(column: Any, text: str) -> ColumnElement[bool]:
    """Rows whose household (``column`` holds its id) the search text names."""
    named = select(Household.id).where(Household.code == text.upper())
    return or_(column.in_(named), households.member_matches(column, text))


def day_range(column: Any, page: Page, *, moments: bool = False) -> list[ColumnElement[bool]]:
    """The page's from–to range on a date column (or, with ``moments``, a timestamp one)."""
    conditions = []
    if page.date_from:
        start = datetime.combine(page.date_from, time()) if moments else page.date_from
        conditions.append(column >= start)
    if page.date_to:
        end = page.date_to + timedelta(days=1)
        conditions.append(column < (datetime.combine(end, time()) if moments else end))
    return conditions


# Queries: the rows of each list inside the scope, filtered as the page asks, in no order


def case_query(scope: Scope, page: Page) -> Select[tuple[Case]]:
    access.require_reader(scope)
    query = page.within(scope).filter(select(Case), Case.village_code)
    states = [page.status] if page.status else OPEN_STATES
    query = query.where(Case.state.in_(states), *day_range(Case.opened_on, page))
    if page.category:
        query = query.where(Case.category == page.category)
    if page.search:
        query = query.where(
            or_(
                Case.code == page.search.upper(),
                household_id_matches(Case.household_id, page.search),
            )
        )
    return query


def alert_query(scope: Scope, page: Page) -> Select[tuple[Alert]]:
    access.require_reader(scope)
    query = page.within(scope).filter(select(Alert), Alert.village_code)
    query = query.where(
        Alert.status == alerts.OPEN, *day_range(Alert.raised_at, page, moments=True)
    )
    if page.category:
        query = query.where(Alert.risk_type == page.category)
    if page.search:
        query = query.where(household_id_matches(Alert.household_id, page.search))
    return query


def household_query(scope: Scope, page: Page) -> Select[tuple[Household]]:
    access.require_reader(scope)
    where = page.within(scope)
    query = where.filter(select(Household), Household.village_code)
    if page.status:
        query = query.where(household_status(page.status))
    if page.search:
        query = query.where(households.matches(page.search, whole_city=is_city(where)))
    return query


def is_city(scope: Scope) -> bool:
    return scope.prefix == region_codes.prefix_of(region_codes.CITY_CODE)


def household_status(status: str) -> ColumnElement[bool]:
    if status == "alert":
        return exists().where(Alert.household_id == Household.id, Alert.status == alerts.OPEN)
    states = IDENTIFYING if status == "identifying" else MONITORED
    return exists().where(Case.household_id == Household.id, Case.state.in_(states))


def self_report_query(scope: Scope, page: Page) -> Select[tuple[SelfReport]]:
    access.require_reader(scope)
    query = page.within(scope).filter(select(SelfReport), SelfReport.village_code)
    query = query.where(*day_range(SelfReport.received_on, page))
    if page.category:
        query = query.where(SelfReport.risk_type == page.category)
    if page.search:
        text = page.search
        suffix = (
            SelfReport.id_number.endswith(text.upper())
            if households.ID_SUFFIX.match(text)
            else false()
        )
        query = query.where(
            or_(SelfReport.name == text, SelfReport.reference == text.upper(), suffix)
        )
    return query


# Pages


def get_cases(
    session: Session, *, scope: Scope, page: Page, pack: Pack, today: date
) -> Listing[CaseRow]:
    """A page of cases (the open ones unless a state is chosen), the most urgent first."""
    found = listing.fetch(session, case_query(scope, page), page, case_spec(pack))
    return found.with_rows(case_rows(session, scope, found.rows, pack, today))


def get_alerts(session: Session, *, scope: Scope, page: Page) -> Listing[AlertRow]:
    """A page of the alerts waiting for a village to send someone to verify."""
    found = listing.fetch(session, alert_query(scope, page), page, ALERTS)
    return found.with_rows(alert_rows(session, scope, found.rows))


def get_households(session: Session, *, scope: Scope, page: Page) -> Listing[HouseholdRow]:
    """A page of households, by village and book number; the heads' ID numbers masked."""
    query = household_query(scope, page)
    total = city_total(session, scope, page, query)
    found = listing.fetch(session, query, page, HOUSEHOLDS, total=total)
    return found.with_rows(household_rows(session, scope, found.rows))


CITY_TOTALS: dict[tuple[str, int], int] = {}
"""The number of the city's households, by database and largest household id."""


def city_total(session: Session, scope: Scope, page: Page, query: Select[Any]) -> int | None:
    """The number of households of the whole city, unfiltered, counted once and kept until
    a household is added; None for any other list, which is counted each time.

    Counting the city's 3.5 million households reads an index of them all (about 0.3 s);
    households are added but never deleted or moved, so while the largest id (read from
    the end of the primary key) stays the same, so does their number.
    """
    if not is_city(page.within(scope)) or page.status or page.search:
        return None
    newest = int(session.scalar(select(func.max(Household.id))) or 0)
    key = (str(session.get_bind().engine.url), newest)
    if key not in CITY_TOTALS:
        CITY_TOTALS.clear()
        CITY_TOTALS[key] = listing.count(session, query)
    return CITY_TOTALS[key]


def get_self_reports(session: Session, *, scope: Scope, page: Page) -> Listing[ReportRow]:
    """A page of self-reports, newest first; recorded as a view of personal data, since
    each names a person and the hardship they reported."""
    found = listing.fetch(session, self_report_query(scope, page), page, SELF_REPORTS)
    audit.record(
        session,
        scope=scope,
        action="monitor.self_reports.view",
        target_type="monitor_self_report",
        target_id="list",
        region_code=page.within(scope).region_code,
        detail=f"查看农户自主申报 {len(found.rows)} 条（姓名与困难情况）",
    )
    return found.with_rows(report_rows(session, found.rows))


def village_of(session: Session, *, scope: Scope) -> Region | None:
    """The village a list is narrowed to, if it is narrowed to one."""
    region = regions.get_visible(session, scope=scope, code=scope.region_code)
    return region if region.level == Level.VILLAGE else None


# Rows as the pages and exports show them


def case_rows(
    session: Session, scope: Scope, cases: list[Case], pack: Pack, today: date
) -> list[CaseRow]:
    codes, heads, places = household_labels(session, scope, cases)
    return [
        CaseRow(
            case=item,
            warning=workflow.warning(item, pack=pack, today=today),
            household_code=codes[item.household_id],
            head=heads.get(item.household_id, ""),
            place=places[item.village_code],
        )
        for item in cases
    ]


def alert_rows(session: Session, scope: Scope, found: list[Alert]) -> list[AlertRow]:
    codes, heads, places = household_labels(session, scope, found)
    return [
        AlertRow(
            alert=item,
            household_code=codes[item.household_id],
            head=heads.get(item.household_id, ""),
            place=places[item.village_code],
        )
        for item in found
    ]


def household_labels(
    session: Session, scope: Scope, found: Sequence[Case] | Sequence[Alert]
) -> tuple[dict[int, str], dict[int, str], dict[str, PlaceNames]]:
    """How the rows' households are shown: their 全农码 and head's name by household id, and
    their villages' names."""
    ids = [item.household_id for item in found]
    return (
        households.codes_of(session, scope=scope, household_ids=ids),
        households.head_names(session, scope=scope, household_ids=ids),
        regions.get_place_names(session, village_codes={item.village_code for item in found}),
    )


def household_rows(session: Session, scope: Scope, found: list[Household]) -> list[HouseholdRow]:
    ids = [item.id for item in found]
    heads = households.heads(session, scope=scope, household_ids=ids)
    places = regions.get_place_names(session, village_codes={h.village_code for h in found})
    states = open_states(session, found)
    return [
        HouseholdRow(
            household=item,
            head=heads[item.id][0] if item.id in heads else "",
            id_number=mask_id_number(heads[item.id][1]) if item.id in heads else "",
            place=places[item.village_code],
            state=CASE_STATES[states[item.id]] if item.id in states else "",
        )
        for item in found
    ]


def open_states(session: Session, households: list[Household]) -> dict[int, str]:
    """The state of each listed household's open case, for those that have one. Every case
    of the households is read and the open ones kept here: a household has few, and asking
    for the open states in SQL leads SQLite to walk the state index instead."""
    query = select(Case.household_id, Case.state).where(
        Case.household_id.in_([item.id for item in households])
    )
    return {
        household_id: state
        for household_id, state in session.execute(query).tuples()
        if state in OPEN_STATES
    }


def report_rows(session: Session, found: list[SelfReport]) -> list[ReportRow]:
    places = regions.get_place_names(session, village_codes={r.village_code for r in found})
    return [
        ReportRow(
            report=item, id_number=mask_id_number(item.id_number), place=places[item.village_code]
        )
        for item in found
    ]
