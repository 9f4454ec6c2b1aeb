"""Pages of 防返贫监测: the work queue with charts, the map of open alerts, a household,
zeroing, the visit form, xlsx exports, and the public self-report page."""

import shutil
import tempfile
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask

from yunong.core.auth.models import User
from yunong.core.auth.roles import Role
from yunong.core.errors import InvalidValue, NotFound, YunongError
from yunong.core.masking import mask_id_number
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.core.tabular import write_workbook
from yunong.monitor import (
    access,
    alert_map,
    api,
    calendar,
    exports,
    measures,
    problems,
    profile,
    removal,
    reports,
    workflow,
)
from yunong.monitor.models import Alert, Case, Household, Person
from yunong.monitor.schemas import StepIn
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep
from yunong.web.layout import render, viewed_region

router = APIRouter(include_in_schema=False)


def region_scope(request: Request, session: Session, scope: Scope) -> Scope:
    """The caller's scope narrowed to the region chosen in the switcher."""
    region = viewed_region(request, session, scope)
    return Scope(
        actor=scope.actor,
        region_code=region.code,
        role=scope.role,
        can_write=scope.can_write,
        can_view_personal_data=scope.can_view_personal_data,
    )


@dataclass(frozen=True)
class Bar:
    name: str
    alerts: int
    monitored: int
    top: int

    def share(self, value: int) -> int:
        return round(100 * value / self.top)


def bars(session: Session, scope: Scope, region_code: str) -> list[Bar]:
    """Open alerts and households under monitoring in each region one level down."""
    children = regions.get_children(session, scope=scope, code=region_code)
    if not children:
        return []
    width = len(scope_prefix(children[0].code))
    alerts = count_by_prefix(session, scope, Alert, width, Alert.status == "open")
    monitored = count_by_prefix(
        session,
        scope,
        Case,
        width,
        Case.state.in_([state.value for state in workflow.UNDER_MONITORING]),
    )
    numbers = [
        (
            child.name,
            alerts.get(scope_prefix(child.code), 0),
            monitored.get(scope_prefix(child.code), 0),
        )
        for child in children
    ]
    top = max([1] + [max(alert, kept) for _, alert, kept in numbers])
    return [Bar(name, alert, kept, top) for name, alert, kept in numbers]


def count_by_prefix(
    session: Session, scope: Scope, model: type[Alert] | type[Case], width: int, condition: Any
) -> dict[str, int]:
    prefix = func.substr(model.village_code, 1, width)
    query = scope.filter(
        select(prefix, func.count()).where(condition).group_by(prefix), model.village_code
    )
    return {key: number for key, number in session.execute(query).tuples()}


def scope_prefix(code: str) -> str:
    return Scope(actor="", region_code=code).prefix


def head_names(session: Session, household_ids: list[int]) -> dict[int, str]:
    if not household_ids:
        return {}
    query = select(Person.household_id, Person.name).where(
        Person.household_id.in_(household_ids), Person.relation.in_(["户主", "本人"])
    )
    return {household_id: name for household_id, name in session.execute(query).tuples()}


@router.get("/apps/monitor", response_class=HTMLResponse)
def queue(
    request: Request, session: SessionDep, scope: ScopeDep, village: str = ""
) -> HTMLResponse:
    """The work queue: alerts to assign, cases by their warning, reports, and charts;
    only one village's when ``village`` is given (the map links here)."""
    access.require_reader(scope)
    viewed = region_scope(request, session, scope)
    chosen = regions.get_visible(session, scope=viewed, code=village[:12]) if village else None
    if chosen is not None:
        viewed = replace(viewed, region_code=chosen.code)
    pack = api.pack()
    today = calendar.today()
    alerts = api.open_alerts(session, viewed, limit=200)
    cases = workflow.get_all(session, scope=viewed, states=workflow.OPEN, limit=300)
    codes = {
        household.id: household.code
        for household in session.scalars(
            select(Household).where(
                Household.id.in_({a.household_id for a in alerts} | {c.household_id for c in cases})
            )
        )
    }
    heads = head_names(session, list(codes))
    order = {"red": 0, "yellow": 1, "green": 2, "": 3}
    case_rows = sorted(
        ((case, workflow.warning(case, pack=pack, today=today)) for case in cases),
        key=lambda row: order[row[1].level],
    )
    return render(
        request,
        session,
        "monitor/queue.html",
        village=chosen,
        alerts=alerts,
        case_rows=case_rows,
        codes=codes,
        heads=heads,
        reports=reports.get_all(session, scope=viewed, limit=50),
        mask=mask_id_number,
        bars=bars(session, viewed, viewed.region_code),
        figures=problems.indicators(session, scope=viewed, pack=pack, today=today),
        grid_workers=grid_workers(session, scope) if scope.role == Role.VILLAGE_CADRE else [],
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


def grid_workers(session: Session, scope: Scope) -> list[str]:
    query = select(User.name).where(
        User.role == Role.GRID_WORKER.value,
        User.region_code == scope.region_code,
        User.disabled.is_(False),
    )
    return list(session.scalars(query.order_by(User.name)))


@router.post("/monitor/alerts/{alert_id}/case")
def assign(
    alert_id: int,
    session: SessionDep,
    scope: ScopeDep,
    grid_worker: Annotated[str, Form()],
) -> RedirectResponse:
    case = workflow.open_case(
        session, scope=scope, alert_id=alert_id, grid_worker=grid_worker, pack=api.pack()
    )
    return RedirectResponse(
        f"/monitor/households/{api.household_code(session, case.household_id)}", 303
    )


@router.get("/monitor/households/{code}", response_class=HTMLResponse)
def household(code: str, request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    pack = api.pack()
    found = profile.get(session, scope=scope, code=code[:24], pack=pack)
    case = found.case
    step = workflow.STEP_OF_STATE.get(workflow.State(case.state)) if case else None
    if case and case.state == workflow.State.MONITORED.value:
        step = workflow.STEPS["propose_removal"]
    may_act = step is not None and (scope.role == step.role.value) and step.name != "verify"
    return render(
        request,
        session,
        "monitor/household.html",
        found=found,
        step=step,
        may_act=may_act,
        may_plan=case is not None
        and scope.role == Role.VILLAGE_CADRE.value
        and measures.may_plan(case, pack),
        may_follow=scope.role in (Role.VILLAGE_CADRE.value, Role.GRID_WORKER.value),
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
    case = api.take_step(
        code[:24],
        step[:32],
        StepIn(
            passed=passed == "yes",
            note=note,
            category=category or None,
            risk_types=risk_types or [],
        ),
        session,
        scope,
    )
    return RedirectResponse(f"/monitor/households/{case.household_code}", 303)


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
        pack=api.pack(),
    )
    return RedirectResponse(
        f"/monitor/households/{api.household_code(session, case.household_id)}", 303
    )


@router.post("/monitor/measures/{measure_id}/progress")
def measure_progress(
    measure_id: int,
    session: SessionDep,
    scope: ScopeDep,
    note: Annotated[str, Form()],
    done: Annotated[str, Form()] = "",
) -> RedirectResponse:
    measure = measures.record_progress(
        session, scope=scope, measure_id=measure_id, note=note, done=done == "yes"
    )
    case = session.get_one(Case, measure.case_id)
    return RedirectResponse(
        f"/monitor/households/{api.household_code(session, case.household_id)}", 303
    )


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValue(f"日期“{text}”应如 2024-06-30") from None


@router.get("/monitor/zeroing", response_class=HTMLResponse)
def zeroing(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    """Open problems by region and age, the zeroing rate, and the list itself."""
    viewed = region_scope(request, session, scope)
    today = calendar.today()
    found = problems.get_all(session, scope=viewed, today=today)
    region = viewed_region(request, session, scope)
    level = min(len(viewed.prefix) + 3, 12) if len(viewed.prefix) > 2 else 6
    names = {
        scope_prefix(child.code): child.name
        for child in regions.get_children(session, scope=scope, code=region.code)
    }
    table = problems.by_region_and_age(found, level=level)
    return render(
        request,
        session,
        "monitor/zeroing.html",
        problems=found,
        table=[(names.get(key, key), counts) for key, counts in sorted(table.items())],
        bands=[label for _, label in problems.AGE_BANDS],
        rate=problems.zeroing_rate(session, scope=viewed, today=today),
    )


@router.get("/monitor/visit", response_class=HTMLResponse)
def visit_form(
    request: Request, session: SessionDep, scope: ScopeDep, household: str = ""
) -> HTMLResponse:
    """The grid worker's phone form; it keeps visits on the phone until they can be sent."""
    access.require_role(scope, access.VISITORS, "入户走访")
    tasks = [
        case
        for case in workflow.get_all(session, scope=scope, states=(workflow.State.VERIFY,))
        if case.assigned_to == scope.actor
    ]
    households = list(
        session.scalars(
            scope.filter(select(Household), Household.village_code)
            .order_by(Household.number)
            .limit(2000)
        )
    )
    heads = head_names(session, [item.id for item in households])
    task_codes = {api.household_code(session, case.household_id): case for case in tasks}
    return render(
        request,
        session,
        "monitor/visit.html",
        households=households,
        heads=heads,
        tasks=task_codes,
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
    headers, rows = exports.rows(session, viewed, name)
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
    api.check_rate(request, "self_report", api.REPORTS_PER_MINUTE)
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
