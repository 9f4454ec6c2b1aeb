"""Pages of 渝农经管: the organisations of the caller's region and one organisation's trial
balance (科目余额表) by month."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from yunong.collective import lists, members, orgs, overview
from yunong.collective.reports import SIDE_LABELS
from yunong.policy import loader
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep
from yunong.web.layout import render
from yunong.web.listing import list_view, page_of
from yunong.web.params import RowId

router = APIRouter(include_in_schema=False)
OrgCode = Annotated[str, Path(min_length=12, max_length=20, pattern=r"^[0-9A-Za-z]+$")]
PeriodQuery = Annotated[str | None, Query(max_length=7, pattern=r"^\d{4}-?\d{1,2}$")]


@router.get("/collective", response_class=HTMLResponse)
def org_list(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    page = page_of(request, lists.ORGANISATIONS)
    found = lists.get_organisations(session, scope=scope, page=page)
    return render(
        request,
        session,
        "collective/list.html",
        view=list_view(request, session, scope, found, lists.ORGANISATIONS),
    )


@router.get("/collective/orgs/{code}", response_class=HTMLResponse)
def org_books(
    code: OrgCode,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    period: PeriodQuery = None,
) -> HTMLResponse:
    rules = loader.get().collective
    assert rules is not None
    view = overview.get_books(session, scope=scope, code=code, period=period, rules=rules)
    return render(request, session, "collective/books.html", view=view, sides=SIDE_LABELS)


@router.get("/collective/orgs/{code}/members", response_class=HTMLResponse)
def member_list(
    code: OrgCode, request: Request, session: SessionDep, scope: ScopeDep
) -> HTMLResponse:
    org = orgs.get_by_code(session, scope=scope, code=code)
    page = page_of(request, lists.MEMBERS)
    found = lists.get_members(session, scope=scope, org=org, page=page)
    return render(
        request,
        session,
        "collective/members.html",
        org=org,
        statuses=members.STATUSES,
        view=list_view(request, session, scope, found, lists.MEMBERS),
    )


@router.get("/collective/orgs/{code}/members/{member_id}", response_class=HTMLResponse)
def member_page(
    code: OrgCode, member_id: RowId, request: Request, session: SessionDep, scope: ScopeDep
) -> HTMLResponse:
    org = orgs.get_by_code(session, scope=scope, code=code)
    member = members.get(session, scope=scope, org=org, member_id=member_id)
    shares = members.holdings(session, [member.id]).get(member.id, {})
    return render(
        request,
        session,
        "collective/member.html",
        org=org,
        member=member,
        shares=shares,
        statuses=members.STATUSES,
    )
