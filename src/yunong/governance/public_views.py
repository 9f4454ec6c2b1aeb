"""Public pages of 基层治理, without signing in and made for a phone: reporting a matter
(rate-limited, with an optional photo) and following it by its reference, and a village's
published points board (积分公示)."""

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse

from yunong.core.errors import YunongError
from yunong.governance import photos, points, public_matters
from yunong.governance.indicators import governance_rules
from yunong.web import i18n
from yunong.web.deps import SessionDep
from yunong.web.layout import render
from yunong.web.ratelimit import TooManyRequests, limiter

router = APIRouter(include_in_schema=False)
REPORTS_PER_MINUTE = 3
"""A resident reports once; a few tries a minute per address leave room for typing mistakes."""
VillageCode = Annotated[str, PathParam(max_length=12, description="村代码")]


def check_rate(request: Request) -> None:
    key = request.client.host if request.client else "unknown"
    if not limiter(request.app, "governance.report", REPORTS_PER_MINUTE).allow(key):
        raise TooManyRequests("提交过于频繁，请一分钟后再试")


def form_response(
    request: Request,
    session: SessionDep,
    district: str,
    form: dict[str, str],
    *,
    message: str = "",
) -> HTMLResponse:
    return render(
        request,
        session,
        "governance/report_form.html",
        status_code=422 if message else 200,
        districts=public_matters.districts(session),
        district=district,
        villages=public_matters.villages_of(session, district=district),
        form=form,
        message=message,
    )


@router.get("/governance/public/report", response_class=HTMLResponse)
def report_form(request: Request, session: SessionDep, district: str = "") -> HTMLResponse:
    """The public page to report a matter: choose the district, then the village."""
    return form_response(request, session, district[:12], {})


@router.post("/governance/public/report", response_class=HTMLResponse)
def submit_report(
    request: Request,
    session: SessionDep,
    district: Annotated[str, Form(max_length=12)] = "",
    village: Annotated[str, Form(max_length=12)] = "",
    village_code: Annotated[str, Form(max_length=12)] = "",
    text: Annotated[str, Form(max_length=2000)] = "",
    reporter: Annotated[str, Form(max_length=40)] = "",
    photo: Annotated[UploadFile | None, File()] = None,
) -> HTMLResponse:
    check_rate(request)
    chosen = village_code.strip() or village
    form = {"village": chosen, "text": text, "reporter": reporter}
    try:
        content = photos.read(photo.filename, photo.file) if photo else None
        with session.begin_nested():
            matter = public_matters.submit(
                session,
                rules=governance_rules(),
                report_in=public_matters.ReportIn(chosen, text, reporter),
                photo=content,
            )
            reference = matter.reference
    except YunongError as error:
        if error.status_code != 422:
            raise
        return form_response(request, session, district, form, message=i18n.error_text(error))
    return render(request, session, "governance/report_done.html", reference=reference)


@router.get("/governance/public/report/follow", response_class=HTMLResponse)
def follow_report(request: Request, session: SessionDep, reference: str = "") -> HTMLResponse:
    """Follow a report by its reference: its state, class and feedback, nothing personal."""
    found = message = None
    if reference:
        try:
            found = public_matters.follow(
                session, scope=public_matters.PUBLIC, reference=reference[:20]
            )
        except YunongError as error:
            message = i18n.error_text(error)
    return render(
        request,
        session,
        "governance/report_follow.html",
        status_code=404 if message else 200,
        found=found,
        states=public_matters.STATE_LABELS,
        reference=reference[:20],
        message=message,
    )


@router.get("/governance/public/points/{village}", response_class=HTMLResponse)
def points_board(village: VillageCode, request: Request, session: SessionDep) -> HTMLResponse:
    """A village's published points, the heads' names masked."""
    board = points.public_board(session, scope=points.PUBLIC, village=village)
    return render(request, session, "governance/points_board.html", board=board)
