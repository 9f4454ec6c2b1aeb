"""Alerts waiting for a village to send a grid worker (预警队列)."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core import listing
from yunong.core.listing import Listing, Page
from yunong.core.scope import Scope
from yunong.monitor import access
from yunong.monitor.models import Alert

OPEN = "open"
"""An alert no case has taken up yet."""


def get_open(session: Session, *, scope: Scope, page: Page) -> Listing[Alert]:
    """A page of the open alerts inside the scope, by village."""
    access.require_reader(scope)
    query = scope.filter(select(Alert), Alert.village_code).where(Alert.status == OPEN)
    ordered = query.order_by(Alert.village_code, Alert.id).offset(page.offset).limit(page.size)
    return Listing(list(session.scalars(ordered)), listing.count(session, query), page)
