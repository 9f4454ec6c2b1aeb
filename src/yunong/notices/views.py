"""Pages of 通知公告: the list (with the 发布通知 form for the offices that publish), and a
notice's page, whose opening is the reader's receipt and which shows its office who has read it."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.notices import lists, receipts, service
from yunong.notices.service import NoticeIn, Refused
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep
from yunong.web.layout import render
from yunong.web.listing import list_view, page_of
from yunong.web.params import RowId

router = APIRouter(include_in_schema=False)


@router.get("/notices", response_class=HTMLResponse)
def notice_list(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    """The notices sent to the caller or inside their scope, newest first."""
    return list_page(request, session, scope)


def list_page(
    request: Request,
    session: Session,
    scope: Scope,
    *,
    typed: NoticeIn | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    page = page_of(request, lists.NOTICES)
    found = lists.get_notices(session, scope=scope, page=page)
    return render(
        request,
        session,
        "notices/list.html",
        status_code=status_code,
        view=list_view(request, session, scope, found, lists.NOTICES),
        may_publish=service.may_publish(scope),
        publish_to=service.home_region(session, scope),
        roles=list(service.ADDRESSED),
        typed=typed or NoticeIn("", ""),
        errors=errors or {},
        title_length=service.TITLE_LENGTH,
        body_length=service.BODY_LENGTH,
        today=service.today().isoformat(),
    )


@router.post("/notices", response_model=None)
def publish(
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    title: Annotated[str, Form(max_length=1000)] = "",
    body: Annotated[str, Form(max_length=20000)] = "",
    roles: Annotated[list[str] | None, Form(max_length=20)] = None,
    due_on: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Publish to the caller's region; a refused notice shows the form again with what was
    typed and the reason next to each field."""
    typed = NoticeIn(title, body, tuple(roles or ()), due_on)
    try:
        notice = service.publish(session, scope=scope, notice_in=typed, today=service.today())
    except Refused as refused:
        session.rollback()
        return list_page(
            request, session, scope, typed=typed, errors=refused.errors, status_code=422
        )
    return RedirectResponse(f"/notices/{notice.id}?done=published", status_code=303)


@router.get("/notices/{notice_id}", response_class=HTMLResponse)
def notice_page(
    notice_id: RowId,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    done: str | None = None,
) -> HTMLResponse:
    """The notice; opening it signs for it. Its office sees who has read it."""
    opened = service.open_notice(session, scope=scope, notice_id=notice_id)
    notice = opened.notice
    followed = (
        receipts.summarise(session, scope=scope, notice=notice, roles=opened.roles)
        if receipts.may_follow(scope, notice)
        else None
    )
    return render(
        request,
        session,
        "notices/notice.html",
        opened=opened,
        notice=notice,
        sent_to=service.region_of(session, notice),
        published_at=service.in_china(notice.published_at),
        role_labels=[Role(role).label for role in opened.roles],
        every_role=len(opened.roles) == len(service.ADDRESSED),
        receipts=followed,
        published=done == "published",
    )
