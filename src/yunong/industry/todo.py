"""产业预警 waiting on the chains' officers (待办): warnings in their region not yet handled.

The officers of a chain are the city's and the districts' officers (市级管理员, 区县干部) whose
scope covers the warning's region; a warning leaves 待办 when one of them records what was
done (处置). Green sow-stock months are readings, not warnings, and wait on nobody."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.core.scope import Scope
from yunong.core.todo import ITEMS_SHOWN, Item, Todo
from yunong.industry import service
from yunong.industry.models import Warning
from yunong.industry.rules import GREEN

APPLICATION = "industry"
SEVERE = ("1", "红")
"""Levels shown red on 待办; the others yellow."""


def todo(session: Session, scope: Scope) -> list[Todo]:
    if scope.user_id is None or not service.may_handle(scope):
        return []
    waiting = scope.filter(
        select(Warning).where(Warning.handled_at.is_(None), Warning.level != GREEN),
        Warning.region_code,
    )
    total = session.scalar(select(func.count()).select_from(waiting.subquery())) or 0
    shown = session.scalars(
        waiting.order_by(Warning.period.desc(), Warning.level, Warning.id).limit(ITEMS_SHOWN)
    )
    items = [
        Item(
            subject=f"{warning.indicator} {warning.period.isoformat()}",
            link=f"/industry/warnings?status=open#warning-{warning.id}",
            since=warning.period,
            level="red" if warning.level in SEVERE else "yellow",
        )
        for warning in shown
    ]
    return [Todo(APPLICATION, "warnings", "处置产业预警", total, items)]
