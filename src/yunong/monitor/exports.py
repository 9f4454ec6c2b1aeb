"""The lists of 防返贫监测 as rows for xlsx export, inside the caller's scope; ID numbers masked.

The paged lists (cases, alerts, households, self-reports, problems) export with the filters,
search and order of the page they are exported from, every matching row rather than one
page, with the district, town and village by name.
"""

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core import listing
from yunong.core.audit import service as audit
from yunong.core.listing import ListSpec, Page
from yunong.core.regions.service import PlaceNames
from yunong.core.scope import Scope
from yunong.monitor import access, calendar, lists, problem_list
from yunong.monitor.models import Case, Measure
from yunong.monitor.workflow import State
from yunong.policy import loader as policy

EXPORTS = {
    "alerts": "预警",
    "cases": "监测案件",
    "households": "农户",
    "problems": "动态清零问题",
    "self-reports": "自主申报",
    "measures": "帮扶措施",
}
"""Each list's name in the address and the file name it is saved under."""
PLACE = ["区县", "乡镇", "村"]
"""Where a row lies, by name."""

Table = tuple[list[str], list[list[object]]]


def spec_of(name: str) -> ListSpec | None:
    """The paged list whose filters the export ``name`` takes; None for the others."""
    specs = {
        "alerts": lists.ALERTS,
        "cases": lists.case_spec(policy.get()),
        "households": lists.HOUSEHOLDS,
        "problems": problem_list.PROBLEMS,
        "self-reports": lists.SELF_REPORTS,
    }
    return specs.get(name)


def named(place: PlaceNames) -> list[object]:
    return [place.district, place.town, place.village]


def alerts(session: Session, scope: Scope, page: Page) -> Table:
    query = lists.alert_query(scope, page)
    found = listing.for_export(session, query, page, lists.ALERTS)
    return ["预警编号", "农户全农码", "户主", *PLACE, "年度", "风险类型", "规则", "来源"], [
        [
            row.alert.id,
            row.household_code,
            row.head,
            *named(row.place),
            row.alert.year,
            row.alert.risk_type,
            row.alert.rules,
            row.alert.sources,
        ]
        for row in lists.alert_rows(session, scope, found)
    ]


def cases(session: Session, scope: Scope, page: Page) -> Table:
    pack = policy.get()
    query = lists.case_query(scope, page)
    found = listing.for_export(session, query, page, lists.case_spec(pack))
    headers = ["案件全农码", "农户全农码", "户主", *PLACE, "状态", "类别", "风险类型"]
    return [*headers, "开始日期", "本步时限", "预警"], [
        [
            row.case.code,
            row.household_code,
            row.head,
            *named(row.place),
            State(row.case.state).label,
            row.case.category or "",
            row.case.risk_types,
            row.case.opened_on,
            row.case.step_due_on,
            row.warning.label,
        ]
        for row in lists.case_rows(session, scope, found, pack, calendar.today())
    ]


def households(session: Session, scope: Scope, page: Page) -> Table:
    query = lists.household_query(scope, page)
    found = listing.for_export(session, query, page, lists.HOUSEHOLDS)
    return ["农户全农码", "户编号", "户主", "户主证件号码", *PLACE, "监测情况"], [
        [
            row.household.code,
            row.household.number,
            row.head,
            row.id_number,
            *named(row.place),
            row.state,
        ]
        for row in lists.household_rows(session, scope, found)
    ]


def self_reports(session: Session, scope: Scope, page: Page) -> Table:
    query = lists.self_report_query(scope, page)
    found = listing.for_export(session, query, page, lists.SELF_REPORTS)
    return ["受理编号", *PLACE, "姓名", "证件号码", "困难类型", "情况", "申报日期"], [
        [
            row.report.reference,
            *named(row.place),
            row.report.name,
            row.id_number,
            row.report.risk_type,
            row.report.what_happened,
            row.report.received_on,
        ]
        for row in lists.report_rows(session, found)
    ]


def open_problems(session: Session, scope: Scope, page: Page) -> Table:
    found = problem_list.for_export(session, scope=scope, page=page, today=calendar.today())
    return ["问题", "事项", "区划", "农户全农码", "时限", "超时工作日", "责任"], [
        [p.label, p.what, p.region, p.household_code, p.due_on, p.age, p.owner] for p in found
    ]


def case_measures(session: Session, scope: Scope, page: Page) -> Table:
    """Every measure of the cases inside the scope, case by case; more than an export holds
    are refused with their number (see :func:`listing.check_export_size`)."""
    access.require_reader(scope)
    kinds = policy.get().monitoring.workflow.measure_kinds
    query = scope.filter(
        select(Measure, Case.code).join(Case, Case.id == Measure.case_id), Measure.village_code
    )
    listing.check_export_size(listing.count(session, query))
    found = session.execute(query.order_by(Case.code, Measure.id)).tuples()
    return ["案件全农码", "类别", "措施", "责任单位或责任人", "开始", "时限", "完成", "进展"], [
        [
            code,
            kinds.get(m.kind, m.kind),
            m.content,
            m.responsible,
            m.started_on,
            m.due_on,
            m.done_on,
            m.progress,
        ]
        for m, code in found
    ]


TABLES: dict[str, Callable[[Session, Scope, Page], Table]] = {
    "alerts": alerts,
    "cases": cases,
    "households": households,
    "problems": open_problems,
    "self-reports": self_reports,
    "measures": case_measures,
}


def page_or_all(name: str, page: Page | None) -> Page:
    """``page``, or for an export asked without one the whole list in its usual order."""
    if page is not None:
        return page
    spec = spec_of(name)
    return listing.parse({}, spec) if spec else Page()


def rows(session: Session, scope: Scope, name: str, page: Page | None = None) -> Table:
    """The header and the rows of list ``name`` inside ``scope``: for a paged list, every
    row its filters and search find, in its order (``page`` left out: the list unfiltered)."""
    return TABLES[name](session, scope, page_or_all(name, page))


def export(session: Session, scope: Scope, name: str, page: Page | None = None) -> Table:
    """The rows of list ``name``, as :func:`rows` gives them, recorded as an export of the
    region they come from."""
    chosen = page_or_all(name, page)
    headers, found = TABLES[name](session, scope, chosen)
    audit.record_export(
        session,
        scope=scope,
        action="monitor.export",
        what=name,
        rows=len(found),
        region_code=chosen.within(scope).region_code,
    )
    return headers, found
