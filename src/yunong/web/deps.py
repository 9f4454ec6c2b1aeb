"""Request-scoped dependencies shared by API routes and pages."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from yunong.store.db import transaction


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the handler returns, rolled back on error."""
    with transaction(request.app.state.sessions) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
"""A handler parameter that receives the request's session."""
