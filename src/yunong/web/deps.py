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


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the handler returns, rolled back on error."""
    state = request.app.state
    factory = state.read_sessions if getattr(request.state, "reads_only", False) else state.sessions
    with transaction(factory) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
"""A handler parameter that receives the request's session."""
