"""Whether the operational database answers, for the health check."""

from sqlalchemy import text
from sqlalchemy.orm import Session


def database_name(session: Session) -> str:
    """Run a trivial query and name the database's dialect; raises when it cannot be reached."""
    session.execute(text("select 1"))
    return session.get_bind().dialect.name
