"""Lists on pages: the query string read into a :class:`~yunong.core.listing.Page`, and the
links, region drill-down and export address that the macros of ``templates/_list.html``
draw. Every link is a plain address, so paging, sorting and filtering work without script;
htmx, where it runs, only swaps the list in place.
"""

import shutil
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask

from yunong.core import listing
from yunong.core.listing import Listing, ListSpec, Page
from yunong.core.regions import service as regions
from yunong.core.scope import Scope
from yunong.core.tabular import write_workbook
from yunong.web.layout import viewed_region

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WINDOW = 2
"""Page links shown either side of the current page, besides the first and the last."""


def page_of(request: Request, spec: ListSpec) -> Page:
    """The page the query string asks for; an unusable value is refused with 422."""
    return listing.parse(request.query_params, spec)


def scope_of(request: Request, session: Session, scope: Scope, page: Page) -> Scope:
    """Where the list looks: the region the page filters on (anywhere in the caller's
    scope), else the region chosen in the switcher."""
    if page.region:
        return scope
    return scope.narrowed_to(viewed_region(request, session, scope).code)


@dataclass(frozen=True)
class DrillOption:
    """A region offered in the list's region filter."""

    code: str
    name: str
    depth: int
    """0 for the top of the caller's scope, one more per level down."""
    chosen: bool


def drill_options(session: Session, scope: Scope, current: str) -> list[DrillOption]:
    """The regions from the top of the caller's scope down to ``current``, then the regions
    one level below it: up or down one step from where the list looks."""
    path = [*regions.get_ancestors(session, code=current), regions.get(session, code=current)]
    above = [region for region in path if scope.covers(region.code)]
    options = [
        DrillOption(region.code, region.name, depth, region.code == current)
        for depth, region in enumerate(above)
    ]
    below = regions.get_children(session, scope=scope, code=current)
    return options + [DrillOption(child.code, child.name, len(above), False) for child in below]


@dataclass(frozen=True)
class ListView:
    """A list as its page draws it: the listing, what it offers, and its addresses."""

    listing: Listing[Any]
    spec: ListSpec
    path: str
    drill: list[DrillOption] = field(default_factory=list)
    export: str = ""
    """The address of the xlsx of the same rows, or empty when the list has none."""
    kept: Mapping[str, str] = field(default_factory=dict)
    """Other query parameters of the page, kept in every link."""
    name: str = "list"
    """The list's element id, for more than one list on a page."""

    @property
    def page(self) -> Page:
        return self.listing.page

    def parameters(self, **changes: str | int) -> dict[str, str]:
        """The page's parameters with ``changes``, defaults left out of the address."""
        values = {**self.kept, **self.page.parameters()}
        values.update({key: str(value) for key, value in changes.items()})
        defaults = {"page": "1", "size": str(listing.DEFAULT_SIZE), "sort": self.spec.default_sort}
        return {key: value for key, value in values.items() if value and defaults.get(key) != value}

    def url(self, **changes: str | int) -> str:
        query = urlencode(self.parameters(**changes))
        return f"{self.path}?{query}" if query else self.path

    def page_url(self, number: int) -> str:
        return self.url(page=number)

    def sort_url(self, key: str) -> str:
        """Sorting by ``key``: ascending first, descending when it already sorts so."""
        ascending = self.page.sort != key or self.page.descending
        return self.url(sort=key if ascending else f"-{key}", page=1)

    def sort_state(self, key: str) -> str:
        """``ascending``, ``descending`` or ``none``, as aria-sort reads it."""
        if self.page.sort != key:
            return "none"
        return "descending" if self.page.descending else "ascending"

    def export_url(self) -> str:
        """The export of every row the filters find, in the list's order."""
        values = self.page.filters() | {"sort": self.page.sort_parameter} | dict(self.kept)
        return f"{self.export}?{urlencode(values)}"

    def reset_url(self) -> str:
        query = urlencode(dict(self.kept))
        return f"{self.path}?{query}" if query else self.path

    def page_numbers(self) -> list[int | None]:
        """The page links to show: the first, the last and a few around the current page,
        ``None`` where pages are left out."""
        last = self.listing.pages
        current = min(self.page.number, last)
        wanted = {1, last, *range(current - WINDOW, current + WINDOW + 1)}
        numbers: list[int | None] = []
        for number in sorted(n for n in wanted if 1 <= n <= last):
            if numbers and number - (numbers[-1] or 0) > 1:
                numbers.append(None)
            numbers.append(number)
        return numbers

    @property
    def sizes(self) -> tuple[int, ...]:
        return listing.SIZES


def list_view(
    request: Request,
    session: Session,
    scope: Scope,
    found: Listing[Any],
    spec: ListSpec,
    *,
    export: str = "",
    kept: Mapping[str, str] | None = None,
    name: str = "list",
) -> ListView:
    """What ``templates/_list.html`` needs to draw ``found`` on the requested page."""
    current = found.page.within(scope_of(request, session, scope, found.page)).region_code
    return ListView(
        listing=found,
        spec=spec,
        path=request.url.path,
        drill=drill_options(session, scope, current),
        export=export,
        kept=kept or {},
        name=name,
    )


def xlsx_response(
    filename: str, headers: list[str], rows: Iterable[Sequence[object]]
) -> FileResponse:
    """A list's rows as an xlsx download named ``filename``, every cell written through the
    helper that keeps text from running as a formula; the file is deleted once sent."""
    folder = tempfile.mkdtemp(prefix="yunong-export-")
    path = Path(folder) / "export.xlsx"
    write_workbook(path, headers, rows)
    return FileResponse(
        path,
        filename=filename,
        media_type=XLSX,
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )
