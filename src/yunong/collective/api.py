"""JSON API of 渝农经管: the organisations of the caller's region a page at a time, and one
organisation's trial balance (科目余额表), balance sheet and income statement for a month."""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel

from yunong.collective import books, lists, orgs, overview, reports
from yunong.collective.lists import OrgRow
from yunong.policy import loader
from yunong.policy.schema import Collective
from yunong.web.api import PROBLEMS
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep
from yunong.web.paging import PageDep, paged

router = APIRouter(prefix="/api/collective", tags=["渝农经管"])
OrgCode = Annotated[str, Path(min_length=12, max_length=20, pattern=r"^[0-9A-Za-z]+$")]
PeriodQuery = Annotated[
    str | None, Query(max_length=7, pattern=r"^\d{4}-?\d{1,2}$", description="会计期间，如 2024-12")
]


class OrgOut(BaseModel):
    code: str
    uscc: str | None
    name: str
    region_code: str
    place: str
    level: str
    group_name: str
    books_start: str | None


class TrialRowOut(BaseModel):
    account: str
    name: str
    category: str
    side: str
    opening: float
    debit: float
    credit: float
    closing: float


class TrialBalanceOut(BaseModel):
    organisation: str
    period: str
    closed: bool
    rows: list[TrialRowOut]


def rules() -> Collective:
    found = loader.get().collective
    assert found is not None
    return found


def org_out(row: OrgRow) -> OrgOut:
    org = row.org
    return OrgOut(
        code=org.code,
        uscc=org.uscc,
        name=org.name,
        region_code=org.region_code,
        place=row.place,
        level=org.level,
        group_name=org.group_name,
        books_start=org.books_start.isoformat() if org.books_start else None,
    )


@router.get("/orgs", response_model=list[OrgOut], responses=PROBLEMS)
def list_orgs(
    request: Request, response: Response, session: SessionDep, scope: ScopeDep, page: PageDep
) -> list[OrgOut]:
    """管辖范围内的集体经济组织，按区划代码分页返回（见 `X-Total-Count` 与 `Link`）。"""
    found = lists.get_organisations(session, scope=scope, page=page)
    return [org_out(row) for row in paged(request, response, found)]


@router.get("/orgs/{code}/trial-balance", response_model=TrialBalanceOut, responses=PROBLEMS)
def trial_balance(
    code: OrgCode, session: SessionDep, scope: ScopeDep, month: PeriodQuery = None
) -> TrialBalanceOut:
    """科目余额表：42 个科目的期初余额、本期借方、本期贷方与期末余额（元，按科目余额方向）；
    组织可用全农码、统一社会信用代码或村的 12 位区划代码指定，默认为最近有凭证的月份。"""
    view = overview.get_books(session, scope=scope, code=code, period=month, rules=rules())
    return TrialBalanceOut(
        organisation=view.org.code,
        period=view.period,
        closed=view.period in view.closed,
        rows=[
            TrialRowOut(
                account=row.account,
                name=row.name,
                category=row.category,
                side=row.side,
                opening=float(row.opening),
                debit=float(row.debit),
                credit=float(row.credit),
                closing=float(row.closing),
            )
            for row in view.trial
        ],
    )


@router.get("/orgs/{code}/reports/{kind}", responses=PROBLEMS)
def report(
    code: OrgCode,
    kind: Annotated[str, Path(pattern=r"^(balance-sheet|income)$")],
    session: SessionDep,
    scope: ScopeDep,
    month: Annotated[
        str, Query(max_length=7, pattern=r"^\d{4}-?\d{1,2}$", description="会计期间，如 2024-12")
    ],
) -> dict[str, Any]:
    """资产负债表（balance-sheet：total_assets、total_liabilities、total_equity）或收益及收益分配表
    （income：net_income），金额单位元。"""
    lists.check_reader(scope)
    org = orgs.get_by_code(session, scope=scope, code=code)
    make = reports.balance_sheet if kind == "balance-sheet" else reports.income_statement
    return make(session, scope=scope, org=org, period=books.parse_period(month), rules=rules())


class ProjectOut(BaseModel):
    code: str
    number: str
    name: str
    region_code: str
    place: str
    kind: str
    year: int
    stage: str
    funds: float
    """Yuan from every source."""
    linkage_funds: float
    """Yuan of 衔接资金 among them."""
    households: int
    beneficiaries: int
    monitored_households: int


@router.get("/projects", response_model=list[ProjectOut], responses=PROBLEMS)
def list_projects(
    request: Request, response: Response, session: SessionDep, scope: ScopeDep, page: PageDep
) -> list[ProjectOut]:
    """管辖范围内的帮扶项目，按立项年度分页返回：资金合计与其中的衔接资金（元）、所处环节与受益户数。"""
    linkage = frozenset(key for key, item in rules().projects.fund_sources.items() if item.linkage)
    found = lists.get_projects(session, scope=scope, page=page, linkage=linkage)
    return [
        ProjectOut(
            code=row.project.code,
            number=row.project.number,
            name=row.project.name,
            region_code=row.project.region_code,
            place=row.place,
            kind=row.project.kind,
            year=row.project.year,
            stage=row.project.stage,
            funds=row.funds_fen / 100,
            linkage_funds=row.linkage_fen / 100,
            households=row.project.households,
            beneficiaries=row.project.beneficiaries,
            monitored_households=row.project.monitored_households,
        )
        for row in paged(request, response, found)
    ]
