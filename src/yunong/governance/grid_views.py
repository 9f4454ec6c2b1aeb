"""Pages of the grids (网格): the grids in scope with their workers and household counts (a
paged list with its export), a grid with its households (a paged list, names masked) and its
grid worker's tasks across applications, and the grid worker's own page (phone-first)."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from yunong.core.errors import YunongError
from yunong.core.scope import Scope
from yunong.governance import grid_tasks, grids, lists
from yunong.web import i18n
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep
from yunong.web.layout import render, waiting_work
from yunong.web.listing import list_view, page_of, scope_of, xlsx_response
from yunong.web.params import RowId

router = APIRouter(include_in_schema=False)
SHOWN_ON_FORM = (409, 422)
ASSIGN_SHOWN = (404, 409, 422)
"""A household code not found in scope is said on the form, still answered as not found."""
DONE = {"grid": "网格已新建", "assigned": "农户已划入网格"}
GRID_EXPORT = "/governance/grids.xlsx"


@router.get("/governance/grids", response_class=HTMLResponse)
def grid_list(
    request: Request, session: SessionDep, scope: ScopeDep, done: str = ""
) -> HTMLResponse:
    return grids_response(request, session, scope, done=DONE.get(done, ""))


def grids_response(
    request: Request,
    session: Session,
    scope: Scope,
    *,
    done: str = "",
    message: str = "",
    typed: dict[str, str] | None = None,
) -> HTMLResponse:
    page = page_of(request, lists.GRIDS)
    found = lists.get_grids(session, scope=scope_of(request, session, scope, page), page=page)
    return render(
        request,
        session,
        "governance/grids.html",
        status_code=422 if message else 200,
        view=list_view(request, session, scope, found, lists.GRIDS, export=GRID_EXPORT),
        may_keep=scope.can_write and (scope.role is None or scope.role in grids.KEEPERS),
        done=done,
        message=message,
        typed=typed or {},
    )


@router.post("/governance/grids", response_model=None)
def add_grid(
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    village: Annotated[str, Form(max_length=12)] = "",
    name: Annotated[str, Form(max_length=40)] = "",
    worker: Annotated[str, Form(max_length=64)] = "",
    boundary: Annotated[str, Form(max_length=200_000)] = "",
) -> Response:
    try:
        with session.begin_nested():
            grid = grids.create(
                session,
                scope=scope,
                grid_in=grids.GridIn(village or scope.region_code, name, worker, boundary),
            )
            grid_id = grid.id
    except YunongError as error:
        if error.status_code not in SHOWN_ON_FORM:
            raise
        typed = {"village": village, "name": name, "worker": worker, "boundary": boundary}
        return grids_response(request, session, scope, message=i18n.error_text(error), typed=typed)
    return RedirectResponse(f"/governance/grids/{grid_id}?done=grid", status_code=303)


@router.get(GRID_EXPORT)
def export_grids(request: Request, session: SessionDep, scope: ScopeDep) -> FileResponse:
    """The grids the list's search finds, in its order, as xlsx."""
    page = page_of(request, lists.GRIDS)
    where = scope_of(request, session, scope, page)
    rows = lists.export_grids(session, scope=where, page=page)
    return xlsx_response("网格.xlsx", lists.GRID_EXPORT_HEADERS, rows)


@router.get("/governance/grids/mine", response_class=HTMLResponse)
def my_grid(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    """The grid worker's own grids and their 待办 across applications, on a phone."""
    mine = grids.of_worker(session, scope=scope)
    return render(
        request,
        session,
        "governance/grid_mine.html",
        grids=[(grid, grids.households_of(session, scope=scope, grid=grid)) for grid in mine],
        tasks=grid_tasks.grouped(waiting_work(request, session, scope)),
    )


@router.get("/governance/grids/{grid_id}", response_class=HTMLResponse)
def grid_page(
    grid_id: RowId, request: Request, session: SessionDep, scope: ScopeDep, done: str = ""
) -> HTMLResponse:
    return grid_response(request, session, scope, grid_id, done=DONE.get(done, ""))


def grid_response(
    request: Request,
    session: Session,
    scope: Scope,
    grid_id: int,
    *,
    done: str = "",
    message: str = "",
    typed: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    grid = grids.get(session, scope=scope, grid_id=grid_id)
    page = page_of(request, lists.GRID_HOUSEHOLDS)
    found = lists.get_grid_households(session, scope=scope, grid=grid, page=page)
    return render(
        request,
        session,
        "governance/grid.html",
        status_code=status_code,
        grid=grid,
        view=list_view(request, session, scope, found, lists.GRID_HOUSEHOLDS),
        tasks=grid_tasks.of_worker(session, scope=scope, grid=grid),
        may_keep=scope.can_write and (scope.role is None or scope.role in grids.KEEPERS),
        done=done,
        message=message,
        typed=typed,
    )


@router.post("/governance/grids/{grid_id}/households", response_model=None)
def assign_households(
    grid_id: RowId,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    households: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    keys = households.replace("，", " ").replace(",", " ").split()
    try:
        with session.begin_nested():
            grid = grids.get(session, scope=scope, grid_id=grid_id)
            grids.assign(session, scope=scope, grid=grid, keys=keys)
    except YunongError as error:
        if error.status_code not in ASSIGN_SHOWN:
            raise
        return grid_response(
            request, session, scope, grid_id, message=i18n.error_text(error), typed=households,
            status_code=error.status_code,
        )  # fmt: skip
    return RedirectResponse(f"/governance/grids/{grid_id}?done=assigned", status_code=303)
