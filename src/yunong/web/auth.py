"""Who is calling: the signed session cookie for people, bearer tokens for machines.

The cookie carries only the secret that names a server-side login session
(see core/auth/sessions.py) and a CSRF token, signed with a timestamp so it
expires. Logging out, a password or role change and disabling the account end
the session on the server, so a copied cookie stops working at once. A forged
or tampered cookie, a bad token and a forged CSRF token are refused and
recorded in the audit trail.
"""

import math
import secrets
import time
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.auth import service as users
from yunong.core.auth import sessions as login_sessions
from yunong.core.auth.models import User
from yunong.core.errors import Forbidden, YunongError
from yunong.core.regions.codes import CITY_CODE
from yunong.core.scope import OutOfScope, ReadOnly, Scope
from yunong.store.db import transaction
from yunong.web import refusals as refusals_seen
from yunong.web.deps import SessionDep

COOKIE = "yunong_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
CITY = CITY_CODE


LOGIN_REASONS = {
    "required": "请先登录",
    "expired": "会话已过期，请重新登录",
    "invalid": "会话无效，请重新登录",
}


class NotAuthenticated(YunongError):
    status_code = 401

    def __init__(self, reason: str = "required", message: str | None = None) -> None:
        super().__init__(message or LOGIN_REASONS[reason])
        self.reason = reason


class CsrfRefused(Forbidden):
    pass


@dataclass
class WebSession:
    """What the cookie holds (the login session's secret and the CSRF token), and what the
    login session on the server says once it is found; ``changed`` tells the response to
    write the cookie back."""

    secret: str | None = None
    csrf: str = ""
    changed: bool = False
    user_id: int | None = None
    region: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"sid": self.secret, "csrf": self.csrf}


def new_csrf() -> str:
    return secrets.token_urlsafe(24)


def serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.settings.signing_key(), salt="session")


def read_session(request: Request) -> WebSession:
    """The request's session, read once; problems with the cookie are raised once too."""
    if hasattr(request.state, "web_session"):
        return request.state.web_session
    raw = request.cookies.get(COOKIE)
    web_session, problem = WebSession(csrf=new_csrf(), changed=True), None
    if raw:
        max_age = request.app.state.settings.session_hours * 3600
        try:
            data = serializer(request).loads(raw, max_age=max_age)
            secret = data.get("sid") if isinstance(data, dict) else None
            web_session = WebSession(
                secret=secret if isinstance(secret, str) and secret else None,
                csrf=data.get("csrf") or web_session.csrf,
            )
        except SignatureExpired:
            problem = "expired"
        except BadSignature:
            record_refusal(request, "session.tampered", "会话 Cookie 签名无效")
            problem = "invalid"
    request.state.web_session = web_session
    request.state.session_problem = problem
    return web_session


def write_session(request: Request, response: Response) -> None:
    """Set the cookie when the session changed during the request."""
    web_session: WebSession | None = getattr(request.state, "web_session", None)
    if web_session is None or not web_session.changed:
        return
    settings = request.app.state.settings
    response.set_cookie(
        COOKIE,
        serializer(request).dumps(web_session.as_dict()),
        max_age=settings.session_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        path="/",
    )


def record_refusal(
    request: Request,
    action: str,
    detail: str,
    actor: str = "anonymous",
    region_code: str | None = None,
) -> None:
    """Note a refused request; it is written when the request's own transaction has ended."""
    if not hasattr(request.state, "refusals"):
        request.state.refusals = []
    request.state.refusals.append(
        {
            "actor": actor[:64],
            "action": action,
            "detail": detail,
            "region_code": region_code,
            "path": request.url.path[:64],
        }
    )


def write_refusals(request: Request) -> None:
    """Append the request's refusals to the audit trail in a transaction of their own.

    The request's transaction rolls back on refusal (and on SQLite holds the
    write lock while open), so refusals cannot be written inside it. Repeats of a
    refusal from the same client within a minute are counted, not written (see
    web/refusals.py); any request may be the one that writes a closed minute's count.
    """
    refusals = getattr(request.state, "refusals", [])
    tally = refusals_seen.tally_of(request)
    if not refusals and not tally.due():
        return
    request.state.refusals = []
    written = tally.admit(refusals_seen.client_of(request), refusals)
    if not written:
        return
    with transaction(request.app.state.sessions) as session:
        for refusal in written:
            audit.record(
                session,
                scope=Scope(actor=refusal["actor"], region_code=CITY),
                action=refusal["action"],
                target_type="request",
                target_id=refusal["path"],
                # Refusals of callers without a region of their own are kept at city level.
                region_code=refusal["region_code"] or CITY,
                detail=refusal["detail"],
            )


def note_refusal(request: Request, error: YunongError) -> None:
    """Record a request refused outside the caller's scope (404) or role (403); a CSRF
    refusal was recorded where it was found."""
    if isinstance(error, OutOfScope | ReadOnly):
        action = "scope.refused"
    elif isinstance(error, Forbidden) and not isinstance(error, CsrfRefused):
        action = "access.refused"
    else:
        return
    scope = getattr(request.state, "scope", None)
    record_refusal(
        request,
        action,
        error.message,
        actor=scope.actor if scope else "anonymous",
        region_code=scope.region_code if scope else None,
    )


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def current_user(request: Request, session: Session, sent_csrf: str) -> User:
    """The authenticated user, by bearer token or by session cookie (with CSRF on writes)."""
    token = bearer_token(request)
    if token is not None:
        if token_use_due(token):
            # First in the transaction, so that a request which only reads and began
            # deferred turns into a writing one before it has read anything.
            users.record_token_use(session, token=token)
        user = users.get_by_token(session, token=token)
        if user is None:
            record_refusal(request, "token.refused", "API 令牌无效、已过期或已吊销")
            raise NotAuthenticated("invalid", "API 令牌无效、已过期或已吊销")
        return user
    web_session = read_session(request)
    if request.state.session_problem:
        raise NotAuthenticated(request.state.session_problem)
    found = login_sessions.find(session, secret=web_session.secret) if web_session.secret else None
    if found is None:
        raise NotAuthenticated("required" if web_session.secret is None else "expired")
    record, user = found
    web_session.user_id, web_session.region = user.id, record.region_code
    if request.method in UNSAFE_METHODS:
        check_csrf(request, sent_csrf, actor=user.name, region_code=user.region_code)
    return user


TOKEN_USES: dict[str, float] = {}
"""When this process last noted each token's use (by digest, monotonic seconds)."""


def token_use_due(token: str) -> bool:
    """Whether this process should note the token's use now: a few times an hour at most,
    so that requests which only read seldom need the write lock for it."""
    now, key = time.monotonic(), users.token_digest(token)
    if now - TOKEN_USES.get(key, -math.inf) < users.TOKEN_USE_STEP.total_seconds():
        return False
    TOKEN_USES[key] = now
    return True


def check_csrf(
    request: Request, sent: str, *, actor: str = "anonymous", region_code: str | None = None
) -> None:
    """A cookie-authenticated write must echo the session's CSRF token."""
    expected = read_session(request).csrf
    if not sent or not secrets.compare_digest(sent, expected):
        record_refusal(
            request, "csrf.refused", "CSRF 令牌不符", actor=actor, region_code=region_code
        )
        raise CsrfRefused("表单已失效（CSRF 校验失败），请刷新页面后重试")


async def sent_csrf_token(request: Request) -> str:
    """The CSRF token a write sent, in the X-CSRF-Token header or the form's hidden field."""
    if request.method not in UNSAFE_METHODS:
        return ""
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return str((await request.form()).get(CSRF_FIELD, ""))
    return ""


SentCsrf = Annotated[str, Depends(sent_csrf_token)]


def get_user(request: Request, session: SessionDep, sent_csrf: SentCsrf) -> User:
    user = current_user(request, session, sent_csrf)
    remember_viewer(request, user)
    return user


def remember_viewer(request: Request, user: User) -> None:
    """Keep who is asking as plain values: error pages render after the session rolled back."""
    request.state.scope = users.scope_of(user)
    request.state.display_name = user.full_name or user.name


def note_viewer(request: Request, session: SessionDep) -> None:
    """On a public page, whoever is signed in on this browser, so that its header names them
    and keeps their menu instead of offering a login; nobody is refused here."""
    web_session = read_session(request)
    if request.state.session_problem or not web_session.secret:
        return
    found = login_sessions.find(session, secret=web_session.secret)
    if found is not None:
        remember_viewer(request, found[1])


def get_scope(user: Annotated[User, Depends(get_user)]) -> Scope:
    return users.scope_of(user)


ScopeDep = Annotated[Scope, Depends(get_scope)]
ViewerDep = Depends(note_viewer)
"""For a public page's route: ``dependencies=[ViewerDep]``."""
UserDep = Annotated[User, Depends(get_user)]
