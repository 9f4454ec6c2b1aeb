"""Pages of 地票: the farmer's own cases on a phone, and the case page where the district's
staff take the steps (approve, accept, issue, pay) that the JSON API also offers."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from yunong.core import clock
from yunong.core.errors import InvalidValue
from yunong.core.parsing import parse_amount
from yunong.core.scope import Scope
from yunong.exchange import deals, rules, ticket_pages, tickets
from yunong.store.base import utcnow
from yunong.store.db import engine_of
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep
from yunong.web.i18n import error_text
from yunong.web.layout import render
from yunong.web.params import RowId

router = APIRouter(include_in_schema=False)
CHINA = timezone(timedelta(hours=8))
DONE = {
    "approved": "已批准复垦。下一步：复垦完成后由区县验收。",
    "accepted": "已验收，地块已转为耕地。下一步：交易机构出具地票并挂牌。",
    "issued": "已出具地票并挂牌。下一步：竞价成交后支付收益。",
    "paid": "收益已支付，农户可在手机上查看。",
}
FormText = Annotated[str, Form(max_length=40)]


@router.get("/exchange/my-tickets", response_class=HTMLResponse)
def my_tickets(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    """The farmer's household's 地票: each step and the payments to the household."""
    found = ticket_pages.get_mine(session, scope=scope)
    share = ticket_pages.farmer_share(rules.section())
    return render(request, session, "exchange/my_tickets.html", cases=found, share=share)


@router.get("/exchange/tickets/{case_id}", response_class=HTMLResponse)
def ticket_page(
    case_id: RowId, request: Request, session: SessionDep, scope: ScopeDep, done: str = ""
) -> HTMLResponse:
    """One 地票 case as a timeline, with the form of the next step for the district's staff."""
    return case_page(request, session, scope, case_id, done=done[:20])


def case_page(
    request: Request,
    session: Session,
    scope: Scope,
    case_id: int,
    *,
    done: str = "",
    error: str = "",
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    view = ticket_pages.get_case(session, scope=scope, case_id=case_id)
    return render(
        request,
        session,
        "exchange/ticket.html",
        status_code=status_code,
        view=view,
        step_name=tickets.STEP_LABELS[view.case.step],
        may_act=ticket_pages.may_act(scope),
        done=DONE.get(done, ""),
        error=error,
        form=form or {},
    )


def refused(
    request: Request,
    session: Session,
    scope: Scope,
    case_id: int,
    error: InvalidValue,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    """The case page again with the reason in Chinese and what was typed kept."""
    session.rollback()
    return case_page(
        request, session, scope, case_id, error=error_text(error), form=form, status_code=422
    )


def done_at(case_id: int, step: str) -> RedirectResponse:
    return RedirectResponse(f"/exchange/tickets/{case_id}?done={step}", status_code=303)


@router.post("/exchange/tickets/{case_id}/approve", response_model=None)
def approve(case_id: RowId, request: Request, session: SessionDep, scope: ScopeDep) -> Response:
    try:
        tickets.approve(session, scope=scope, case_id=case_id, today=clock.today())
    except InvalidValue as error:
        return refused(request, session, scope, case_id, error)
    return done_at(case_id, "approved")


@router.post("/exchange/tickets/{case_id}/accept", response_model=None)
def accept(
    case_id: RowId,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    background: BackgroundTasks,
    accepted_m2: FormText = "",
    reclamation_cost_yuan: FormText = "",
) -> Response:
    try:
        area = positive(accepted_m2, "验收面积（平方米）", unit="平方米")
        cost = parse_amount(reclamation_cost_yuan)
        if cost is None:
            raise InvalidValue("请填写复垦成本（元）")
        case = tickets.accept(
            session,
            scope=scope,
            case_id=case_id,
            accepted_m2=area,
            cost_yuan=cost,
            today=clock.today(),
        )
    except InvalidValue as error:
        form = {"accepted_m2": accepted_m2, "reclamation_cost_yuan": reclamation_cost_yuan}
        return refused(request, session, scope, case_id, error, form)
    background.add_task(tickets.refresh_land, engine_of(session), case.region_code)
    return done_at(case_id, "accepted")


@router.post("/exchange/tickets/{case_id}/issue", response_model=None)
def issue(
    case_id: RowId,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    reserve_yuan: FormText = "",
    increment_yuan: FormText = "",
    deposit_yuan: FormText = "",
    starts_at: FormText = "",
    ends_at: FormText = "",
) -> Response:
    try:
        terms = {
            "reserve_yuan": positive(reserve_yuan, "起始价（元）"),
            "increment_yuan": positive(increment_yuan, "最小加价幅度（元）"),
            "deposit_yuan": parse_amount(deposit_yuan) or Decimal(0),
            "starts_at": china_time(starts_at, "竞价开始时间"),
            "ends_at": china_time(ends_at, "竞价截止时间"),
        }
        tickets.issue(
            session,
            scope=scope,
            case_id=case_id,
            auction_terms=terms,
            rules=rules.section(),
            today=clock.today(),
        )
    except InvalidValue as error:
        form = {
            "reserve_yuan": reserve_yuan,
            "increment_yuan": increment_yuan,
            "deposit_yuan": deposit_yuan,
            "starts_at": starts_at,
            "ends_at": ends_at,
        }
        return refused(request, session, scope, case_id, error, form)
    return done_at(case_id, "issued")


@router.post("/exchange/tickets/{case_id}/pay", response_model=None)
def pay(
    case_id: RowId,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    farmer_account: FormText = "",
    collective_account: FormText = "",
) -> Response:
    try:
        tickets.pay(
            session,
            scope=scope,
            case_id=case_id,
            farmer_account=farmer_account,
            collective_account=collective_account,
            rules=rules.section(),
            now=utcnow(),
        )
    except InvalidValue as error:
        form = {"farmer_account": farmer_account, "collective_account": collective_account}
        return refused(request, session, scope, case_id, error, form)
    return done_at(case_id, "paid")


def positive(text: str, field: str, unit: str = "元") -> Decimal:
    """A number above 0 (thousands separators allowed), or the field named with the reason."""
    try:
        value = deals.number(text, unit=unit, what=field)
    except InvalidValue:
        value = Decimal(0)
    if value <= 0:
        raise InvalidValue("{field}应为大于 0 的数", field=field)
    return value.quantize(Decimal("0.01"))


def china_time(text: str, field: str) -> datetime:
    """A time typed in a ``datetime-local`` field, read as Beijing time."""
    try:
        return datetime.fromisoformat(text.strip()).replace(tzinfo=CHINA)
    except ValueError:
        raise InvalidValue("{field}应写成 2024-11-04T10:00 的形式", field=field) from None
