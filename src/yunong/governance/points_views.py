"""Pages of 积分制: the village's items, the entries waiting for review (with the review
forms), recording an entry with evidence, publishing a month, and a household's points with
its ledger and the points shop's redemption form."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from yunong.core.errors import YunongError
from yunong.core.parsing import parse_date
from yunong.core.scope import Scope
from yunong.governance import photos, points
from yunong.governance.indicators import governance_rules
from yunong.web import i18n
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep
from yunong.web.layout import render
from yunong.web.params import MAX_ID, RowId

router = APIRouter(include_in_schema=False)
SHOWN = (404, 409, 422)
"""Refusals said on the form; a household not found in scope still answers 404."""
HouseholdCode = Annotated[str, PathParam(max_length=20, description="农户的全农码")]
DONE = {
    "recorded": "积分已登记，待村干部审核",
    "approved": "已审核通过，待公布",
    "refused": "已审核不通过",
    "published": "已公布",
    "redeemed": "已兑换，积分已扣减",
    "reversed": "已冲正，原记录保留在台账中",
}


def may(scope: Scope, roles: frozenset) -> bool:
    return scope.can_write and (scope.role is None or scope.role in roles)


@router.get("/governance/points", response_class=HTMLResponse)
def points_page(
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    done: str = "",
    count: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> HTMLResponse:
    return points_response(request, session, scope, done=DONE.get(done, ""), count=count)


def points_response(
    request: Request,
    session: Session,
    scope: Scope,
    *,
    done: str = "",
    count: int = 0,
    message: str = "",
    status_code: int = 200,
    typed: dict[str, str] | None = None,
) -> HTMLResponse:
    total, waiting = points.waiting_review(session, scope=scope)
    return render(
        request,
        session,
        "governance/points.html",
        status_code=status_code,
        items=governance_rules().points_items,
        total=total,
        waiting=waiting,
        may_record=may(scope, points.RECORDERS),
        may_review=may(scope, points.REVIEWERS),
        village=scope.region_code if len(scope.prefix) == 12 else "",
        month=f"{date.today():%Y-%m}",
        done=done,
        count=count,
        message=message,
        typed=typed or {},
    )


@router.post("/governance/points/entries", response_model=None)
def record_entry(
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    household: Annotated[str, Form(max_length=32)] = "",
    item: Annotated[str, Form(max_length=60)] = "",
    note: Annotated[str, Form(max_length=300)] = "",
    recorded_on: Annotated[str, Form(max_length=20)] = "",
    village: Annotated[str, Form(max_length=12)] = "",
    photo: Annotated[UploadFile | None, File()] = None,
) -> Response:
    try:
        content = photos.read(photo.filename, photo.file) if photo else None
        with session.begin_nested():
            points.record(
                session,
                scope=scope,
                rules=governance_rules(),
                entry_in=points.EntryIn(
                    household,
                    item,
                    note,
                    parse_date(recorded_on) if recorded_on else None,
                    village,
                ),
                photo=content,
            )
    except YunongError as error:
        if error.status_code not in SHOWN:
            raise
        typed = {"household": household, "item": item, "note": note, "village": village}
        return points_response(
            request, session, scope, message=i18n.error_text(error),
            status_code=error.status_code, typed=typed,
        )  # fmt: skip
    return RedirectResponse("/governance/points?done=recorded", status_code=303)


@router.post("/governance/points/entries/{entry_id}/review", response_model=None)
def review_entry(
    entry_id: RowId,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    decision: Annotated[str, Form(max_length=10)] = "",
    reason: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        with session.begin_nested():
            entry = points.review(
                session, scope=scope, entry_id=entry_id, approve=decision == "approve",
                reason=reason,
            )  # fmt: skip
            state = entry.state
    except YunongError as error:
        if error.status_code not in (409, 422):
            raise
        return points_response(
            request, session, scope, message=i18n.error_text(error),
            status_code=error.status_code,
        )  # fmt: skip
    return RedirectResponse(f"/governance/points?done={state}", status_code=303)


@router.get("/governance/points/entries/{entry_id}/photo")
def entry_photo(entry_id: RowId, session: SessionDep, scope: ScopeDep) -> Response:
    content = points.photo_of(session, scope=scope, entry_id=entry_id)
    return Response(content, media_type="image/jpeg", headers={"Cache-Control": "private"})


@router.post("/governance/points/publish", response_model=None)
def publish_month(
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    village: Annotated[str, Form(max_length=12)] = "",
    month: Annotated[str, Form(max_length=7)] = "",
) -> Response:
    try:
        with session.begin_nested():
            count = points.publish(
                session, scope=scope, village=village or scope.region_code, month=month
            )
    except YunongError as error:
        if error.status_code not in (409, 422):
            raise
        return points_response(
            request, session, scope, message=i18n.error_text(error),
            status_code=error.status_code,
        )  # fmt: skip
    return RedirectResponse(f"/governance/points?done=published&count={count}", 303)


@router.get("/governance/points/households/{code}", response_class=HTMLResponse)
def household_points(
    code: HouseholdCode, request: Request, session: SessionDep, scope: ScopeDep, done: str = ""
) -> HTMLResponse:
    return household_response(request, session, scope, code, done=DONE.get(done, ""))


def household_response(
    request: Request,
    session: Session,
    scope: Scope,
    code: str,
    *,
    done: str = "",
    message: str = "",
    status_code: int = 422,
    typed: dict[str, str] | None = None,
) -> HTMLResponse:
    return render(
        request,
        session,
        "governance/points_household.html",
        status_code=status_code if message else 200,
        found=points.household_view(session, scope=scope, code=code),
        states=points.STATE_LABELS,
        kinds=points.LEDGER_LABELS,
        may_redeem=may(scope, points.REVIEWERS),
        done=done,
        message=message,
        typed=typed or {},
    )


@router.post("/governance/points/households/{code}/redeem", response_model=None)
def redeem(
    code: HouseholdCode,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    item: Annotated[str, Form(max_length=60)] = "",
    value: Annotated[int, Form(alias="points", ge=0, le=1_000_000)] = 0,
) -> Response:
    try:
        with session.begin_nested():
            points.redeem(session, scope=scope, household=code, item=item, points=value)
    except YunongError as error:
        if error.status_code not in (409, 422):
            raise
        return household_response(request, session, scope, code, message=i18n.error_text(error))
    return RedirectResponse(f"/governance/points/households/{code}?done=redeemed", 303)


@router.post("/governance/points/households/{code}/reverse", response_model=None)
def reverse(
    code: HouseholdCode,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    ledger: Annotated[int, Form(ge=0, le=2_147_483_647)] = 0,
    note: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """A village cadre corrects a ledger row of the household by a reversing entry."""
    try:
        with session.begin_nested():
            points.reverse(session, scope=scope, ledger_id=ledger, note=note, household=code)
    except YunongError as error:
        if error.status_code not in SHOWN:
            raise
        typed = {"ledger": str(ledger), "note": note}
        return household_response(
            request, session, scope, code, message=i18n.error_text(error),
            status_code=error.status_code, typed=typed,
        )  # fmt: skip
    return RedirectResponse(f"/governance/points/households/{code}?done=reversed", 303)
