"""Pages of 基层治理: the matters of 三事分流 (paged list, a matter with its classing and
closing forms), a town's monthly summary, and the stationed cadres' coverage per district."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from yunong.core.errors import YunongError
from yunong.core.scope import Scope
from yunong.governance import cadres, lists, matters
from yunong.governance.indicators import governance_rules
from yunong.web import i18n
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep
from yunong.web.layout import render
from yunong.web.listing import list_view, page_of, scope_of

router = APIRouter(include_in_schema=False)
MatterNumber = Annotated[str, PathParam(max_length=24, description="事项编号")]
SHOWN_ON_FORM = (409, 422)


@router.get("/governance", response_class=HTMLResponse)
def matter_list(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    page = page_of(request, lists.MATTERS)
    found = lists.get_matters(session, scope=scope_of(request, session, scope, page), page=page)
    return render(
        request,
        session,
        "governance/matters.html",
        view=list_view(request, session, scope, found, lists.MATTERS),
    )


@router.get("/governance/matters/{number}", response_class=HTMLResponse)
def matter_page(
    number: MatterNumber, request: Request, session: SessionDep, scope: ScopeDep, done: str = ""
) -> HTMLResponse:
    return matter_response(request, session, scope, number, done=done)


def matter_response(
    request: Request, session: Session, scope: Scope, number: str, *, done: str = "",
    message: str = "",
) -> HTMLResponse:  # fmt: skip
    found = matters.view(session, scope=scope, number=number)
    return render(
        request,
        session,
        "governance/matter.html",
        status_code=422 if message else 200,
        found=found,
        kinds=matters.CLASS_LABELS,
        classes=matters.KIND_LABELS,
        sectors=governance_rules().sectors,
        sources=matters.SOURCES,
        done=done,
        message=message,
    )


@router.post("/governance/matters/{number}/close", response_model=None)
def close_matter(
    number: MatterNumber,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    feedback: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    try:
        with session.begin_nested():
            matters.close(session, scope=scope, number=number, feedback=feedback)
    except YunongError as error:
        if error.status_code not in SHOWN_ON_FORM:
            raise
        return matter_response(request, session, scope, number, message=i18n.error_text(error))
    return RedirectResponse(f"/governance/matters/{number}?done=1", status_code=303)


@router.post("/governance/matters/{number}/class", response_model=None)
def class_matter(
    number: MatterNumber,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    kind: Annotated[str, Form(max_length=8)] = "",
    sector: Annotated[str, Form(max_length=12)] = "",
    guidance: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    try:
        with session.begin_nested():
            matters.classify(
                session, scope=scope, rules=governance_rules(), number=number, kind=kind,
                sector=sector, guidance=guidance,
            )  # fmt: skip
    except YunongError as error:
        if error.status_code not in SHOWN_ON_FORM:
            raise
        return matter_response(request, session, scope, number, message=i18n.error_text(error))
    return RedirectResponse(f"/governance/matters/{number}?done=class", status_code=303)


@router.get("/governance/matters/{number}/photo")
def matter_photo(number: MatterNumber, session: SessionDep, scope: ScopeDep) -> Response:
    content = matters.photo_of(session, scope=scope, number=number)
    return Response(content, media_type="image/jpeg", headers={"Cache-Control": "private"})


@router.get("/governance/summary", response_class=HTMLResponse)
def summary_page(
    request: Request, session: SessionDep, scope: ScopeDep, town: str = "", month: str = ""
) -> HTMLResponse:
    rows, message = [], ""
    if town and month:
        try:
            rows = matters.monthly_summary(session, scope=scope, town=town[:12], month=month[:7])
        except YunongError as error:
            if error.status_code not in SHOWN_ON_FORM:
                raise
            message = i18n.error_text(error)
    return render(
        request,
        session,
        "governance/summary.html",
        rows=rows,
        kinds=matters.KIND_LABELS,
        town=town[:12],
        month=month[:7],
        message=message,
    )


@router.get("/governance/cadres", response_class=HTMLResponse)
def cadre_coverage(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    rows = cadres.coverage(session, scope=scope, on=date.today())
    return render(request, session, "governance/cadres.html", rows=rows)
