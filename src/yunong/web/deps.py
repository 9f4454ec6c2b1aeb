"""Request-scoped dependencies shared by API routes and pages."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from yunong.store.db import transaction


def reads_only(request: Request) -> None:
    """Mark the request as one that only reads; its routes list this before anything else."""
    request.state.reads_only = True


READS_ONLY = Depends(reads_only)
"""For ``APIRouter(dependencies=[READS_ONLY])``: on SQLite the request's transaction does not
take the write lock, so such requests run side by side."""


SAFE_METHODS = {"GET", "HEAD"}


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the handler returns, rolled back on error.

    A GET begins as a reading transaction (on SQLite it does not take the write lock, so
    requests that look run side by side); one whose write then finds that another wrote
    in between is answered busy and run again at once as a writing one, by
    :class:`yunong.web.security.RetryAsWriter`.
    """
    state = request.app.state
    reads = getattr(request.state, "reads_only", False) or (
        request.method in SAFE_METHODS and not getattr(request.state, "must_write", False)
    )
    request.state.reading = reads
    with transaction(state.read_sessions if reads else state.sessions) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
"""A handler parameter that receives the request's session. It is committed when the handler
has returned and before the answer is sent (FastAPI's default would commit after sending):
a client told that its write was saved can read it at once from any server process, and a
process that dies after answering has lost nothing it confirmed. Every dependency that needs
the session takes it through this, so that a request has one."""
