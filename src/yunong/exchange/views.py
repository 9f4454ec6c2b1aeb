"""Pages of 产权交易: the yearly prices per 亩 by district and kind."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from yunong.exchange import pages, rules
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep
from yunong.web.layout import render
from yunong.web.params import OptionalYear

router = APIRouter(include_in_schema=False)


@router.get("/exchange/prices", response_class=HTMLResponse)
def price_page(
    request: Request, session: SessionDep, scope: ScopeDep, year: OptionalYear = None
) -> HTMLResponse:
    """The year's deals by district and kind, with their area-weighted price per 亩."""
    page = pages.get_prices(session, scope=scope, rules=rules.section(), year=year)
    return render(request, session, "exchange/prices.html", page=page, chart=pages.chart(page))
