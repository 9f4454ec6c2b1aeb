"""Login and logout pages."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from yunong.core.audit import service as audit
from yunong.core.auth import service as users
from yunong.core.auth import sessions as login_sessions
from yunong.store.db import transaction
from yunong.web.auth import LOGIN_REASONS, SentCsrf, WebSession, check_csrf, new_csrf, read_session
from yunong.web.deps import SessionDep
from yunong.web.layout import render
from yunong.web.views import safe_next

router = APIRouter(include_in_schema=False)


def client_address(request: Request) -> str:
    """Whom failed logins are counted against: the client's address."""
    return request.client.host if request.client else "unknown"


@router.get("/login", response_class=HTMLResponse)
def login_page(
    request: Request,
    session: SessionDep,
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
    previous = read_session(request).secret
    # Its own transaction, committed even when the login is refused, so failures count.
    with transaction(request.app.state.sessions) as session:
        try:
            user = users.authenticate(
                session, name=name, password=password, client=client_address(request)
            )
            error = ""
        except users.LoginRefused as refused:
            user, error = None, refused.message
        if user is not None:
            if previous is not None:
                login_sessions.end(session, secret=previous)
            secret = login_sessions.open_session(
                session, user=user, hours=request.app.state.settings.session_hours
            )
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
    request.state.web_session = WebSession(secret=secret, csrf=new_csrf(), changed=True)
    return RedirectResponse(safe_next(next_page), status_code=303)


@router.post("/logout")
def logout(request: Request, sent_csrf: SentCsrf) -> RedirectResponse:
    web_session = read_session(request)
    check_csrf(request, sent_csrf)
    if web_session.secret is not None:
        with transaction(request.app.state.sessions) as session:
            found = login_sessions.find(session, secret=web_session.secret)
            login_sessions.end(session, secret=web_session.secret)
            if found is not None:
                user = found[1]
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
