"""Server-side login sessions: opened at login, found for each request, ended at logout and
whenever the user's password, role or standing changes."""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from yunong.core.auth.models import LoginSession, User
from yunong.store.base import utcnow

ENDED_BY_LOGOUT = "logout"
ENDED_BY_PASSWORD = "password"
ENDED_BY_DISABLE = "disabled"
ENDED_BY_ROLE = "role"
KEPT = timedelta(days=30)
"""How long a user's expired or ended sessions stay on record after they expire."""


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def open_session(session: Session, *, user: User, hours: int) -> str:
    """Open a session for ``user``; returns its secret, which only the cookie keeps."""
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    session.execute(
        delete(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.expires_at < now - KEPT)
        .execution_options(synchronize_session=False)
    )
    session.add(
        LoginSession(
            user_id=user.id,
            token_digest=digest(secret),
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    session.flush()
    return secret


def find(
    session: Session, *, secret: str, now: datetime | None = None
) -> tuple[LoginSession, User] | None:
    """The open session named by ``secret`` and its active user, or None."""
    found = session.execute(
        select(LoginSession, User)
        .join(User, User.id == LoginSession.user_id)
        .where(
            LoginSession.token_digest == digest(secret),
            LoginSession.ended_at.is_(None),
            LoginSession.expires_at > (now or utcnow()),
            User.disabled.is_(False),
        )
    ).first()
    return None if found is None else (found[0], found[1])


def end(session: Session, *, secret: str, reason: str = ENDED_BY_LOGOUT) -> None:
    """End the one session named by ``secret`` (logging out)."""
    session.execute(
        update(LoginSession)
        .where(LoginSession.token_digest == digest(secret), LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
        .execution_options(synchronize_session=False)
    )


def end_all(session: Session, *, user_id: int, reason: str) -> int:
    """End every open session of a user; returns how many were open."""
    result = session.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user_id, LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def view_region(session: Session, *, secret: str, region_code: str) -> None:
    """Remember the region the user switched to, for the rest of the session."""
    session.execute(
        update(LoginSession)
        .where(LoginSession.token_digest == digest(secret))
        .values(region_code=region_code)
        .execution_options(synchronize_session=False)
    )
