"""Pages of 防返贫监测: the work queue with charts, the map of open alerts, a household,
zeroing, the visit form, xlsx exports, and the public self-report page."""

import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
)
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask

from yunong.core.errors import InvalidValue, NotFound, YunongError
from yunong.core.masking import mask_id_number
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.core.tabular import write_workbook
from yunong.monitor import (
    alert_map,
    calendar,
    case_steps,
    exports,
    households,
    measures,
    profile,
    queue,
    removal,
    reports,
    workflow,
    zeroing_board,
)
from yunong.monitor.limits import REPORTS_PER_MINUTE, check_rate
from yunong.policy import loader as policy
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep
from yunong.web.layout import render, viewed_region

router = APIRouter(include_in_schema=False)


def region_scope(request: Request, session: Session, scope: Scope) -> Scope:
    """The caller's scope narrowed to the region chosen in the switcher."""
    return scope.narrowed_to(viewed_region(request, session, scope).code)


def household_page(session: Session, scope: Scope, household_id: int) -> RedirectResponse:
    """Back to the household's page after a form."""
    code = households.code_of(session, scope=scope, household_id=household_id)
    return RedirectResponse(f"/monitor/households/{code}", 303)


@router.get("/apps/monitor", response_class=HTMLResponse)
def queue_page(
    request: Request, session: SessionDep, scope: ScopeDep, village: str = ""
) -> HTMLResponse:
    """The work queue: alerts to assign, cases by their warning, reports, and charts;
    only one village's when ``village`` is given (the map links here)."""
    viewed = region_scope(request, session, scope)
    chosen = regions.get_visible(session, scope=viewed, code=village[:12]) if village else None
    if chosen is not None:
        viewed = viewed.narrowed_to(chosen.code)
    found = queue.get(
        session, scope=scope, viewed=viewed, pack=policy.get(), today=calendar.today()
    )
    return render(
        request,
        session,
        "monitor/queue.html",
        village=chosen,
        alerts=found.alerts,
        case_rows=found.case_rows,
        codes=found.codes,
        heads=found.heads,
        reports=found.reports,
        mask=mask_id_number,
        bars=found.bars,
        figures=found.figures,
        grid_workers=found.grid_workers,
        state_labels=workflow.STATE_LABELS,
    )


@router.get("/monitor/map", response_class=HTMLResponse)
def alert_map_page(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    """The map of open alerts by village, with the busiest villages listed beside it."""
    found = alert_map.get(session, scope=region_scope(request, session, scope))
    return render(request, session, "monitor/map.html", found=found)


@router.get("/monitor/alert-map.json")
def alert_map_points(request: Request, session: SessionDep, scope: ScopeDep) -> JSONResponse:
    """The points the map draws, for the region being viewed."""
    found = alert_map.get(session, scope=region_scope(request, session, scope))
    return JSONResponse(found.as_json())


@router.post("/monitor/alerts/{alert_id}/case")
def assign(
    alert_id: RowId,
    session: SessionDep,
    scope: ScopeDep,
    grid_worker: Annotated[str, Form()],
) -> RedirectResponse:
    case = workflow.open_case(
        session, scope=scope, alert_id=alert_id, grid_worker=grid_worker, pack=policy.get()
    )
    return household_page(session, scope, case.household_id)


@router.get("/monitor/households/{code}", response_class=HTMLResponse)
def household(code: str, request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    pack = policy.get()
    found = profile.get(session, scope=scope, code=code[:24], pack=pack)
    actions = case_steps.actions(scope, found.case, pack)
    return render(
        request,
        session,
        "monitor/household.html",
        found=found,
        step=actions.step,
        may_act=actions.may_act,
        may_plan=actions.may_plan,
        may_follow=actions.may_follow,
        pack=pack,
        kinds=pack.monitoring.workflow.measure_kinds,
        risk_types=workflow.RISK_TYPES,
        state_labels=workflow.STATE_LABELS,
        today=calendar.today().isoformat(),
    )


@router.post("/monitor/cases/{code}/steps/{step}")
def take_step(
    code: str,
    step: str,
    session: SessionDep,
    scope: ScopeDep,
    passed: Annotated[str, Form()] = "yes",
    note: Annotated[str, Form()] = "",
    category: Annotated[str, Form()] = "",
    risk_types: Annotated[list[str] | None, Form()] = None,
) -> RedirectResponse:
    case = case_steps.take(
        session,
        scope=scope,
        code=code[:24],
        step_name=step[:32],
        decision=case_steps.Decision(
            passed=passed == "yes",
            note=note,
            category=category or None,
            risk_types=tuple(risk_types or ()),
        ),
        pack=policy.get(),
    )
    return household_page(session, scope, case.household_id)


@router.post("/monitor/cases/{code}/measures")
def add_measure(
    code: str,
    session: SessionDep,
    scope: ScopeDep,
    kind: Annotated[str, Form()],
    content: Annotated[str, Form()],
    responsible: Annotated[str, Form()],
    due_on: Annotated[str, Form()],
) -> RedirectResponse:
    case = workflow.get(session, scope=scope, code=code[:24])
    measures.add(
        session,
        scope=scope,
        case=case,
        measure_in=measures.MeasureIn(kind, content, responsible, parse_day(due_on)),
        pack=policy.get(),
    )
    return household_page(session, scope, case.household_id)


@router.post("/monitor/measures/{measure_id}/progress")
def measure_progress(
    measure_id: RowId,
    session: SessionDep,
    scope: ScopeDep,
    note: Annotated[str, Form()],
    done: Annotated[str, Form()] = "",
) -> RedirectResponse:
    measure = measures.record_progress(
        session, scope=scope, measure_id=measure_id, note=note, done=done == "yes"
    )
    case = measures.case_of(session, scope=scope, measure=measure)
    return household_page(session, scope, case.household_id)


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValue(f"日期“{text}”应如 2024-06-30") from None


@router.get("/monitor/zeroing", response_class=HTMLResponse)
def zeroing(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    """Open problems by region and age, the zeroing rate, and the list itself."""
    board = zeroing_board.get(
        session, scope=region_scope(request, session, scope), today=calendar.today()
    )
    return render(
        request,
        session,
        "monitor/zeroing.html",
        problems=board.problems,
        table=board.table,
        bands=board.bands,
        rate=board.rate,
    )


@router.get("/monitor/visit", response_class=HTMLResponse)
def visit_form(
    request: Request, session: SessionDep, scope: ScopeDep, household: str = ""
) -> HTMLResponse:
    """The grid worker's phone form; it keeps visits on the phone until they can be sent."""
    found = queue.visit_list(session, scope=scope)
    return render(
        request,
        session,
        "monitor/visit.html",
        households=found.households,
        heads=found.heads,
        tasks=found.tasks,
        chosen=household[:24],
        risk_types=workflow.RISK_TYPES,
        checks=list(removal.CRITERION_LABELS.items())[2:],
        today=calendar.today().isoformat(),
    )


@router.get("/monitor/visit-sw.js")
def service_worker() -> Response:
    """Served from /monitor/ so that it may keep the visit form for offline use."""
    path = Path(__file__).parent.parent / "web" / "static" / "monitor-sw.js"
    return Response(path.read_text(encoding="utf-8"), media_type="text/javascript")


@router.get("/monitor/export/{name}.xlsx")
def export(name: str, request: Request, session: SessionDep, scope: ScopeDep) -> FileResponse:
    """Every list of the module as xlsx, for the region being viewed; ID numbers masked."""
    if name not in exports.EXPORTS:
        raise NotFound("没有这个清单")
    viewed = region_scope(request, session, scope)
    headers, rows = exports.export(session, viewed, name)
    folder = tempfile.mkdtemp(prefix="yunong-export-")
    path = Path(folder) / f"{name}.xlsx"
    write_workbook(path, headers, rows)
    return FileResponse(
        path,
        filename=f"{exports.EXPORTS[name]}.xlsx",
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )


@router.get("/report", response_class=HTMLResponse)
def report_page(request: Request, session: SessionDep) -> HTMLResponse:
    """The public self-report page (no login), made for a phone."""
    return render(request, session, "monitor/report.html", risk_types=workflow.RISK_TYPES, form={})


@router.post("/report", response_class=HTMLResponse)
def submit_report(
    request: Request,
    session: SessionDep,
    name: Annotated[str, Form()] = "",
    id_number: Annotated[str, Form()] = "",
    village: Annotated[str, Form()] = "",
    what_happened: Annotated[str, Form()] = "",
    risk_type: Annotated[str, Form()] = "其他",
    phone: Annotated[str, Form()] = "",
) -> HTMLResponse:
    check_rate(request, "self_report", REPORTS_PER_MINUTE)
    form = {
        "name": name,
        "id_number": id_number,
        "village": village,
        "what_happened": what_happened,
        "risk_type": risk_type,
        "phone": phone,
    }
    try:
        with session.begin_nested():
            report = reports.submit(session, report_in=reports.ReportIn(**form))
    except YunongError as error:
        return render(
            request,
            session,
            "monitor/report.html",
            status_code=422,
            risk_types=workflow.RISK_TYPES,
            form=form,
            message=error.message,
        )
    return render(request, session, "monitor/report_done.html", report=report)
