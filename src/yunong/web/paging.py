"""JSON lists a page at a time, as the pages show them: ``?page=`` and ``?per_page=`` ask
for a page, the answer's ``X-Total-Count`` header says how many rows there are in all and
its ``Link`` header (RFC 8288) points at the previous and next pages. No list answer is cut
off without saying so."""

from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request, Response

from yunong.core import listing

PER_PAGE_MAX = 1000
Row = TypeVar("Row")


def page_asked(
    page: Annotated[int, Query(ge=1, le=listing.MAX_PAGE, description="页码")] = 1,
    per_page: Annotated[
        int, Query(ge=1, le=PER_PAGE_MAX, description=f"每页条数（最多 {PER_PAGE_MAX}）")
    ] = 100,
) -> listing.Page:
    return listing.Page(number=page, size=per_page)


PageDep = Annotated[listing.Page, Depends(page_asked)]


def paged(request: Request, response: Response, found: listing.Listing[Row]) -> list[Row]:
    """The page's rows, with the total and the neighbouring pages in the answer's headers."""
    response.headers["X-Total-Count"] = str(found.total)
    links = neighbour_links(request, found)
    if links:
        response.headers["Link"] = links
    return found.rows


def neighbour_links(request: Request, found: listing.Listing[Any]) -> str:
    wanted = [("prev", found.page.number - 1, found.has_previous)]
    wanted.append(("next", found.page.number + 1, found.has_next))
    return ", ".join(
        f'<{request.url.include_query_params(page=number)}>; rel="{relation}"'
        for relation, number, present in wanted
        if present
    )
