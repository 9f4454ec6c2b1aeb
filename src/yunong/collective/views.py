"""Pages of 渝农经管: the organisations of the caller's region and one organisation's trial
balance (科目余额表) by month."""

import json
from datetime import date
from typing import Annotated

import segno
from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from yunong.collective import (
    books,
    contracts,
    disclosure,
    lists,
    members,
    orgs,
    overview,
    project_view,
    projects,
    registry,
)
from yunong.collective.reports import SIDE_LABELS
from yunong.core.auth.roles import Role
from yunong.core.errors import YunongError
from yunong.policy import loader
from yunong.web import i18n
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep
from yunong.web.layout import render
from yunong.web.listing import list_view, page_of
from yunong.web.params import RowId

router = APIRouter(include_in_schema=False)
OrgCode = Annotated[str, Path(min_length=12, max_length=20, pattern=r"^[0-9A-Za-z]+$")]
VillageCode = Annotated[str, Path(min_length=12, max_length=12, pattern=r"^\d{12}$")]
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
    month: PeriodQuery = None,
    done: str = "",
) -> HTMLResponse:
    rules = loader.get().collective
    assert rules is not None
    view = overview.get_books(session, scope=scope, code=code, period=month, rules=rules)
    return render(
        request,
        session,
        "collective/books.html",
        view=view,
        sides=SIDE_LABELS,
        may_close=scope.role == Role.COLLECTIVE_ACCOUNTANT.value,
        done=DONE.get(done, ""),
        error="",
    )


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


DONE = {
    "generated": "已生成财务公开，待民主理财小组审核",
    "approved": "已审核，财务公开已在村公开页发布",
}


@router.get("/collective/orgs/{code}/disclosures", response_class=HTMLResponse)
def disclosure_list(
    code: OrgCode, request: Request, session: SessionDep, scope: ScopeDep, done: str = ""
) -> HTMLResponse:
    org = orgs.get_by_code(session, scope=scope, code=code)
    found = disclosure.get_all(session, scope=scope, org=org)
    return render(
        request,
        session,
        "collective/disclosures.html",
        org=org,
        disclosures=found,
        done=DONE.get(done, ""),
        error="",
    )


@router.post("/collective/orgs/{code}/disclosures", response_class=HTMLResponse)
def generate_disclosure(
    code: OrgCode,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    period: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    org = orgs.get_by_code(session, scope=scope, code=code)
    rules = loader.get().collective
    assert rules is not None
    try:
        with session.begin_nested():
            made = disclosure.generate(session, scope=scope, org=org, period=period, rules=rules)
    except YunongError as error:
        if error.status_code not in (409, 422):
            raise
        found = disclosure.get_all(session, scope=scope, org=org)
        return render(
            request,
            session,
            "collective/disclosures.html",
            org=org,
            disclosures=found,
            done="",
            error=i18n.error_text(error),
            status_code=422,
        )
    return RedirectResponse(f"/collective/disclosures/{made.id}?done=generated", status_code=303)


@router.get("/collective/disclosures/{disclosure_id}", response_class=HTMLResponse)
def disclosure_page(
    disclosure_id: RowId, request: Request, session: SessionDep, scope: ScopeDep, done: str = ""
) -> HTMLResponse:
    found = disclosure.get(session, scope=scope, disclosure_id=disclosure_id)
    return render(
        request,
        session,
        "collective/disclosure.html",
        disclosure=found,
        content=json.loads(found.content),
        done=DONE.get(done, ""),
        may_approve=scope.role == Role.FINANCE_GROUP.value and found.approved_at is None,
    )


@router.post("/collective/disclosures/{disclosure_id}/approve", response_class=HTMLResponse)
def approve_disclosure(
    disclosure_id: RowId, session: SessionDep, scope: ScopeDep
) -> RedirectResponse:
    disclosure.approve(session, scope=scope, disclosure_id=disclosure_id)
    return RedirectResponse(
        f"/collective/disclosures/{disclosure_id}?done=approved", status_code=303
    )


@router.get("/collective/public/{village}", response_class=HTMLResponse)
def public_page(village: VillageCode, request: Request, session: SessionDep) -> HTMLResponse:
    """The village's published disclosures, for members on a phone (no login)."""
    shown = disclosure.get_published_for_village(session, village_code=village)
    address = str(request.base_url).rstrip("/")
    qr = {
        item.org.code: segno.make(f"{address}/c/{item.org.code}", error="m").svg_data_uri(scale=4)
        for item in shown.items
    }
    return render(request, session, "collective/public.html", shown=shown, qr=qr)


@router.get("/collective/disclosures", response_class=HTMLResponse)
def waiting_disclosures(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    found = disclosure.get_waiting(session, scope=scope)
    return render(request, session, "collective/waiting.html", found=found)


@router.post("/collective/orgs/{code}/close", response_class=HTMLResponse)
def close_month(
    code: OrgCode,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    month: Annotated[str, Form(max_length=7)] = "",
) -> Response:
    """结账: the accountant closes the next open month of the organisation's books."""
    rules = loader.get().collective
    assert rules is not None
    org = orgs.get_by_code(session, scope=scope, code=code)
    try:
        with session.begin_nested():
            books.close(
                session, scope=scope, org=org, period=books.parse_period(month), rules=rules
            )
    except YunongError as error:
        if error.status_code not in (409, 422):
            raise
        view = overview.get_books(session, scope=scope, code=code, period=None, rules=rules)
        return render(
            request,
            session,
            "collective/books.html",
            view=view,
            sides=SIDE_LABELS,
            may_close=True,
            error=i18n.error_text(error),
            status_code=422,
        )
    return RedirectResponse(f"/collective/orgs/{org.code}?done=closed", status_code=303)


ProjectKey = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[0-9A-Za-z\-_.]+$")]


def linkage_sources() -> frozenset[str]:
    rules = loader.get().collective
    assert rules is not None
    return frozenset(key for key, item in rules.projects.fund_sources.items() if item.linkage)


@router.get("/collective/projects", response_class=HTMLResponse)
def project_list(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    rules = loader.get().collective
    assert rules is not None
    page = page_of(request, lists.PROJECTS)
    found = lists.get_projects(session, scope=scope, page=page, linkage=linkage_sources())
    return render(
        request,
        session,
        "collective/projects.html",
        view=list_view(request, session, scope, found, lists.PROJECTS),
        kinds=rules.projects.kinds,
        steps=projects.STEPS,
    )


@router.get("/collective/projects/{project}", response_class=HTMLResponse)
def project_page(
    project: ProjectKey, request: Request, session: SessionDep, scope: ScopeDep
) -> HTMLResponse:
    rules = loader.get().collective
    assert rules is not None
    shown = project_view.get_project_page(session, scope=scope, code=project, rules=rules)
    return render(
        request,
        session,
        "collective/project.html",
        shown=shown,
        steps=projects.STEPS,
        categories=rules.registry.categories,
    )


@router.get("/collective/orgs/{code}/registry", response_class=HTMLResponse)
def registry_page(
    code: OrgCode, request: Request, session: SessionDep, scope: ScopeDep
) -> HTMLResponse:
    rules = loader.get().collective
    assert rules is not None
    shown = project_view.get_registry_page(session, scope=scope, code=code)
    return render(
        request,
        session,
        "collective/registry.html",
        shown=shown,
        rules=rules,
        kinds=registry.KIND_LABELS,
        depreciation=registry.DEPRECIATION,
    )


@router.get("/collective/orgs/{code}/contracts", response_class=HTMLResponse)
def contract_list(
    code: OrgCode, request: Request, session: SessionDep, scope: ScopeDep
) -> HTMLResponse:
    org = orgs.get_by_code(session, scope=scope, code=code)
    found = contracts.get_register(session, scope=scope, org=org)
    return render(
        request,
        session,
        "collective/contracts.html",
        org=org,
        contracts=found,
        kinds=contracts.KINDS,
        today=date.today(),
    )
