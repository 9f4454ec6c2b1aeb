"""Pages of 防返贫监测: the work queue with charts, the paged lists of cases, alerts,
households and self-reports, the map of open alerts, a household, zeroing, the visit form,
xlsx exports, and the public self-report page."""

from datetime import date
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
)
from sqlalchemy.orm import Session

from yunong.core import listing
from yunong.core.errors import InvalidValue, NotFound, YunongError
from yunong.core.listing import ListSpec, Page
from yunong.core.scope import Scope
from yunong.monitor import (
    alert_map,
    calendar,
    case_steps,
    exports,
    households,
    lists,
    measures,
    opening,
    profile,
    queue,
    removal,
    reports,
    visit_photos,
    workflow,
    zeroing_board,
)
from yunong.monitor.limits import REPORTS_PER_MINUTE, check_rate
from yunong.policy import loader as policy
from yunong.web import i18n
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep
from yunong.web.layout import render, viewed_region
from yunong.web.listing import list_view, scope_of, xlsx_response
from yunong.web.params import RowId

router = APIRouter(include_in_schema=False)


def region_scope(request: Request, session: Session, scope: Scope) -> Scope:
    """The caller's scope narrowed to the region chosen in the switcher."""
    return scope.narrowed_to(viewed_region(request, session, scope).code)


def household_page(
    session: Session, scope: Scope, household_id: int, done: str = ""
) -> RedirectResponse:
    """Back to the household's page after a form; ``done`` names the action taken, so that
    the page says what happened and who acts next."""
    code = households.code_of(session, scope=scope, household_id=household_id)
    query = f"?{urlencode({'done': done})}" if done else ""
    return RedirectResponse(f"/monitor/households/{code}{query}", 303)


@router.get("/apps/monitor", response_class=HTMLResponse)
def queue_page(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    """The work queue: the viewed region's cases as a paged list, the most urgent first
    (``village`` or ``region`` narrows it: the map links here), with its figures and bars
    fetched after the list is shown."""
    pack = policy.get()
    spec = lists.case_spec(pack)
    page = list_page(request, spec)
    where = scope_of(request, session, scope, page)
    found = lists.get_cases(session, scope=where, page=page, pack=pack, today=calendar.today())
    region = {"region": page.region} if page.region else {}
    return render(
        request,
        session,
        "monitor/queue.html",
        village=lists.village_of(session, scope=page.within(where)),
        view=list_view(request, session, scope, found, spec, export=EXPORT % "cases"),
        overview_url="/monitor/overview" + (f"?{urlencode(region)}" if region else ""),
        state_labels=workflow.STATE_LABELS,
    )


@router.get("/monitor/overview", response_class=HTMLResponse)
def overview_page(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    """The figures and bars one level down of the viewed region (or of ``region``): they
    count every household and case of it, which takes a second for the whole city."""
    page = list_page(request, lists.case_spec(policy.get()))
    where = page.within(scope_of(request, session, scope, page))
    overview = queue.get_overview(
        session, scope=scope, viewed=where, pack=policy.get(), today=calendar.today()
    )
    return render(
        request, session, "monitor/overview.html", bars=overview.bars, figures=overview.figures
    )


@router.get("/monitor/alerts", response_class=HTMLResponse)
def alert_list(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    """Alerts waiting for a village to send a grid worker, paged; a village cadre sends
    someone from the list."""
    page = list_page(request, lists.ALERTS)
    found = lists.get_alerts(session, scope=scope_of(request, session, scope, page), page=page)
    return render(
        request,
        session,
        "monitor/alerts.html",
        view=list_view(request, session, scope, found, lists.ALERTS, export=EXPORT % "alerts"),
        grid_workers=queue.grid_workers(session, scope=scope),
    )


@router.get("/monitor/households", response_class=HTMLResponse)
def household_list(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    """Every household in the region, found by name, ID number ending, 全农码 or number."""
    page = list_page(request, lists.HOUSEHOLDS)
    where = scope_of(request, session, scope, page)
    found = lists.get_households(session, scope=where, page=page)
    view = list_view(request, session, scope, found, lists.HOUSEHOLDS, export=EXPORT % "households")
    return render(request, session, "monitor/households.html", view=view)


@router.get("/monitor/self-reports", response_class=HTMLResponse)
def self_report_list(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    """Households' own reports of hardship, newest first; ID numbers masked."""
    page = list_page(request, lists.SELF_REPORTS)
    found = lists.get_self_reports(
        session, scope=scope_of(request, session, scope, page), page=page
    )
    view = list_view(
        request, session, scope, found, lists.SELF_REPORTS, export=EXPORT % "self-reports"
    )
    return render(request, session, "monitor/self_reports.html", view=view)


EXPORT = "/monitor/export/%s.xlsx"


def list_page(request: Request, spec: ListSpec) -> Page:
    """The list's page from the query string; ``village`` (the map's links) stands for
    ``region``."""
    params = dict(request.query_params)
    if params.get("village") and not params.get("region"):
        params["region"] = params["village"][:12]
    return listing.parse(params, spec)


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
    case = opening.open_case(
        session, scope=scope, alert_id=alert_id, grid_worker=grid_worker, pack=policy.get()
    )
    return household_page(session, scope, case.household_id, done=case_steps.ASSIGNED)


@router.get("/monitor/households/{code}", response_class=HTMLResponse)
def household(
    code: str, request: Request, session: SessionDep, scope: ScopeDep, done: str = ""
) -> HTMLResponse:
    """A household's record and its case; after an action (``done``) what it did and who
    acts next."""
    pack = policy.get()
    found = profile.get(session, scope=scope, code=code[:24], pack=pack)
    actions = case_steps.actions(scope, found.case, pack)
    return render(
        request,
        session,
        "monitor/household.html",
        found=found,
        step=actions.step,
        done=case_steps.done(done[:32], found.case),
        may_act=actions.may_act,
        may_plan=actions.may_plan,
        may_follow=actions.may_follow,
        may_visit=actions.may_visit,
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
    return household_page(session, scope, case.household_id, done=step[:32])


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
    return household_page(session, scope, case.household_id, done=case_steps.MEASURE_ADDED)


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
    return household_page(session, scope, case.household_id, done=case_steps.PROGRESS_RECORDED)


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValue(f"日期“{text}”应如 2024-06-30") from None


@router.get("/monitor/zeroing", response_class=HTMLResponse)
def zeroing(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    """Open problems by region and age, the zeroing rate, and the list itself, paged."""
    page = list_page(request, zeroing_board.PROBLEMS)
    where = page.within(scope_of(request, session, scope, page))
    board = zeroing_board.get(session, scope=where, today=calendar.today(), page=page)
    return render(
        request,
        session,
        "monitor/zeroing.html",
        view=list_view(
            request,
            session,
            scope,
            board.problems,
            zeroing_board.PROBLEMS,
            export=EXPORT % "problems",
        ),
        open_count=board.open_count,
        table=board.table,
        bands=board.bands,
        rate=board.rate,
    )


@router.get("/monitor/visit", response_class=HTMLResponse)
def visit_form(
    request: Request, session: SessionDep, scope: ScopeDep, household: str = "", q: str = ""
) -> HTMLResponse:
    """The grid worker's phone form; it keeps visits on the phone until they can be sent.
    Where the caller may visit more households than a phone list holds (a town), ``q``
    searches them by member name, ID-number ending, 全农码 or book number."""
    chosen = household[:24].strip().upper()
    search = q[:40].strip()
    found = queue.visit_list(session, scope=scope, chosen=chosen, search=search)
    return render(
        request,
        session,
        "monitor/visit.html",
        households=found.households,
        names=found.names,
        tasks=found.tasks,
        in_scope=found.in_scope,
        found=found.found,
        searchable=found.in_scope > queue.PICKER_ALL,
        search=search,
        shown_at_most=queue.PICKER_FOUND,
        chosen=chosen,
        risk_types=workflow.RISK_TYPES,
        checks=list(removal.CRITERION_LABELS.items())[2:],
        today=calendar.today().isoformat(),
    )


@router.get("/monitor/visits/{visit_id}/photo")
def visit_photo(visit_id: RowId, session: SessionDep, scope: ScopeDep) -> Response:
    """A visit's photo, for those who may see the household; each showing is audited."""
    photo = visit_photos.get(session, scope=scope, visit_id=visit_id)
    return Response(
        photo.content,
        media_type="image/jpeg",
        headers={"Cache-Control": "private, no-store"},
    )


@router.get("/monitor/visit-sw.js")
def service_worker() -> Response:
    """Served from /monitor/ so that it may keep the visit form for offline use."""
    path = Path(__file__).parent.parent / "web" / "static" / "monitor-sw.js"
    return Response(path.read_text(encoding="utf-8"), media_type="text/javascript")


@router.get("/monitor/export/{name}.xlsx")
def export(name: str, request: Request, session: SessionDep, scope: ScopeDep) -> FileResponse:
    """Every list of the module as xlsx, for the region being viewed; a paged list with the
    filters, search and order of the page it is exported from. ID numbers masked."""
    if name not in exports.EXPORTS:
        raise NotFound("没有这个清单")
    spec = exports.spec_of(name)
    page = list_page(request, spec) if spec else None
    where = (
        scope_of(request, session, scope, page) if page else region_scope(request, session, scope)
    )
    headers, rows = exports.export(session, where, name, page)
    return xlsx_response(f"{exports.EXPORTS[name]}.xlsx", headers, rows)


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
            message=i18n.error_text(error),
        )
    return render(request, session, "monitor/report_done.html", report=report)
