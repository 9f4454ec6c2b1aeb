"""Pages of 产业大脑: the city's 菜篮子 page with the chains side by side, a page per chain, and
the paged list of warnings, where the chains' officers record what they did about each."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from yunong.core.errors import InvalidValue
from yunong.core.scope import Scope
from yunong.industry import lists, pages, service
from yunong.industry.catalogue import section
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep
from yunong.web.i18n import error_text
from yunong.web.layout import render
from yunong.web.listing import list_view, page_of
from yunong.web.params import OptionalRowId, OptionalYear, RowId

router = APIRouter(include_in_schema=False)


@router.get("/industry", response_class=HTMLResponse)
def basket(
    request: Request, session: SessionDep, scope: ScopeDep, year: OptionalYear = None
) -> HTMLResponse:
    """The 菜篮子 floors against the year's pace and the seven chains side by side."""
    pages.check_reader(scope)
    industry = section()
    shown = year or pages.latest_year(session, scope=scope)
    page = pages.get_basket(session, scope=scope, industry=industry, year=shown)
    return render(
        request,
        session,
        "industry/basket.html",
        page=page,
        charts=pages.basket_charts(page, industry),
        chain_links=list(industry.chains.items()),
        level_labels=lists.LEVEL_LABELS,
        level_classes=lists.LEVEL_CLASSES,
    )


@router.get("/industry/chains/{chain}", response_class=HTMLResponse)
def chain_page(chain: str, request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    """One chain: its series, its output by district, its products and its warnings."""
    pages.check_reader(scope)
    industry = section()
    page = pages.get_chain(session, scope=scope, industry=industry, chain=chain)
    return render(
        request,
        session,
        "industry/chain.html",
        page=page,
        charts=pages.chain_charts(session, scope=scope, page=page),
        chain_links=list(industry.chains.items()),
        level_labels=lists.LEVEL_LABELS,
        level_classes=lists.LEVEL_CLASSES,
    )


@router.get("/industry/warnings", response_class=HTMLResponse)
def warning_list(
    request: Request, session: SessionDep, scope: ScopeDep, done: OptionalRowId = None
) -> HTMLResponse:
    """The warnings in the caller's scope, newest first."""
    return list_page(request, session, scope, done=done)


def list_page(
    request: Request,
    session: Session,
    scope: Scope,
    *,
    done: int | None = None,
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    pages.check_reader(scope)
    industry = section()
    spec = lists.warning_spec(industry)
    page = page_of(request, spec)
    found = lists.get_warnings(session, scope=scope, page=page, industry=industry)
    return render(
        request,
        session,
        "industry/warnings.html",
        status_code=status_code,
        view=list_view(request, session, scope, found, spec),
        may_handle=service.may_handle(scope),
        done=done,
        error=error,
        note_length=service.NOTE_LENGTH,
        chain_links=list(industry.chains.items()),
        level_labels=lists.LEVEL_LABELS,
        level_classes=lists.LEVEL_CLASSES,
    )


@router.post("/industry/warnings/{warning_id}/handle", response_model=None)
def handle(
    warning_id: RowId,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Record what was done about a warning; it leaves the officers' 待办."""
    try:
        service.handle(session, scope=scope, warning_id=warning_id, note=note)
    except InvalidValue as refused:
        session.rollback()
        return list_page(request, session, scope, error=error_text(refused), status_code=422)
    return RedirectResponse(
        f"/industry/warnings?done={warning_id}#warning-{warning_id}", status_code=303
    )
