"""The zeroing board (问题动态清零): open problems counted by the regions one level down and
by how long they are overdue, beside the list itself and the zeroing rate."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from yunong.core import listing
from yunong.core.listing import Listing, Page
from yunong.core.regions import codes as region_codes
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.monitor import problem_list, problems
from yunong.monitor.problem_list import PROBLEMS


@dataclass(frozen=True)
class Board:
    problems: Listing[problems.Problem]
    """The page of the list of problems asked for."""
    open_count: int
    """Every open problem in the region, whatever the list shows."""
    table: list[tuple[str, Counter[str]]]
    """Each region one level down (by name) with its problems per age band."""
    bands: list[str]
    rate: float


def get(session: Session, *, scope: Scope, today: date, page: Page | None = None) -> Board:
    """The board of the scope's region, with ``page`` of its list of problems."""
    chosen = page or listing.parse({}, PROBLEMS)
    names = {
        region_codes.prefix_of(child.code): child.name
        for child in regions.get_children(session, scope=scope, code=scope.region_code)
    }
    table = problem_list.by_region_and_band(
        session, scope=scope, today=today, width=child_width(scope)
    )
    return Board(
        problems=problem_list.get_page(session, scope=scope, page=chosen, today=today),
        open_count=sum(sum(counts.values()) for counts in table.values()),
        table=[(names.get(key, key), counts) for key, counts in sorted(table.items())],
        bands=[label for _, label in problems.AGE_BANDS],
        rate=problems.zeroing_rate(session, scope=scope, today=today),
    )


def child_width(scope: Scope) -> int:
    """Digits of the region codes one level below the scope's: 6 under the city, then 9, 12."""
    width = len(scope.prefix)
    return min(width + 3, 12) if width > 2 else 6
