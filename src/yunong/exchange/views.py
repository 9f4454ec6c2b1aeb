"""Pages of 产权交易: the yearly prices per 亩 by district and kind, and the public page
that verifies a 鉴证书."""

from typing import Annotated

import segno
from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from yunong.core.errors import InvalidValue
from yunong.core.parsing import parse_amount
from yunong.core.scope import Scope
from yunong.exchange import auction, certificates, contracts, index, lists, pages, rules
from yunong.store.base import utcnow
from yunong.web import i18n
from yunong.web.auth import ScopeDep, ViewerDep
from yunong.web.deps import SessionDep
from yunong.web.i18n import error_text
from yunong.web.layout import render
from yunong.web.listing import list_view, page_of
from yunong.web.params import OptionalYear, RowId

router = APIRouter(include_in_schema=False)
CodePath = Annotated[str, Path(min_length=1, max_length=40, description="鉴证书全农码")]


@router.get("/exchange/prices", response_class=HTMLResponse)
def price_page(
    request: Request, session: SessionDep, scope: ScopeDep, year: OptionalYear = None
) -> HTMLResponse:
    """The year's deals by district and kind, with their area-weighted price per 亩."""
    page = pages.get_prices(session, scope=scope, rules=rules.section(), year=year)
    return render(request, session, "exchange/prices.html", page=page, chart=pages.chart(page))


@router.get("/exchange/index", response_class=HTMLResponse, dependencies=[ViewerDep])
def index_page(
    request: Request,
    session: SessionDep,
    district: Annotated[str | None, Query(max_length=12, description="区县代码")] = None,
    kind: Annotated[str | None, Query(max_length=40, description="标的类型")] = None,
) -> HTMLResponse:
    """The quarterly price index of a district, published to everyone (no login)."""
    page = index.public_page(session, district=district, kind=kind, rules=rules.section())
    return render(request, session, "exchange/index.html", page=page, chart=index.chart(page))


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


@router.get("/exchange/listings", response_class=HTMLResponse)
def listing_list(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    """The listings of the caller's region, ending soonest first."""
    pages.check_reader(scope)
    section = rules.section()
    spec = lists.listing_spec(section)
    found = lists.get_listings(session, scope=scope, page=page_of(request, spec), rules=section)
    view = list_view(request, session, scope, found, spec)
    return render(request, session, "exchange/listings.html", view=view, statuses=lists.STATUSES)


@router.get("/exchange/listings/{listing_id}/contract", response_class=HTMLResponse)
def contract_page(
    listing_id: RowId, request: Request, session: SessionDep, scope: ScopeDep
) -> HTMLResponse:
    """The printable transfer contract of a sold listing, for the exchange and the buyer."""
    found = contracts.get(
        session, scope=scope, listing_id=listing_id, rules=rules.section(), now=utcnow()
    )
    return render(request, session, "exchange/contract.html", contract=found)


@router.get("/exchange/listings/{listing_id}/contract.pdf", response_class=Response)
def contract_pdf(
    listing_id: RowId, request: Request, session: SessionDep, scope: ScopeDep
) -> Response:
    """The same contract as an A4 PDF."""
    found = contracts.get(
        session, scope=scope, listing_id=listing_id, rules=rules.section(), now=utcnow()
    )
    html = request.app.state.templates.get_template("exchange/contract_print.html").render(
        contract=found, language=i18n.current_language.get()
    )
    return Response(
        contracts.to_pdf(html),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="contract-{found.listing.code}.pdf"'},
    )


@router.get("/exchange/listings/{listing_id}", response_class=HTMLResponse)
def listing_page(
    listing_id: RowId, request: Request, session: SessionDep, scope: ScopeDep, done: str = ""
) -> HTMLResponse:
    """A listing as announced, its bids by number, and the buyer's form to register or bid."""
    return standing_page(request, session, scope, listing_id, done=done[:20])


def standing_page(
    request: Request,
    session: Session,
    scope: Scope,
    listing_id: int,
    *,
    done: str = "",
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    pages.check_reader(scope)
    section = rules.section()
    found = auction.standing(
        session, listing_id=listing_id, rules=section, now=utcnow(), user_id=scope.user_id
    )
    registration = auction.registration_of(session, scope=scope, listing_id=listing_id)
    return render(
        request,
        session,
        "exchange/listing.html",
        status_code=status_code,
        found=found,
        kind_name=section.kinds[found.listing.kind].name,
        statuses=lists.STATUSES,
        registration=registration,
        may_read_contract=contracts.may_read(scope, found.listing, registration),
        may_bid=scope.role in auction.BIDDERS,
        least=auction.least_bid(session, found.listing),
        done=done,
        error=error,
    )


@router.post("/exchange/listings/{listing_id}/register", response_model=None)
def register_page(
    listing_id: RowId,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    bidder_name: Annotated[str, Form(max_length=100)] = "",
    bidder_id_code: Annotated[str, Form(max_length=18)] = "",
) -> Response:
    """Register the buyer's account to bid."""
    try:
        auction.register(
            session,
            scope=scope,
            listing_id=listing_id,
            bidder_name=bidder_name,
            bidder_id_code=bidder_id_code,
            rules=rules.section(),
            now=utcnow(),
        )
    except InvalidValue as refused:
        session.rollback()
        return standing_page(
            request, session, scope, listing_id, error=error_text(refused), status_code=422
        )
    return RedirectResponse(f"/exchange/listings/{listing_id}?done=registered", status_code=303)


@router.post("/exchange/listings/{listing_id}/bid", response_model=None)
def bid_page(
    listing_id: RowId,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    amount_yuan: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Place a bid from the listing's page."""
    try:
        amount = parse_amount(amount_yuan)
        if amount is None:
            raise InvalidValue("请填写出价金额")
        auction.place_bid(
            session,
            scope=scope,
            listing_id=listing_id,
            amount=amount,
            rules=rules.section(),
            now=utcnow(),
        )
    except InvalidValue as refused:
        session.rollback()
        return standing_page(
            request, session, scope, listing_id, error=error_text(refused), status_code=422
        )
    return RedirectResponse(f"/exchange/listings/{listing_id}?done=bid", status_code=303)
