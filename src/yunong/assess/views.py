"""Pages of 考核驾驶舱: the city cockpit, a district, an indicator, the data entry form, the
approval list and the report downloads. Charts are drawn by ECharts from the figures
embedded in the page.

Every data-set action answers with what happened and who acts next: an action that
changes the state redirects to the page with ``done=<action>``, which says so only while
the data set is in the state the action led to; an error shows the page again with what
the user typed."""

import shutil
import tempfile
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
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from yunong.assess import approvals, cockpit, datasets, importers, mapdata, reports, scoring
from yunong.assess.catalogue import items
from yunong.assess.datasets import Entry, Refused, SaveReport
from yunong.core.errors import Conflict, InvalidValue, NotFound
from yunong.core.file_cache import FileCache
from yunong.core.regions import codes
from yunong.core.regions import service as regions
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.policy import loader as policy
from yunong.policy import provenance
from yunong.policy.schema import Pack
from yunong.store.db import transaction
from yunong.web import i18n, uploads
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep
from yunong.web.layout import render
from yunong.web.params import OptionalYear, Year

router = APIRouter(include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def pack() -> Pack:
    return policy.get()


def chosen_period(session: Session, period: int | None) -> int:
    return period if period is not None else cockpit.opening_period(session, pack())


def chart_rows(rows: list[cockpit.FigureRow]) -> list[dict[str, Any]]:
    return [
        {
            "key": row.key,
            "name": row.name,
            "unit": i18n.gettext(row.unit),
            "value": row.value,
            "target": row.target,
            "target_year": row.target_year,
            "progress": row.progress,
            "colour": row.colour,
        }
        for row in rows
    ]


@router.get("/apps/assess", response_class=HTMLResponse)
def overview(
    request: Request, session: SessionDep, scope: ScopeDep, period: OptionalYear = None
) -> HTMLResponse:
    """The city cockpit: key targets, the district ranking and the score map."""
    year = chosen_period(session, period)
    the_pack = pack()
    ranking = cockpit.scores(session, scope=scope, period=year)
    unranked = cockpit.unranked(session, ranking)
    city: list[cockpit.FigureRow] = []
    if scope.covers(codes.CITY_CODE):
        city = cockpit.region_figures(
            session, scope=scope, pack=the_pack, period=year, region_code=codes.CITY_CODE
        )
    key_figures = [row for row in city if row.key in cockpit.KEY_TARGETS]
    return render(
        request,
        session,
        "assess/overview.html",
        period=year,
        periods=cockpit.listed_periods(session, the_pack),
        ranking=ranking,
        unranked=unranked,
        city=city,
        key_figures=key_figures,
        charts={
            "gauges": chart_rows(key_figures),
            "ranking": [
                {"code": row.code, "name": row.name, "score": row.score, "rank": row.rank}
                for row in ranking
            ],
            "unreported": [{"code": code, "name": name} for code, name in unranked],
            "period": year,
        },
        can_score=scope.covers(codes.CITY_CODE) and scope.can_write,
        can_approve=approvals.may_approve(scope),
        can_fill=datasets.allows(datasets.check_reporter, scope, scope.region_code),
    )


@router.get("/assess/map.json")
def district_map(session: SessionDep, scope: ScopeDep) -> JSONResponse:
    return JSONResponse(mapdata.district_map(session, scope=scope))


@router.get("/assess/{period}/districts/{code}", response_class=HTMLResponse)
def district(
    period: Year, code: str, request: Request, session: SessionDep, scope: ScopeDep
) -> HTMLResponse:
    """A district's figures inside the caller's scope; any other district's public ranking
    card (score, rank and change of rank, as published in 赛马比拼, without its figures)."""
    region = cockpit.get_district(session, scope=scope, code=code)
    ranking = cockpit.scores(session, scope=scope, period=period)
    score = next((row for row in ranking if row.code == region.code), None)
    if not scope.covers(region.code):
        return render(
            request, session, "assess/district_card.html",
            period=period, district=region, score=score, ranked=len(ranking),
        )  # fmt: skip
    rows = cockpit.region_figures(
        session, scope=scope, pack=pack(), period=period, region_code=region.code
    )
    data_set = datasets.get(session, scope=scope, period=period, region_code=region.code)
    return render(
        request,
        session,
        "assess/district.html",
        period=period,
        district=region,
        score=score,
        ranked=len(ranking),
        rows=rows,
        data_set=data_set,
        state_label=datasets.state_label(data_set.state) if data_set else "未填报",
        charts={"progress": chart_rows(rows)},
    )


@router.get("/assess/{period}/indicators/{key}", response_class=HTMLResponse)
def indicator(
    period: Year,
    key: str,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    region: str | None = None,
) -> HTMLResponse:
    the_pack = pack()
    if key not in the_pack.indicators:
        raise NotFound(f"没有指标“{key}”")
    place = regions.get_visible(session, scope=scope, code=region or scope.region_code)
    trend_of = codes.CITY_CODE if scope.covers(codes.CITY_CODE) and not region else place.code
    trend = cockpit.trend(session, scope=scope, pack=the_pack, key=key, region_code=trend_of)
    return render(
        request,
        session,
        "assess/indicator.html",
        period=period,
        key=key,
        indicator=the_pack.indicators[key],
        target_source=provenance.targets_source(the_pack.indicators[key]),
        listed=cockpit.listed_text(the_pack, the_pack.indicators[key]),
        place=place,
        districts=cockpit.district_figures(
            session, scope=scope, pack=the_pack, period=period, key=key
        ),
        below=cockpit.breakdown(
            session, scope=scope, pack=the_pack, period=period, key=key, region_code=place.code
        ),
        trend=trend,
        charts={
            "trend": [
                {"period": year, "value": row.value, "target": row.target} for year, row in trend
            ],
            "unit": i18n.gettext(the_pack.indicators[key].unit),
        },
    )


@router.post("/assess/{period}/score")
def rescore(period: Year, session: SessionDep, scope: ScopeDep) -> RedirectResponse:
    scoring.compute(session, scope=scope, pack=pack(), period=period)
    return RedirectResponse(f"/apps/assess?period={period}", 303)


@router.get("/assess/{period}/report.{kind}")
def report(
    period: Year, kind: str, request: Request, session: SessionDep, scope: ScopeDep
) -> FileResponse:
    """The period's report inside the caller's scope, made again only when its data changed
    (see :func:`reports.cached_file`); every download is audited, made or kept."""
    if kind not in reports.WRITERS:
        raise NotFound("报告只有 PDF 和 xlsx 两种")
    the_pack = pack()
    gathered = reports.export(session, scope=scope, pack=the_pack, period=period, kind=kind)
    path = reports.cached_file(
        gathered,
        pack=the_pack,
        kind=kind,
        files=FileCache(request.app.state.settings.var_dir / "cache" / "reports"),
        region_code=scope.region_code,
        language=i18n.current_language.get(),
    )
    return FileResponse(
        path,
        filename=f"{period}年乡村振兴考核报告.{kind}",
        media_type="application/pdf" if kind == "pdf" else XLSX,
    )


def form_page(
    request: Request,
    session: Session,
    scope: Scope,
    period: int,
    code: str,
    errors: list[str] | None = None,
    done: str | None = None,
    report: SaveReport | None = None,
    typed: dict[str, str] | None = None,
    comment: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    """The data entry form; ``typed`` (the values as the user typed them) and ``comment``
    (a return reason) are shown again after an error."""
    region = regions.get_visible(session, scope=scope, code=code)
    data_set = datasets.get(session, scope=scope, period=period, region_code=region.code)
    saved = datasets.values_of(session, data_set)
    state = data_set.state if data_set else "draft"
    return render(
        request,
        session,
        "assess/data_set.html",
        status_code=status_code,
        period=period,
        unit=region,
        data_set=data_set,
        state=state,
        state_label=datasets.state_label(state) if data_set else "未填报",
        items=items(pack(), Level(region.level), period, region.code),
        saved=saved,
        typed=typed,
        comment=comment,
        errors=errors or [],
        feedback=approvals.feedback(session, done, region, data_set, report),
        is_reporter=datasets.allows(datasets.check_reporter, scope, region.code),
        is_submitter=datasets.allows(datasets.check_submitter, scope, region.code),
        is_approver=datasets.allows(datasets.check_approver, scope, region.code),
    )


@router.get("/assess/{period}/data/{code}", response_class=HTMLResponse)
def data_set_form(
    period: Year,
    code: str,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    done: str | None = None,
) -> HTMLResponse:
    return form_page(request, session, scope, period, code, done=done)


@router.post("/assess/{period}/data/{code}", response_class=HTMLResponse)
async def data_set_save(
    period: Year, code: str, request: Request, session: SessionDep, scope: ScopeDep
) -> HTMLResponse:
    form = await request.form()
    unit_code = codes.normalise(code)
    entries = [
        Entry(item=name.removeprefix("value:"), value=str(value))
        for name, value in form.items()
        if name.startswith("value:")
    ]
    try:
        report_ = datasets.save(
            session, scope=scope, pack=pack(), period=period, region_code=unit_code, entries=entries
        )
    except Refused as refused:
        session.rollback()
        return form_page(
            request, session, scope, period, unit_code,
            errors=[datasets.describe(error) for error in refused.errors],
            typed={entry.item: entry.value for entry in entries}, status_code=422,
        )  # fmt: skip
    return form_page(request, session, scope, period, unit_code, done="save", report=report_)


@router.post("/assess/{period}/data/{code}/upload", response_class=HTMLResponse)
async def data_set_upload(period: Year, code: str, request: Request) -> HTMLResponse:
    """A filled-in template: checked by the upload guard, read in a child process, then saved
    in a transaction of its own."""
    unit_code = codes.normalise(code)

    def may_fill(session: Session, scope: Scope) -> None:
        datasets.check_reporter(scope, unit_code)

    async with uploads.receive(request, allowed=may_fill) as upload:
        try:
            read: list[Entry] | Refused = await upload.read(
                importers.read_entries, period=period, region_code=unit_code
            )
        except Refused as refused:
            read = refused
    return await run_in_threadpool(save_upload, request, upload.scope, period, unit_code, read)


def save_upload(
    request: Request, scope: Scope, period: int, unit_code: str, read: list[Entry] | Refused
) -> HTMLResponse:
    with transaction(request.app.state.sessions) as session:
        try:
            if isinstance(read, Refused):
                raise read
            report_ = datasets.save(
                session, scope=scope, pack=pack(), period=period, region_code=unit_code,
                entries=read,
            )  # fmt: skip
        except Refused as refused:
            session.rollback()
            return form_page(
                request, session, scope, period, unit_code,
                errors=[datasets.describe(error) for error in refused.errors], status_code=422,
            )  # fmt: skip
        return form_page(request, session, scope, period, unit_code, done="upload", report=report_)


@router.get("/assess/{period}/data/{code}/template.xlsx")
def data_set_template(
    period: Year, code: str, session: SessionDep, scope: ScopeDep
) -> FileResponse:
    folder = tempfile.mkdtemp(prefix="yunong-template-")
    path = Path(folder) / "template.xlsx"
    importers.write_template(
        session, path, scope=scope, pack=pack(), period=period, region_code=code
    )
    return FileResponse(
        path,
        filename=f"{period}年考核指标填报_{code}.xlsx",
        media_type=XLSX,
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )


@router.post("/assess/{period}/data/{code}/{action}")
def data_set_action(
    period: Year,
    code: str,
    action: str,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    comment: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "",
) -> Response:
    """Submit, approve or return; then back to the data set, or to the approval list when
    the action was taken there (``back=approvals``)."""
    unit_code = codes.normalise(code)
    try:
        take_action(session, scope, period, unit_code, action, comment)
    except (InvalidValue, Conflict) as error:
        session.rollback()
        if back == "approvals":
            return approvals_page(
                request, session, scope, period, error=i18n.error_text(error), unit=unit_code,
                comment=comment, status_code=error.status_code,
            )  # fmt: skip
        return form_page(
            request, session, scope, period, unit_code, errors=[i18n.error_text(error)],
            comment=comment, status_code=error.status_code,
        )  # fmt: skip
    if back == "approvals":
        return RedirectResponse(f"/assess/{period}/approvals?done={action}&unit={unit_code}", 303)
    return RedirectResponse(f"/assess/{period}/data/{unit_code}?done={action}", 303)


def take_action(
    session: Session, scope: Scope, period: int, unit_code: str, action: str, comment: str
) -> None:
    if action == "submit":
        datasets.submit(session, scope=scope, pack=pack(), period=period, region_code=unit_code)
    elif action == "approve":
        datasets.approve(session, scope=scope, period=period, region_code=unit_code)
    elif action == "return":
        datasets.send_back(
            session, scope=scope, period=period, region_code=unit_code, comment=comment
        )
    else:
        raise NotFound("没有这个操作")


@router.get("/assess/{period}/approvals", response_class=HTMLResponse)
def approval_list(
    period: Year,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    done: str | None = None,
    unit: str | None = None,
) -> HTMLResponse:
    """The figures sent up for the period that wait on the caller, to approve or return."""
    return approvals_page(request, session, scope, period, done=done, unit=unit)


def approvals_page(
    request: Request,
    session: Session,
    scope: Scope,
    period: int,
    done: str | None = None,
    unit: str | None = None,
    error: str = "",
    comment: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    """The approval list; after an action on ``unit``, its feedback, or its error with the
    reason as typed."""
    waiting = approvals.waiting(session, scope=scope, period=period)
    said = None
    if unit and done:
        region = regions.get_visible(session, scope=scope, code=unit)
        data_set = datasets.get(session, scope=scope, period=period, region_code=region.code)
        said = approvals.feedback(session, done, region, data_set)
    return render(
        request,
        session,
        "assess/approvals.html",
        status_code=status_code,
        period=period,
        periods=cockpit.listed_periods(session, pack()),
        waiting=waiting,
        feedback=said,
        error=error,
        error_unit=unit if error else "",
        comment=comment,
    )
