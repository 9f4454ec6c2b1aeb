"""Pages of 高标准农田: the project list and page (steps, parties, content, the boundary
with the parcels inside, maintenance), the district progress page, the ledger export, and
the phone pages of inspections and damage reports."""

import shutil
import tempfile
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from yunong.core.errors import YunongError
from yunong.core.parsing import parse_date
from yunong.core.scope import Scope
from yunong.farmland import acceptance, ledger, lists, maintenance, pages, progress, steps
from yunong.farmland import map_layer as map_layer  # registers the projects' layer of the one map
from yunong.farmland.codes import PARTY_LABELS, REPORT_KINDS, STEP_LABELS, Step
from yunong.monitor import visit_photos
from yunong.policy import loader
from yunong.store.db import engine_of, transaction
from yunong.web import i18n, uploads
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep
from yunong.web.layout import render
from yunong.web.listing import list_view, page_of
from yunong.web.params import RowId

router = APIRouter(include_in_schema=False)
STEP_NAMES = {step.value: label for step, label in STEP_LABELS.items()}
SHOWN_ON_FORM = (409, 422)
"""Refusals shown beside the form; not found and forbidden answer as such."""
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/farmland", response_class=HTMLResponse)
def project_list(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    page = page_of(request, lists.PROJECTS)
    found = lists.get_projects(session, scope=scope, page=page)
    return render(
        request,
        session,
        "farmland/list.html",
        view=list_view(request, session, scope, found, lists.PROJECTS),
    )


@router.get("/farmland/projects/{number}", response_class=HTMLResponse)
def project_page(
    number: str,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    done: str | None = None,
) -> HTMLResponse:
    return project_response(request, session, scope, number, done=done)


def project_response(
    request: Request,
    session: Session,
    scope: Scope,
    number: str,
    *,
    done: str | None = None,
    message: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    view = pages.project_view(session, scope=scope, number=number)
    return render(
        request,
        session,
        "farmland/project.html",
        status_code=status_code,
        view=view,
        step_labels=STEP_NAMES,
        party_labels=PARTY_LABELS,
        report_kinds=REPORT_KINDS,
        done=STEP_NAMES.get(done or "", ""),
        message=message,
        today=date.today().isoformat(),
    )


@router.post("/farmland/projects/{number}/steps", response_model=None)
def take_step(
    number: str,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    step: Annotated[str, Form(max_length=40)] = "",
    done_on: Annotated[str, Form(max_length=40)] = "",
    document: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        with session.begin_nested():
            taken = steps.take(
                session,
                scope=scope,
                pack=loader.get(),
                number=number,
                step_in=steps.StepIn(
                    step, parse_date(done_on) if done_on else date.today(), document
                ),
            )
    except YunongError as error:
        if error.status_code not in SHOWN_ON_FORM:
            raise
        return project_response(
            request, session, scope, number, message=i18n.error_text(error), status_code=422
        )
    # The map's village figures are recomputed once the acceptance is committed, which the
    # request's session does before the answer is sent and so before this task runs.
    refresh = None
    if taken.step == Step.ACCEPT.value:
        villages = acceptance.villages_covered(session, scope=scope, number=number)
        refresh = BackgroundTask(acceptance.refresh_map, engine_of(session), villages=villages)
    return RedirectResponse(
        f"/farmland/projects/{number}?done={step}", status_code=303, background=refresh
    )


@router.get("/farmland/progress", response_class=HTMLResponse)
def progress_page(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    rows = progress.district_progress(session, scope=scope)
    overdue = progress.overdue(session, scope=scope, today=date.today())
    built = progress.yearly_built(session, scope=scope)
    shares = progress.grain_shares(session, scope=scope)
    names = progress.district_names(session, rows)
    names.update(progress.district_names_of(session, [s.region_code for s in shares]))
    chart = {
        "years": [asdict(year) for year in built],
        "text": {
            "new": i18n.gettext("新建"),
            "upgrade": i18n.gettext("改造提升"),
            "target": i18n.gettext("年度目标"),
            "unit": i18n.gettext("亩"),
        },
    }
    return render(
        request,
        session,
        "farmland/progress.html",
        rows=rows,
        overdue=overdue,
        step_labels=STEP_NAMES,
        names=names,
        built=built,
        chart=chart,
        shares=shares,
    )


@router.get("/farmland/ledger.xlsx")
def ledger_export(session: SessionDep, scope: ScopeDep) -> FileResponse:
    folder = tempfile.mkdtemp(prefix="yunong-export-")
    path = Path(folder) / "ledger.xlsx"
    ledger.write(session, scope=scope, path=path)
    return FileResponse(
        path,
        filename="高标准农田项目台账.xlsx",
        media_type=XLSX,
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )


@router.get("/farmland/reports/new", response_class=HTMLResponse)
def new_report(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    return report_form(request, session, scope)


def report_form(
    request: Request,
    session: Session,
    scope: Scope,
    *,
    message: str = "",
    typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        session,
        "farmland/report_new.html",
        status_code=status_code,
        projects=maintenance.my_projects(session, scope=scope),
        report_kinds=REPORT_KINDS,
        message=message,
        typed=typed or {},
    )


@router.post("/farmland/reports", response_model=None)
def create_report(
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    project: Annotated[str, Form(max_length=60)] = "",
    kind: Annotated[str, Form(max_length=20)] = "",
    finding: Annotated[str, Form(max_length=2000)] = "",
    lon: Annotated[float | None, Form(ge=-180, le=180)] = None,
    lat: Annotated[float | None, Form(ge=-90, le=90)] = None,
) -> Response:
    typed = {"project": project, "kind": kind, "finding": finding}
    try:
        with session.begin_nested():
            report = maintenance.report(
                session,
                scope=scope,
                pack=loader.get(),
                number=project,
                report_in=maintenance.ReportIn(kind, finding, lon, lat),
            )
    except YunongError as error:
        if error.status_code not in SHOWN_ON_FORM:
            raise
        return report_form(
            request, session, scope, message=i18n.error_text(error), typed=typed, status_code=422
        )
    return RedirectResponse(f"/farmland/reports/{report.id}?done=reported", status_code=303)


@router.get("/farmland/reports/{report_id}", response_class=HTMLResponse)
def report_page(
    report_id: RowId,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    done: str | None = None,
) -> HTMLResponse:
    report = maintenance.get_report(session, scope=scope, report_id=report_id)
    [project] = maintenance.projects_of(session, reports=[report])
    return render(
        request,
        session,
        "farmland/report.html",
        report=report,
        project=project,
        report_kinds=REPORT_KINDS,
        may_close=maintenance.may_close(scope, report),
        may_attach=report.reported_by == scope.actor and report.closed_on is None,
        done=done or "",
    )


@router.get("/farmland/reports/{report_id}/photo")
def report_photo(report_id: RowId, session: SessionDep, scope: ScopeDep) -> Response:
    content = maintenance.photo_of(session, scope=scope, report_id=report_id)
    return Response(content, media_type="image/jpeg", headers={"Cache-Control": "private"})


@router.get("/farmland/reports/{report_id}/closing-photo")
def closing_photo(report_id: RowId, session: SessionDep, scope: ScopeDep) -> Response:
    content = maintenance.photo_of(session, scope=scope, report_id=report_id, closing=True)
    return Response(content, media_type="image/jpeg", headers={"Cache-Control": "private"})


@router.post("/farmland/reports/{report_id}/photo", response_model=None)
async def attach_photo(report_id: RowId, request: Request) -> Response:
    """The reporter's photo of what they found: checked, scaled and re-encoded as JPEG."""

    def may_attach(session: Session, scope: Scope) -> None:
        maintenance.check_may_attach(session, scope=scope, report_id=report_id)

    async with uploads.receive(
        request,
        allowed=may_attach,
        suffixes=visit_photos.SUFFIXES,
        limits=visit_photos.PHOTO_LIMITS,
    ) as upload:
        photo: visit_photos.Photo = await upload.read(visit_photos.normalise)
    await run_in_threadpool(save_photo, request, upload.scope, report_id, photo.content, False)
    return RedirectResponse(f"/farmland/reports/{report_id}?done=photo", status_code=303)


@router.post("/farmland/reports/{report_id}/close", response_model=None)
async def close_report(report_id: RowId, request: Request) -> Response:
    """The party responsible closes a damage report with a photo of the repair."""

    def may_close(session: Session, scope: Scope) -> None:
        maintenance.check_may_close(session, scope=scope, report_id=report_id)

    async with uploads.receive(
        request,
        allowed=may_close,
        suffixes=visit_photos.SUFFIXES,
        limits=visit_photos.PHOTO_LIMITS,
    ) as upload:
        photo: visit_photos.Photo = await upload.read(visit_photos.normalise)
    await run_in_threadpool(save_photo, request, upload.scope, report_id, photo.content, True)
    return RedirectResponse(f"/farmland/reports/{report_id}?done=closed", status_code=303)


def save_photo(
    request: Request, scope: Scope, report_id: int, content: bytes, closing: bool
) -> None:
    """In a transaction of its own: none is open while the photo is read."""
    with transaction(request.app.state.sessions) as session:
        if closing:
            maintenance.close(session, scope=scope, report_id=report_id, photo=content)
        else:
            maintenance.attach_photo(session, scope=scope, report_id=report_id, photo=content)
