"""Pages of 农事服务: the overview, the lists of machines, orders, trusteeship contracts and
drying bookings, an order's and a machine's page (with its position from a phone), the day's
dispatch board, the cadre's 代下单 form, and 种粮宝, the farmer's phone page with its order form."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from yunong.core import clock
from yunong.core.auth.roles import Role
from yunong.core.errors import InvalidValue, YunongError
from yunong.core.parsing import fold, parse_amount, parse_date
from yunong.core.scope import Scope
from yunong.policy import loader as policy
from yunong.policy.schema import Services
from yunong.services import dispatch, drying, grower_page, lists, ordering, pages, provider_page
from yunong.services import map_layer as map_layer  # registers the layer of the one map
from yunong.store.base import utcnow
from yunong.web import i18n
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep
from yunong.web.layout import render
from yunong.web.listing import list_view, page_of, scope_of

router = APIRouter(include_in_schema=False)
CodePath = Annotated[str, PathParam(min_length=1, max_length=40, pattern=r"^[0-9A-Za-z-]+$")]
DayText = Annotated[str, Form(max_length=20)]
SHOWN_ON_FORM = (409, 422)
DISPATCH_SECONDS = 5.0
"""A page waits this long at most for each solver stage."""
DONE = {
    "order": "订单已提交，等待服务中心派单",
    "confirmed": "派单已确认，机手和农户可以看到",
    "work": "作业已登记，已记在订单的每块地上",
    "position": "机具位置已更新",
    "booked": "烘干预约成功",
    "waiting": "当天烘干能力已满，已进入候补，有人取消时按先后顺序转为预约成功",
    "cancelled": "烘干预约已取消",
}


def rules() -> Services:
    found = policy.get().services
    if found is None:
        raise InvalidValue("策略包没有农事服务（services）一节")
    return found


def day_of(text: str, label: str = "日期") -> date:
    if not fold(text):
        raise InvalidValue("请填写{label}", label=label)
    return parse_date(text)


def optional_day(text: str) -> date | None:
    return parse_date(text) if fold(text) else None


def price_of(text: str) -> Decimal | None:
    return parse_amount(text) if fold(text) else None


@router.get("/apps/services", response_class=HTMLResponse)
def services_overview(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    found = pages.overview(session, scope=scope, today=clock.today())
    return render(
        request, session, "services/overview.html", overview=found, statuses=lists.ORDER_STATUSES
    )


@router.get("/services/machines", response_class=HTMLResponse)
def machine_list(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    pages.check_officer(scope)
    section = rules()
    spec = lists.machine_spec(section)
    page = page_of(request, spec)
    found = lists.get_machines(
        session, scope=scope_of(request, session, scope, page), page=page, rules=section
    )
    view = list_view(request, session, scope, found, spec)
    return render(request, session, "services/machines.html", view=view)


@router.get("/services/machines/{code}", response_class=HTMLResponse)
def machine_page(
    code: CodePath, request: Request, session: SessionDep, scope: ScopeDep, done: str = ""
) -> HTMLResponse:
    return machine_response(request, session, scope, code, done=DONE.get(done[:20], ""))


def machine_response(
    request: Request,
    session: Session,
    scope: Scope,
    code: str,
    *,
    done: str = "",
    message: str = "",
) -> HTMLResponse:
    found = pages.machine_page(session, scope=scope, code=code)
    return render(
        request,
        session,
        "services/machine.html",
        status_code=422 if message else 200,
        found=found,
        statuses=lists.MACHINE_STATUSES,
        order_statuses=lists.ORDER_STATUSES,
        may_move=scope.can_write,
        done=done,
        message=message,
    )


@router.post("/services/machines/{code}/position", response_model=None)
def machine_position(
    code: CodePath,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    lon: Annotated[str, Form(max_length=30)] = "",
    lat: Annotated[str, Form(max_length=30)] = "",
    accuracy: Annotated[str, Form(max_length=30)] = "",
) -> Response:
    """The machine's position from the phone's fix (navigator.geolocation)."""
    try:
        with session.begin_nested():
            pages.update_position(
                session, scope=scope, code=code, lon=lon, lat=lat, accuracy=accuracy, now=utcnow()
            )
    except YunongError as error:
        if error.status_code not in SHOWN_ON_FORM:
            raise
        return machine_response(request, session, scope, code, message=i18n.error_text(error))
    return RedirectResponse(f"/services/machines/{code}?done=position", status_code=303)


@router.get("/services/providers/{provider_id}", response_class=HTMLResponse)
def provider_view(
    provider_id: Annotated[int, PathParam(ge=1, le=2_000_000_000)],
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    day: Annotated[str, Query(max_length=20)] = "",
) -> HTMLResponse:
    """The provider's machines and the confirmed assignments of a day."""
    found = provider_page.provider_page(
        session, scope=scope, provider_id=provider_id, day=optional_day(day) or clock.today()
    )
    return render(
        request, session, "services/provider.html", found=found, statuses=lists.MACHINE_STATUSES
    )


@router.get("/services/orders", response_class=HTMLResponse)
def order_list(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    pages.check_officer(scope)
    section = rules()
    spec = lists.order_spec(section)
    page = page_of(request, spec)
    found = lists.get_orders(
        session, scope=scope_of(request, session, scope, page), page=page, rules=section
    )
    view = list_view(request, session, scope, found, spec)
    return render(
        request,
        session,
        "services/orders.html",
        view=view,
        may_enter=scope.can_write and scope.role in pages.ORDER_ENTRY,
    )


@router.get("/services/orders/new", response_class=HTMLResponse)
def order_form(
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    household: Annotated[str, Query(max_length=24)] = "",
) -> HTMLResponse:
    """代下单: a cadre picks a household of the village, then its parcels."""
    return order_form_response(request, session, scope, household=household.strip())


def order_form_response(
    request: Request,
    session: Session,
    scope: Scope,
    *,
    household: str,
    message: str = "",
    typed: Mapping[str, object] | None = None,
) -> HTMLResponse:
    return render(
        request,
        session,
        "services/order_new.html",
        status_code=422 if message else 200,
        households=grower_page.households(session, scope=scope),
        household=household,
        parcels=grower_page.parcels_of(session, scope=scope, holder_code=household)
        if household
        else [],
        operations=rules().operations,
        use_labels=grower_page.USE_LABELS,
        message=message,
        typed=typed or {},
    )


@router.post("/services/orders", response_model=None)
def enter_order(
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    household: Annotated[str, Form(max_length=24)] = "",
    operation: Annotated[str, Form(max_length=8)] = "",
    parcels: Annotated[list[str] | None, Form(max_length=24)] = None,
    earliest: DayText = "",
    latest: DayText = "",
    price: Annotated[str, Form(max_length=20)] = "",
    requester: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """A cadre's order for a household of the village (代下单)."""
    pages.check_officer(scope)
    typed = {
        "operation": operation, "parcels": parcels or [], "earliest": earliest,
        "latest": latest, "price": price, "requester": requester,
    }  # fmt: skip
    try:
        with session.begin_nested():
            order = ordering.place(
                session,
                scope=scope,
                rules=rules(),
                order_in=ordering.OrderIn(
                    operation.strip(),
                    parcels or [],
                    optional_day(earliest),
                    optional_day(latest),
                    household.strip(),
                    price_of(price),
                    requester,
                ),
                today=clock.today(),
            )
    except YunongError as error:
        if error.status_code not in SHOWN_ON_FORM:
            raise
        return order_form_response(
            request, session, scope, household=household.strip(),
            message=i18n.error_text(error), typed=typed,
        )  # fmt: skip
    return RedirectResponse(f"/services/orders/{order.code}?done=order", status_code=303)


@router.get("/services/orders/{code}", response_class=HTMLResponse)
def order_page(
    code: CodePath, request: Request, session: SessionDep, scope: ScopeDep, done: str = ""
) -> HTMLResponse:
    return order_response(request, session, scope, code, done=DONE.get(done[:20], ""))


def order_response(
    request: Request,
    session: Session,
    scope: Scope,
    code: str,
    *,
    done: str = "",
    message: str = "",
) -> HTMLResponse:
    found = pages.order_page(session, scope=scope, code=code)
    return render(
        request,
        session,
        "services/order.html",
        status_code=422 if message else 200,
        found=found,
        statuses=lists.ORDER_STATUSES,
        may_record=scope.can_write
        and scope.role in pages.DISPATCHERS
        and found.order.status == dispatch.CONFIRMED,
        today=clock.today(),
        done=done,
        message=message,
    )


@router.post("/services/orders/{code}/done", response_model=None)
def order_done(
    code: CodePath, request: Request, session: SessionDep, scope: ScopeDep, done_on: DayText = ""
) -> Response:
    """Work done: a dated event on each of the order's parcels."""
    pages.check_dispatcher(scope)
    try:
        with session.begin_nested():
            when = day_of(done_on, "作业日期")
            dispatch.record_work(session, scope=scope, code=code, done_on=when)
    except YunongError as error:
        if error.status_code not in SHOWN_ON_FORM:
            raise
        return order_response(request, session, scope, code, message=i18n.error_text(error))
    return RedirectResponse(f"/services/orders/{code}?done=work", status_code=303)


@router.get("/services/trusteeships", response_class=HTMLResponse)
def contract_list(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    pages.check_officer(scope)
    section = rules()
    spec = lists.contract_spec(section)
    page = page_of(request, spec)
    found = lists.get_contracts(
        session, scope=scope_of(request, session, scope, page), page=page, rules=section
    )
    view = list_view(request, session, scope, found, spec)
    return render(request, session, "services/trusteeships.html", view=view)


@router.get("/services/drying", response_class=HTMLResponse)
def drying_list(
    request: Request, session: SessionDep, scope: ScopeDep, done: str = ""
) -> HTMLResponse:
    return drying_response(request, session, scope, done=DONE.get(done[:20], ""))


def drying_response(
    request: Request,
    session: Session,
    scope: Scope,
    *,
    done: str = "",
    message: str = "",
    typed: Mapping[str, object] | None = None,
) -> HTMLResponse:
    pages.check_officer(scope)
    page = page_of(request, lists.BOOKINGS)
    shown = scope_of(request, session, scope, page)
    found = lists.get_bookings(session, scope=shown, page=page)
    view = list_view(request, session, scope, found, lists.BOOKINGS)
    centres = lists.centres(session, scope=shown)
    return render(
        request,
        session,
        "services/drying.html",
        status_code=422 if message else 200,
        view=view,
        centres=centres,
        may_book=scope.can_write,
        done=done,
        message=message,
        typed=typed or {},
    )


@router.post("/services/drying/bookings", response_model=None)
def book_drying(
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    centre: Annotated[str, Form(max_length=40)] = "",
    day: DayText = "",
    tonnes: Annotated[str, Form(max_length=20)] = "",
    requester: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Book tonnes on a day at a centre: an officer or cadre for a household, a farmer
    (from 种粮宝) for itself. The answer says booked or on the waiting list."""
    typed = {"centre": centre, "day": day, "tonnes": tonnes, "requester": requester}
    farmer = scope.role == Role.FARMER
    try:
        with session.begin_nested():
            if not fold(tonnes):
                raise InvalidValue("请填写烘干量（吨）")
            booking = drying.book(
                session, scope=scope, code=centre, day=day_of(day, "烘干日期"),
                tonnes=Decimal(str(pages.number(tonnes, "烘干量"))).quantize(Decimal("0.01")),
                requester=requester,
            )  # fmt: skip
    except YunongError as error:
        if error.status_code not in SHOWN_ON_FORM:
            raise
        if farmer:
            return grower_response(
                request, session, scope, message=i18n.error_text(error), typed=typed
            )
        return drying_response(request, session, scope, message=i18n.error_text(error), typed=typed)
    back = "/services/grower" if farmer else "/services/drying"
    return RedirectResponse(f"{back}?done={booking.status}#drying", status_code=303)


@router.post("/services/drying/bookings/{booking_id}/cancel", response_model=None)
def cancel_drying(
    booking_id: Annotated[int, PathParam(ge=1, le=2_000_000_000)],
    session: SessionDep,
    scope: ScopeDep,
) -> Response:
    """Cancel a booking; the waiting ones that now fit are booked."""
    drying.cancel(session, scope=scope, booking_id=booking_id)
    back = "/services/grower" if scope.role == Role.FARMER else "/services/drying"
    return RedirectResponse(f"{back}?done=cancelled#drying", status_code=303)


@router.get("/services/dispatch", response_class=HTMLResponse)
def dispatch_board(
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    day: Annotated[str, Query(max_length=20)] = "",
    done: str = "",
) -> HTMLResponse:
    """The day's dispatch: proposed and confirmed assignments and the orders waiting."""
    when = optional_day(day) or clock.today()
    found = pages.board(session, scope=scope, day=when)
    return render(
        request,
        session,
        "services/dispatch.html",
        board=found,
        plan=None,
        done=DONE.get(done[:20], ""),
    )


@router.post("/services/dispatch", response_class=HTMLResponse)
def run_dispatch(
    request: Request, session: SessionDep, scope: ScopeDep, day: DayText = ""
) -> HTMLResponse:
    """Plan the day with the solver; the proposal waits on the board for confirmation."""
    pages.check_dispatcher(scope)
    when = day_of(day, "派单日期")
    result = dispatch.plan(
        session, scope=scope, day=when, rules=rules(), time_limit=DISPATCH_SECONDS
    )
    found = pages.board(session, scope=scope, day=when)
    return render(
        request,
        session,
        "services/dispatch.html",
        board=found,
        plan=result,
        unassigned=pages.unassigned_on_day(result),
    )


@router.post("/services/dispatch/confirm", response_model=None)
def confirm_dispatch(
    request: Request, session: SessionDep, scope: ScopeDep, day: DayText = ""
) -> Response:
    pages.check_dispatcher(scope)
    when = day_of(day, "派单日期")
    dispatch.confirm(session, scope=scope, day=when)
    return RedirectResponse(f"/services/dispatch?day={when.isoformat()}&done=confirmed", 303)


# ---- 种粮宝 ----


@router.get("/services/grower", response_class=HTMLResponse)
def grower_home(
    request: Request, session: SessionDep, scope: ScopeDep, done: str = ""
) -> HTMLResponse:
    """种粮宝: the farmer's parcels, subsidies, orders and the order form, on a phone."""
    return grower_response(request, session, scope, done=DONE.get(done[:20], ""))


def grower_response(
    request: Request,
    session: Session,
    scope: Scope,
    *,
    done: str = "",
    message: str = "",
    typed: Mapping[str, object] | None = None,
) -> HTMLResponse:
    found = grower_page.get(session, scope=scope, rules=rules())
    return render(
        request,
        session,
        "services/grower.html",
        status_code=422 if message else 200,
        found=found,
        operations=rules().operations,
        statuses=lists.ORDER_STATUSES,
        drying_statuses=lists.DRYING_STATUSES,
        bookings=drying.bookings_of_farmer(session, scope=scope),
        today=clock.today(),
        use_labels=grower_page.USE_LABELS,
        done=done,
        message=message,
        typed=typed or {},
    )


@router.post("/services/grower/orders", response_model=None)
def grower_order(
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    operation: Annotated[str, Form(max_length=8)] = "",
    parcels: Annotated[list[str] | None, Form(max_length=24)] = None,
    earliest: DayText = "",
    latest: DayText = "",
    price: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """The farmer's order for one or more of their own parcels."""
    household = grower_page.household_of_farmer(scope)
    typed = {
        "operation": operation, "parcels": parcels or [], "earliest": earliest,
        "latest": latest, "price": price,
    }  # fmt: skip
    try:
        with session.begin_nested():
            ordering.place(
                session,
                scope=scope,
                rules=rules(),
                order_in=ordering.OrderIn(
                    operation.strip(),
                    parcels or [],
                    optional_day(earliest),
                    optional_day(latest),
                    household,
                    price_of(price),
                ),
                today=clock.today(),
            )
    except YunongError as error:
        if error.status_code not in SHOWN_ON_FORM:
            raise
        return grower_response(request, session, scope, message=i18n.error_text(error), typed=typed)
    return RedirectResponse("/services/grower?done=order#orders", status_code=303)
