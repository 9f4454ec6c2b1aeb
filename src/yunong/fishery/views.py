"""Pages of 长江治渔: the overview, ban zones, teams and patrols with their tracks, coverage,
the public tip page (no login, phone-first, rate-limited) and its follow-up, the district's
tips and the cases from finding to closure, and the retired fishers with their visits."""

import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from yunong.core.errors import InvalidValue, YunongError
from yunong.core.parsing import parse_date
from yunong.core.scope import Scope
from yunong.fishery import cases, coverage, fishers, lists, overview, teams, tips, tracks
from yunong.fishery import map_layer as map_layer  # registers the layers of the one map
from yunong.fishery.indicators import fishery_rules
from yunong.monitor import visit_photos
from yunong.web import i18n
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep
from yunong.web.layout import render
from yunong.web.listing import list_view, page_of, scope_of
from yunong.web.params import FormRowId, RowId
from yunong.web.ratelimit import TooManyRequests, limiter

router = APIRouter(include_in_schema=False)
CaseNumber = Annotated[str, PathParam(max_length=24, description="案件编号")]
SHOWN_ON_FORM = (409, 422)
TIPS_PER_MINUTE = 3
"""A person reports once; a few tries a minute per address leave room for typing mistakes."""
DONE = {
    "team": "护渔队已新建",
    "case": "已立案，案件进入办理",
    "dismissed": "举报已答复",
    "seized": "已记录收缴的渔具，待区县移交执法或办结",
    "handed_over": "已记录移交，待区县办结",
    "closed": "案件已办结",
    "visit": "回访已记录",
    "member": "队员已登记",
    "removed": "队员已移出",
}


def check_rate(request: Request) -> None:
    key = request.client.host if request.client else "unknown"
    if not limiter(request.app, "fishery.tip", TIPS_PER_MINUTE).allow(key):
        raise TooManyRequests("提交过于频繁，请一分钟后再试")


@router.get("/fishery", response_class=HTMLResponse)
def fishery_overview(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    found = overview.get(session, scope=scope, rules=fishery_rules(), today=date.today())
    return render(request, session, "fishery/overview.html", overview=found)


@router.get("/fishery/zones", response_class=HTMLResponse)
def zone_list(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    page = page_of(request, lists.ZONES)
    found = lists.get_zones(session, scope=scope_of(request, session, scope, page), page=page)
    return render(
        request,
        session,
        "fishery/zones.html",
        view=list_view(request, session, scope, found, lists.ZONES),
    )


@router.get("/fishery/patrols", response_class=HTMLResponse)
def patrol_list(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    page = page_of(request, lists.PATROLS)
    found = lists.get_patrols(session, scope=scope_of(request, session, scope, page), page=page)
    return render(
        request,
        session,
        "fishery/patrols.html",
        view=list_view(request, session, scope, found, lists.PATROLS),
    )


@router.get("/fishery/patrols/new", response_class=HTMLResponse)
def patrol_form(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    """Record a patrol on a phone: the page keeps the phone's positions while it is open."""
    return patrol_form_response(request, session, scope)


def patrol_form_response(
    request: Request, session: Session, scope: Scope, *, message: str = ""
) -> HTMLResponse:
    return render(
        request,
        session,
        "fishery/patrol_new.html",
        status_code=422 if message else 200,
        teams=teams.get_all(session, scope=scope),
        message=message,
    )


@router.post("/fishery/patrols", response_model=None)
def record_patrol(
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    team: FormRowId,
    track: Annotated[str, Form(max_length=2_000_000)] = "",
    finding: Annotated[str, Form(max_length=2000)] = "",
    place: Annotated[str, Form(max_length=100)] = "",
    photo: Annotated[UploadFile | None, File()] = None,
) -> Response:
    try:
        content = read_photo(photo)
        with session.begin_nested():
            recorded = tracks.record_from_phone(
                session,
                scope=scope,
                patrol_in=tracks.PhonePatrol(team, track, finding, place, content),
            )
    except YunongError as error:
        if error.status_code not in SHOWN_ON_FORM:
            raise
        return patrol_form_response(request, session, scope, message=i18n.error_text(error))
    if recorded.case_number:
        return RedirectResponse(f"/fishery/cases/{recorded.case_number}?done=case", 303)
    return RedirectResponse(f"/fishery/patrols/{recorded.patrol.id}", status_code=303)


@router.get("/fishery/patrols/{patrol_id}", response_class=HTMLResponse)
def patrol_page(
    patrol_id: RowId, request: Request, session: SessionDep, scope: ScopeDep
) -> HTMLResponse:
    found = overview.patrol(session, scope=scope, patrol_id=patrol_id)
    return render(request, session, "fishery/patrol.html", found=found)


@router.get("/fishery/patrols/{patrol_id}/photo")
def patrol_photo(patrol_id: RowId, session: SessionDep, scope: ScopeDep) -> Response:
    content = overview.patrol_photo(session, scope=scope, patrol_id=patrol_id)
    return Response(content, media_type="image/jpeg", headers={"Cache-Control": "private"})


@router.get("/fishery/coverage", response_class=HTMLResponse)
def coverage_page(
    request: Request, session: SessionDep, scope: ScopeDep, month: str = ""
) -> HTMLResponse:
    rows = coverage.by_zone_month(session, scope=scope, month=month[:7] or None)
    return render(request, session, "fishery/coverage.html", rows=rows, month=month[:7])


@router.get("/fishery/teams", response_class=HTMLResponse)
def team_page(
    request: Request, session: SessionDep, scope: ScopeDep, done: str = ""
) -> HTMLResponse:
    return teams_response(request, session, scope, done=DONE.get(done, ""))


def teams_response(
    request: Request,
    session: Session,
    scope: Scope,
    *,
    done: str = "",
    message: str = "",
    typed: dict[str, str] | None = None,
) -> HTMLResponse:
    return render(
        request,
        session,
        "fishery/teams.html",
        status_code=422 if message else 200,
        teams=teams.get_all(session, scope=scope),
        may_add=scope.can_write and scope.role in teams.ADDING,
        done=done,
        message=message,
        typed=typed or {},
    )


@router.post("/fishery/teams", response_model=None)
def add_team(
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    name: Annotated[str, Form(max_length=60)] = "",
    region: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    try:
        with session.begin_nested():
            teams.check_may_add(scope)
            teams.create(session, scope=scope, name=name, region_code=region or scope.region_code)
    except YunongError as error:
        if error.status_code not in SHOWN_ON_FORM:
            raise
        typed = {"name": name, "region": region}
        return teams_response(request, session, scope, message=i18n.error_text(error), typed=typed)
    return RedirectResponse("/fishery/teams?done=team", status_code=303)


@router.get("/fishery/teams/{team_id}", response_class=HTMLResponse)
def team_members(
    team_id: RowId, request: Request, session: SessionDep, scope: ScopeDep, done: str = ""
) -> HTMLResponse:
    return team_response(request, session, scope, team_id, done=DONE.get(done, ""))


def team_response(
    request: Request,
    session: Session,
    scope: Scope,
    team_id: int,
    *,
    done: str = "",
    message: str = "",
    typed: dict[str, str] | None = None,
) -> HTMLResponse:
    return render(
        request,
        session,
        "fishery/team.html",
        status_code=422 if message else 200,
        found=teams.view(session, scope=scope, team_id=team_id),
        roles=teams.MEMBER_ROLES,
        done=done,
        message=message,
        typed=typed or {},
    )


@router.post("/fishery/teams/{team_id}/members", response_model=None)
def add_team_member(
    team_id: RowId,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    name: Annotated[str, Form(max_length=40)] = "",
    phone: Annotated[str, Form(max_length=20)] = "",
    role: Annotated[str, Form(max_length=8)] = "",
    starts_on: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    try:
        with session.begin_nested():
            team = teams.get(session, scope=scope, team_id=team_id)
            teams.add_member(
                session,
                scope=scope,
                team=team,
                member_in=teams.MemberIn(name, phone, role, starts_on),
            )
    except YunongError as error:
        if error.status_code not in SHOWN_ON_FORM:
            raise
        typed = {"name": name, "phone": phone, "role": role, "starts_on": starts_on}
        return team_response(
            request, session, scope, team_id, message=i18n.error_text(error), typed=typed
        )
    return RedirectResponse(f"/fishery/teams/{team_id}?done=member", status_code=303)


@router.post("/fishery/teams/{team_id}/members/remove", response_model=None)
def remove_team_member(
    team_id: RowId,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    name: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    with session.begin_nested():
        team = teams.get(session, scope=scope, team_id=team_id)
        teams.remove_member(session, scope=scope, team=team, name=name)
    return RedirectResponse(f"/fishery/teams/{team_id}?done=removed", status_code=303)


# ---- public tips ----


@router.get("/fishery/tip-off", response_class=HTMLResponse)
def tip_form(request: Request, session: SessionDep) -> HTMLResponse:
    """The public tip page (no login), made for a phone."""
    return render(
        request, session, "fishery/tip_form.html", districts=tips.districts(session), form={}
    )


@router.post("/fishery/tip-off", response_class=HTMLResponse)
def submit_tip(
    request: Request,
    session: SessionDep,
    district: Annotated[str, Form(max_length=12)] = "",
    text: Annotated[str, Form(max_length=2000)] = "",
    place: Annotated[str, Form(max_length=100)] = "",
    lon: Annotated[str, Form(max_length=20)] = "",
    lat: Annotated[str, Form(max_length=20)] = "",
    phone: Annotated[str, Form(max_length=20)] = "",
    photo: Annotated[UploadFile | None, File()] = None,
) -> HTMLResponse:
    check_rate(request)
    form = {"district": district, "text": text, "place": place, "phone": phone}
    try:
        content = read_photo(photo)
        with session.begin_nested():
            tip = tips.submit(
                session,
                tip_in=tips.TipIn(district, text, place, lon, lat, phone),
                photo=content,
                photo_type="image/jpeg" if content else "",
            )
    except YunongError as error:
        if error.status_code not in SHOWN_ON_FORM:
            raise
        return render(
            request,
            session,
            "fishery/tip_form.html",
            status_code=422,
            districts=tips.districts(session),
            form=form,
            message=i18n.error_text(error),
        )
    return render(request, session, "fishery/tip_done.html", reference=tip.reference)


def read_photo(upload: UploadFile | None) -> bytes | None:
    """The photo checked, scaled and re-encoded as JPEG without metadata, within the limit."""
    if upload is None or not upload.filename:
        return None
    limit = visit_photos.PHOTO_LIMITS.max_bytes
    suffix = Path(upload.filename).suffix.lower()
    if suffix not in visit_photos.SUFFIXES:
        raise InvalidValue("照片应为 JPEG、PNG 或 WebP 图片")
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        raise InvalidValue("照片超过 {mb} MB", mb=limit // (1024 * 1024))
    with tempfile.TemporaryDirectory(prefix="yunong-tip-") as folder:
        path = Path(folder) / ("photo" + suffix)
        path.write_bytes(data)
        return visit_photos.normalise(path).content


@router.get("/fishery/tip-off/follow", response_class=HTMLResponse)
def follow_tip(request: Request, session: SessionDep, reference: str = "") -> HTMLResponse:
    """Follow a tip by its reference: its status and the reply, nothing personal."""
    found = message = None
    if reference:
        try:
            found = tips.follow(session, scope=tips.PUBLIC, reference=reference[:20])
        except YunongError as error:
            message = i18n.error_text(error)
    return render(
        request,
        session,
        "fishery/tip_follow.html",
        status_code=404 if message else 200,
        found=found,
        status_labels=tips.STATUS_LABELS,
        reference=reference[:20],
        message=message,
    )


# ---- tips and cases of the district ----


@router.get("/fishery/tips", response_class=HTMLResponse)
def tip_list(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    page = page_of(request, lists.TIPS)
    found = lists.get_tips(session, scope=scope_of(request, session, scope, page), page=page)
    return render(
        request,
        session,
        "fishery/tips.html",
        view=list_view(request, session, scope, found, lists.TIPS),
    )


@router.get("/fishery/tips/{tip_id}", response_class=HTMLResponse)
def tip_page(
    tip_id: RowId, request: Request, session: SessionDep, scope: ScopeDep, done: str = ""
) -> HTMLResponse:
    return tip_response(request, session, scope, tip_id, done=DONE.get(done, ""))


def tip_response(
    request: Request,
    session: Session,
    scope: Scope,
    tip_id: int,
    *,
    done: str = "",
    message: str = "",
) -> HTMLResponse:
    found = tips.view(
        session, scope=scope, tip_id=tip_id, answer_days=fishery_rules().tip_answer_days
    )
    return render(
        request,
        session,
        "fishery/tip.html",
        status_code=422 if message else 200,
        found=found,
        status_labels=tips.STATUS_LABELS,
        today=date.today(),
        done=done,
        message=message,
    )


@router.get("/fishery/tips/{tip_id}/photo")
def tip_photo(tip_id: RowId, session: SessionDep, scope: ScopeDep) -> Response:
    content = tips.photo_of(session, scope=scope, tip_id=tip_id)
    return Response(content, media_type="image/jpeg", headers={"Cache-Control": "private"})


@router.post("/fishery/tips/{tip_id}/case", response_model=None)
def tip_to_case(
    tip_id: RowId,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    found_on: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    try:
        with session.begin_nested():
            case = cases.open_from_tip(
                session,
                scope=scope,
                tip_id=tip_id,
                found_on=parse_date(found_on) if found_on else date.today(),
            )
            number = case.number
    except YunongError as error:
        if error.status_code not in SHOWN_ON_FORM:
            raise
        return tip_response(request, session, scope, tip_id, message=i18n.error_text(error))
    return RedirectResponse(f"/fishery/cases/{number}?done=case", status_code=303)


@router.post("/fishery/tips/{tip_id}/dismiss", response_model=None)
def dismiss_tip(
    tip_id: RowId,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    reply: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    try:
        with session.begin_nested():
            tips.dismiss(session, scope=scope, tip_id=tip_id, reply=reply)
    except YunongError as error:
        if error.status_code not in SHOWN_ON_FORM:
            raise
        return tip_response(request, session, scope, tip_id, message=i18n.error_text(error))
    return RedirectResponse(f"/fishery/tips/{tip_id}?done=dismissed", status_code=303)


@router.get("/fishery/cases", response_class=HTMLResponse)
def case_list(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    page = page_of(request, lists.CASES)
    found = lists.get_cases(session, scope=scope_of(request, session, scope, page), page=page)
    return render(
        request,
        session,
        "fishery/cases.html",
        view=list_view(request, session, scope, found, lists.CASES),
    )


@router.get("/fishery/cases/{number}", response_class=HTMLResponse)
def case_page(
    number: CaseNumber,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    done: str = "",
) -> HTMLResponse:
    return case_response(request, session, scope, number, done=DONE.get(done, ""))


def case_response(
    request: Request,
    session: Session,
    scope: Scope,
    number: str,
    *,
    done: str = "",
    message: str = "",
) -> HTMLResponse:
    found = cases.view(session, scope=scope, number=number)
    return render(
        request,
        session,
        "fishery/case.html",
        status_code=422 if message else 200,
        found=found,
        labels=cases.STEP_LABELS,
        fields=cases.STEP_FIELD,
        done=done,
        message=message,
    )


@router.post("/fishery/cases/{number}/steps", response_model=None)
def case_step(
    number: CaseNumber,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    step: Annotated[str, Form(max_length=20)] = "",
    text: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    try:
        with session.begin_nested():
            cases.take(session, scope=scope, number=number, step=step, text=text)
    except YunongError as error:
        if error.status_code not in SHOWN_ON_FORM:
            raise
        return case_response(request, session, scope, number, message=i18n.error_text(error))
    return RedirectResponse(f"/fishery/cases/{number}?done={step}", status_code=303)


# ---- retired fishers ----


@router.get("/fishery/fishers", response_class=HTMLResponse)
def fisher_list(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    page = page_of(request, lists.FISHERS)
    found = lists.get_fishers(session, scope=scope_of(request, session, scope, page), page=page)
    return render(
        request,
        session,
        "fishery/fishers.html",
        view=list_view(request, session, scope, found, lists.FISHERS),
    )


@router.get("/fishery/fishers/{fisher_id}", response_class=HTMLResponse)
def fisher_page(
    fisher_id: RowId, request: Request, session: SessionDep, scope: ScopeDep, done: str = ""
) -> HTMLResponse:
    return fisher_response(request, session, scope, fisher_id, done=DONE.get(done, ""))


def fisher_response(
    request: Request,
    session: Session,
    scope: Scope,
    fisher_id: int,
    *,
    done: str = "",
    message: str = "",
) -> HTMLResponse:
    found = fishers.view(session, scope=scope, fisher_id=fisher_id)
    return render(
        request,
        session,
        "fishery/fisher.html",
        status_code=422 if message else 200,
        found=found,
        employment=fishers.EMPLOYMENT_LABELS,
        insurance=fishers.INSURANCE_LABELS,
        today=date.today(),
        done=done,
        message=message,
    )


@router.post("/fishery/fishers/{fisher_id}/visits", response_model=None)
def fisher_visit(
    fisher_id: RowId,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    visited_on: Annotated[str, Form(max_length=20)] = "",
    employment: Annotated[str, Form(max_length=20)] = "",
    insured: Annotated[str, Form(max_length=5)] = "",
    note: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    try:
        with session.begin_nested():
            fishers.visit(
                session,
                scope=scope,
                fisher_id=fisher_id,
                visited_on=parse_date(visited_on) if visited_on else date.today(),
                employment=employment,
                insured=insured == "yes",
                note=note,
            )
    except YunongError as error:
        if error.status_code not in SHOWN_ON_FORM:
            raise
        return fisher_response(request, session, scope, fisher_id, message=i18n.error_text(error))
    return RedirectResponse(f"/fishery/fishers/{fisher_id}?done=visit", status_code=303)
