"""The matters of 三事分流 as a paged list (``core/listing.py``): matters about the villages in
the caller's scope, by class and state."""

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from yunong.core import listing
from yunong.core.listing import Listing, ListSpec, Page, Sort
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.governance.matters import CLASS_LABELS
from yunong.governance.models import Matter

STATES = {"open": "办理中", "closed": "已办结"}
MATTERS = ListSpec(
    sorts={
        "reported": Sort("反映日期", (Matter.reported_on, Matter.id)),
        "due": Sort("期限", (Matter.due_on, Matter.id)),
    },
    default_sort="-reported",
    statuses=STATES,
    categories=CLASS_LABELS,
    category_label="事项类别",
    dated="反映日期",
    search="事项编号、事项内容",
)


@dataclass(frozen=True)
class MatterRow:
    matter: Matter
    village: str
    kind: str
    state: str


def get_matters(session: Session, *, scope: Scope, page: Page) -> Listing[MatterRow]:
    if not page.sort:
        sort, descending = listing.sort_of("", MATTERS)
        page = replace(page, sort=sort, descending=descending)
    query: Select[Any] = scope.filter(select(Matter), Matter.village_code)
    if page.status == "open":
        query = query.where(Matter.closed_on.is_(None))
    elif page.status == "closed":
        query = query.where(Matter.closed_on.is_not(None))
    if page.category:
        query = query.where(Matter.kind == page.category)
    if page.date_from:
        query = query.where(Matter.reported_on >= page.date_from)
    if page.date_to:
        query = query.where(Matter.reported_on <= page.date_to)
    if page.search:
        query = query.where(
            or_(
                Matter.number.contains(page.search.upper(), autoescape=True),
                Matter.text.contains(page.search, autoescape=True),
            )
        )
    found = listing.fetch(session, query, page, MATTERS)
    rows: list[Matter] = found.rows
    names = {code: regions.get(session, code=code).name for code in {m.village_code for m in rows}}
    return found.with_rows(
        [
            MatterRow(
                m,
                names[m.village_code],
                CLASS_LABELS[m.kind],
                STATES["closed" if m.closed_on else "open"],
            )
            for m in rows
        ]
    )
