"""Failed logins counted per account name and client, with a lock that doubles each time.

Five wrong passwords from one client lock that name for that client only: for one minute,
then two, four and so on up to a day. Other clients, the account's owner among them, can
still log in. A right password ends the count. Unknown names are counted the same way,
so that a lock does not tell whether a name exists.
"""

import hashlib
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from yunong.core.auth.models import LoginThrottle

FREE_FAILURES = 5
FIRST_LOCK = timedelta(minutes=1)
LONGEST_LOCK = timedelta(days=1)
FORGOTTEN_AFTER = timedelta(days=1)
"""Counters with no failure for this long (and no lock running) are dropped."""


def as_aware(moment: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; every stored time is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def client_key(address: str) -> str:
    """The client as stored: a digest of its address, not the address."""
    return hashlib.sha256(address.encode()).hexdigest()[:32]


def lock_for(failures: int) -> timedelta:
    """How long the lock lasts after the ``failures``-th failure in a row (none before
    the fifth)."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(FIRST_LOCK * 2 ** min(failures - FREE_FAILURES, 20), LONGEST_LOCK)


def get(session: Session, *, account: str, client: str) -> LoginThrottle | None:
    return session.get(LoginThrottle, (account[:64], client_key(client)))


def locked_until(session: Session, *, account: str, client: str, now: datetime) -> datetime | None:
    """When the lock on this name for this client ends, if it is locked now."""
    found = get(session, account=account, client=client)
    until = as_aware(found.locked_until) if found is not None else None
    return until if until is not None and until > now else None


def count_failure(session: Session, *, account: str, client: str, now: datetime) -> LoginThrottle:
    """Count one more failure; from the fifth on, (re)lock for a doubling time."""
    found = get(session, account=account, client=client)
    if found is None:
        forget_stale(session, now=now)
        found = LoginThrottle(account=account[:64], client=client_key(client), failures=0)
        session.add(found)
    found.failures += 1
    found.last_failed_at = now
    lock = lock_for(found.failures)
    found.locked_until = now + lock if lock else None
    session.flush()
    return found


def clear(session: Session, *, account: str, client: str) -> None:
    session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.account == account[:64], LoginThrottle.client == client_key(client)
        )
    )


def forget_stale(session: Session, *, now: datetime) -> None:
    """Drop counters idle for a day whose lock has run out, so guessed names do not pile up."""
    stale = select(LoginThrottle.account).where(
        LoginThrottle.last_failed_at < now - FORGOTTEN_AFTER
    )
    if session.scalars(stale.limit(1)).first() is None:
        return
    session.execute(
        delete(LoginThrottle)
        .where(
            LoginThrottle.last_failed_at < now - FORGOTTEN_AFTER,
            (LoginThrottle.locked_until.is_(None)) | (LoginThrottle.locked_until < now),
        )
        .execution_options(synchronize_session=False)
    )
