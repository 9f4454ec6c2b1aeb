"""Login and logout pages."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.auth import service as users
from yunong.core.auth.models import User
from yunong.store.db import transaction
from yunong.web.auth import LOGIN_REASONS, SentCsrf, WebSession, check_csrf, new_csrf, read_session
from yunong.web.deps import get_session
from yunong.web.layout import render
from yunong.web.views import safe_next

router = APIRouter(include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_page(
    request: Request,
    session: Annotated[Session, Depends(get_session)],
    next: str = "/",
    reason: str = "",
) -> HTMLResponse:
    read_session(request)
    reason = request.state.session_problem or reason
    message = LOGIN_REASONS.get(reason, "")
    return render(request, session, "login.html", next=safe_next(next), error=message)


@router.post("/login")
def login(
    request: Request,
    sent_csrf: SentCsrf,
    name: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next_page: Annotated[str, Form(alias="next")] = "/",
) -> Response:
    check_csrf(request, sent_csrf)
    # Its own transaction, committed even when the login is refused, so failures count.
    with transaction(request.app.state.sessions) as session:
        try:
            user = users.authenticate(session, name=name, password=password)
            error = ""
        except users.LoginRefused as refused:
            user, error = None, refused.message
    if user is None:
        with transaction(request.app.state.sessions) as session:
            return render(
                request,
                session,
                "login.html",
                status_code=401,
                next=safe_next(next_page),
                error=error,
                name=name,
            )
    # A new session (and CSRF token) at login, so a planted cookie cannot be carried over.
    request.state.web_session = WebSession(
        user_id=user.id, epoch=user.session_epoch, csrf=new_csrf(), changed=True
    )
    return RedirectResponse(safe_next(next_page), status_code=303)


@router.post("/logout")
def logout(request: Request, sent_csrf: SentCsrf) -> RedirectResponse:
    web_session = read_session(request)
    check_csrf(request, sent_csrf)
    if web_session.user_id is not None:
        with transaction(request.app.state.sessions) as session:
            user = session.get(User, web_session.user_id)
            if user is not None:
                audit.record(
                    session,
                    scope=users.scope_of(user),
                    action="logout",
                    target_type="user",
                    target_id=user.id,
                    region_code=user.region_code,
                )
    request.state.web_session = WebSession(csrf=new_csrf(), changed=True)
    return RedirectResponse("/login", status_code=303)
