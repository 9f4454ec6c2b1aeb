"""Pages: the public scan page (phone-sized, no login) and the producers' workspace."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from yunong.core.errors import InvalidValue, NotFound
from yunong.core.parsing import parse_date
from yunong.core.scope import Scope
from yunong.policy import loader as policy
from yunong.store.db import transaction
from yunong.trace import access, batches, certificates, events, flags, lists, public, scans
from yunong.trace.events import INPUT_KINDS, RESULTS, Step
from yunong.trace.public import PublicBatch
from yunong.trace.web_state import client_key, public_state
from yunong.web import i18n
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep
from yunong.web.layout import render
from yunong.web.listing import list_view, page_of, scope_of, xlsx_response
from yunong.web.params import FormRowId

router = APIRouter(include_in_schema=False)
TOO_MANY = "请求过于频繁，请稍后再试"


def load_view(request: Request, text: str) -> tuple[int, PublicBatch] | None:
    # Only reads: on SQLite the public page never waits for the write lock.
    with transaction(request.app.state.read_sessions) as session:
        batch = batches.find(session, text=text)
        return None if batch is None else (batch.id, public.view(session, batch=batch))


async def scan_page(request: Request, text: str) -> Response:
    """The public page of a batch, counted; rebuilt at most every few seconds per language."""
    state = public_state(request.app)
    if not state.limiter.allow(client_key(request)):
        return HTMLResponse(TOO_MANY, status_code=429, headers={"Retry-After": "30"})
    language = i18n.current_language.get()
    hit = state.cached((text, language))
    if hit is None:
        found = await run_in_threadpool(load_view, request, text)
        if found is None:
            raise NotFound("没有这个批次码：请核对二维码，或向购买处询问")
        batch_id, view = found
        template = request.app.state.templates.get_template("trace/scan.html")
        body = template.render(
            view=view,
            language=language,
            languages=i18n.LANGUAGES,
            path=request.url.path,
            status_label=view.status.label,
        ).encode()
        state.store((text, language), batch_id, body)
        hit = (batch_id, body)
    state.counter.count(hit[0], events.today_in_china())
    if state.counter.due():
        await run_in_threadpool(state.counter.flush, request.app.state.sessions)
    return Response(hit[1], media_type="text/html; charset=utf-8")


@router.get("/c/{code}", response_class=HTMLResponse)
async def scan_by_code(code: str, request: Request) -> Response:
    """A batch's 全农码 address."""
    return await scan_page(request, code[:40])


@router.get("/01/{gtin}/10/{lot}", response_class=HTMLResponse)
async def scan_by_digital_link(gtin: str, lot: str, request: Request) -> Response:
    """A batch's GS1 Digital Link; qualifiers after the lot and query attributes are ignored."""
    return await scan_page(request, f"/01/{gtin[:14]}/10/{lot[:60]}")


@router.get("/01/{gtin}/10/{lot}/{rest:path}", response_class=HTMLResponse)
async def scan_by_longer_digital_link(gtin: str, lot: str, rest: str, request: Request) -> Response:
    return await scan_page(request, f"/01/{gtin[:14]}/10/{lot[:60]}")


@router.get("/apps/trace", response_class=HTMLResponse)
def workspace(
    request: Request, session: SessionDep, scope: ScopeDep, decided: str = ""
) -> HTMLResponse:
    """Batches the user may see as a paged list, with their status, and the possible
    counterfeits; after a decision on one (``decided``) what it changed."""
    spec = lists.batch_spec(policy.get())
    page = page_of(request, spec)
    found = lists.get_batches(
        session, scope=scope_of(request, session, scope, page), page=page, pack=policy.get()
    )
    # A read-only role (a bank viewer) is not offered a form it may not send.
    products = batches.get_all_products(session, scope=scope) if access.writes_any(scope) else []
    return render(
        request,
        session,
        "trace/workspace.html",
        view=list_view(request, session, scope, found, spec, export=BATCH_EXPORT),
        products=products,
        flags=flags.get_flags(session, scope=scope),
        state_labels=flags.STATE_LABELS,
        may_decide=flags.may_decide(scope),
        decided=DECIDED.get(decided, ""),
        units=list(batches.UNITS),
        today=date.today().isoformat(),
    )


BATCH_EXPORT = "/trace/export/batches.xlsx"


@router.get(BATCH_EXPORT)
def export_batches(request: Request, session: SessionDep, scope: ScopeDep) -> FileResponse:
    """The batches the workspace's filters and search find, in its order, as xlsx."""
    spec = lists.batch_spec(policy.get())
    page = page_of(request, spec)
    where = scope_of(request, session, scope, page)
    rows = lists.export(session, scope=where, page=page, pack=policy.get())
    return xlsx_response("农品批次.xlsx", lists.EXPORT_HEADERS, rows)


@router.post("/trace/batches")
def create_batch(
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    product_id: FormRowId,
    lot: Annotated[str, Form()],
    produced_on: Annotated[str, Form()],
    quantity: Annotated[str, Form()],
    unit: Annotated[str, Form()],
    packages: Annotated[str, Form()] = "",
) -> RedirectResponse:
    batch = batches.create_batch(
        session,
        scope=scope,
        batch_in=batches.BatchIn(
            product_id=product_id,
            lot=lot,
            produced_on=parse_date(produced_on),
            quantity=quantity,
            unit=unit,
            packages=whole_number(packages),
        ),
    )
    return RedirectResponse(f"/trace/batches/{batch.code}?done=batch", status_code=303)


def whole_number(text: str) -> int | None:
    if not text.strip():
        return None
    if not text.strip().isdigit():
        raise InvalidValue(f"件数“{text}”应为正整数")
    return int(text.strip())


def optional_decimal(text: str) -> Decimal | None:
    if not text.strip():
        return None
    try:
        return Decimal(text.strip())
    except InvalidOperation:
        raise InvalidValue(f"数量“{text}”应为数字") from None


@router.get("/trace/batches/{code}", response_class=HTMLResponse)
def batch_page(
    code: str, request: Request, session: SessionDep, scope: ScopeDep, done: str = ""
) -> HTMLResponse:
    """One batch: its chain of events, a form for the next one, its certificate and codes;
    after an action (``done``: batch, certificate or the step recorded) what happened and
    what comes next."""
    return batch_view(request, session, scope, code, done=done)


def batch_view(
    request: Request,
    session: Session,
    scope: Scope,
    code: str,
    *,
    done: str = "",
    typed: dict[str, str] | None = None,
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    """The batch page; ``typed`` (the event form as the user filled it) and ``error`` are
    shown again after a refused event."""
    batch = batches.get(session, scope=scope, code=code)
    view = public.view(session, batch=batch)
    recorded = events.events_of(session, batch)
    product = batches.get_product(session, scope=scope, product_id=batch.product_id)
    return render(
        request,
        session,
        "trace/batch.html",
        status_code=status_code,
        batch=batch,
        view=view,
        recorded=recorded,
        may_write=access.may_write(session, scope, batches.producer_of(session, product)),
        readiness=certificates.readiness(session, scope=scope, batch=batch),
        done=done_label(done),
        next_step=certificates.next_step(recorded, certified=view.certificate_on is not None),
        typed=typed or {},
        error=error,
        steps=list(Step),
        input_kinds=INPUT_KINDS,
        results=RESULTS,
        bases=certificates.BASES,
        sizes=[size.value for size in certificates.LabelSize],
        now=datetime.now(events.CHINA).strftime("%Y-%m-%dT%H:%M"),
        scans=scans.total_scans(session, batch.id),
    )


@router.post("/trace/batches/{code}/events", response_model=None)
def record_event(
    code: str,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    step: Annotated[str, Form()],
    event_time: Annotated[str, Form()],
    input_name: Annotated[str, Form()] = "",
    input_kind: Annotated[str, Form()] = "",
    safe_interval_days: Annotated[str, Form()] = "",
    result: Annotated[str, Form()] = "",
    agency: Annotated[str, Form()] = "",
    quantity: Annotated[str, Form()] = "",
    partner: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    """Record one event; a refused one shows the page again with what was typed and the
    reason, which names the event that has to come first."""
    typed = {
        "step": step,
        "event_time": event_time,
        "input_name": input_name,
        "input_kind": input_kind,
        "safe_interval_days": safe_interval_days,
        "result": result,
        "agency": agency,
        "quantity": quantity,
        "partner": partner,
        "note": note,
    }
    try:
        event = events.record(session, scope=scope, code=code, event_in=event_from_form(typed))
    except InvalidValue as refused:
        session.rollback()
        return batch_view(
            request,
            session,
            scope,
            code,
            typed=typed,
            error=i18n.error_text(refused),
            status_code=422,
        )
    return RedirectResponse(f"/trace/batches/{code}?done={event.step}", status_code=303)


def event_from_form(typed: dict[str, str]) -> events.EventIn:
    try:
        moment = datetime.fromisoformat(typed["event_time"].strip())
    except ValueError:
        raise InvalidValue(
            f"事件时间“{typed['event_time']}”无法识别，应如 2024-03-05T08:30"
        ) from None
    interval = typed["safe_interval_days"]
    return events.EventIn(
        step=typed["step"],
        event_time=moment,
        input_name=typed["input_name"] or None,
        input_kind=typed["input_kind"] or None,
        safe_interval_days=whole_number(interval) if interval.strip() else None,
        result=typed["result"] or None,
        agency=typed["agency"] or None,
        quantity=optional_decimal(typed["quantity"]),
        partner=typed["partner"] or None,
        note=typed["note"],
    )


DONE = {"batch": "已签发批次码", "certificate": "已开具承诺达标合格证"} | {
    step.value: f"已记录{step.label}" for step in Step
}


def done_label(done: str) -> str:
    """What the action just taken did, from the ``done`` key it redirected with."""
    return DONE.get(done, "")


@router.post("/trace/flags/{flag_id}")
def decide_flag(
    flag_id: Annotated[int, Path(ge=1, le=2_147_483_647)],
    session: SessionDep,
    scope: ScopeDep,
    decision: Annotated[str, Form(pattern="^(confirm|clear)$")],
    note: Annotated[str, Form(max_length=200)] = "",
) -> RedirectResponse:
    """Confirm or clear a possible counterfeit, from the workspace's list."""
    decide = flags.confirm if decision == "confirm" else flags.clear
    decide(session, scope=scope, flag_id=flag_id, note=note)
    return RedirectResponse(f"/apps/trace?decided={decision}#flags", status_code=303)


DECIDED = {
    "confirm": "已确认疑似假冒：该批次的扫码页转为红码，提醒消费者",
    "clear": "已排除：该预警不在扫码页显示",
}
"""What a decision on a possible counterfeit changed, as the workspace says after it."""


@router.post("/trace/batches/{code}/certificate")
def issue_certificate(
    code: str, session: SessionDep, scope: ScopeDep, basis: Annotated[str, Form()] = "自我承诺"
) -> RedirectResponse:
    certificates.issue(session, scope=scope, code=code, basis=basis)
    return RedirectResponse(f"/trace/batches/{code}?done=certificate", status_code=303)
