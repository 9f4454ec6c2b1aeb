"""Pages of 产权交易: the yearly prices per 亩 by district and kind, and the public page
that verifies a 鉴证书."""

from typing import Annotated

import segno
from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

from yunong.exchange import certificates, pages, rules
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep
from yunong.web.layout import render
from yunong.web.params import OptionalYear

router = APIRouter(include_in_schema=False)
CodePath = Annotated[str, Path(min_length=1, max_length=40, description="鉴证书全农码")]


@router.get("/exchange/prices", response_class=HTMLResponse)
def price_page(
    request: Request, session: SessionDep, scope: ScopeDep, year: OptionalYear = None
) -> HTMLResponse:
    """The year's deals by district and kind, with their area-weighted price per 亩."""
    page = pages.get_prices(session, scope=scope, rules=rules.section(), year=year)
    return render(request, session, "exchange/prices.html", page=page, chart=pages.chart(page))


@router.get("/exchange/certificates/{code}", response_class=HTMLResponse)
def certificate_page(code: CodePath, request: Request, session: SessionDep) -> HTMLResponse:
    """A 鉴证书 verified by its code, for anyone holding the paper (no login)."""
    verified = certificates.verify(session, code=code)
    address = f"{request.app.state.settings.public_base_url()}/exchange/certificates/{code}"
    qr = segno.make(address, error="m").svg_data_uri(scale=4)
    return render(
        request,
        session,
        "exchange/certificate.html",
        verified=verified,
        qr=qr,
        rules=rules.section(),
    )
