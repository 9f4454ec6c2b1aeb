"""Entry pages of 高标准农田 for the district's farmland office: a new project, and on its
entry page the project itself, its parties (by 统一社会信用代码), its GB/T 30600-2022
content, its investment by source (all before approval) and, after acceptance, its 管护
duties. Each form is a thin shell over a service function of ``projects`` or
``maintenance``; a refusal is shown beside the form with what was typed."""

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from yunong.core.errors import InvalidValue, YunongError
from yunong.core.parsing import parse_date
from yunong.core.scope import Scope
from yunong.farmland import entry, maintenance, projects
from yunong.farmland.codes import (
    CONTENT_UNITS,
    DUTY_KINDS,
    FUNDING_SOURCES,
    KIND_LABELS,
    PARTY_LABELS,
)
from yunong.web import i18n
from yunong.web.auth import ScopeDep
from yunong.web.deps import SessionDep
from yunong.web.layout import render

router = APIRouter(include_in_schema=False)
SHOWN_ON_FORM = (409, 422)
"""Refusals shown beside the form; not found and forbidden answer as such."""
DONE = {
    "created": "项目已录入项目库。下一步：填写参建单位、建设内容和投资，再办理“规划编制”。",
    "project": "项目信息已保存。",
    "party": "参建单位已登记。",
    "content": "建设内容已保存。",
    "funding": "投资已保存。申报审批时将按政策包核对亩均投资。",
    "duty": "管护责任已落实，责任区的村（乡镇）可在手机上巡查和报告损毁。",
}
"""What each form did, and who acts next."""

Text = Annotated[str, Form(max_length=200)]


@router.get("/farmland/new", response_class=HTMLResponse)
def new_project(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    projects.check_may_enter(scope)
    return new_form(request, session, scope)


def new_form(
    request: Request,
    session: Session,
    scope: Scope,
    *,
    message: str = "",
    typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        session,
        "farmland/entry_new.html",
        status_code=status_code,
        kinds=KIND_LABELS,
        message=message,
        typed=typed or {"year": str(date.today().year), "district": scope.region_code or ""},
    )


@router.post("/farmland/new", response_model=None)
def create_project(
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    number: Annotated[str, Form(max_length=40)] = "",
    name: Annotated[str, Form(max_length=100)] = "",
    kind: Annotated[str, Form(max_length=20)] = "",
    year: Annotated[str, Form(max_length=10)] = "",
    scale_mu: Annotated[str, Form(max_length=20)] = "",
    district: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    typed = {
        "number": number,
        "name": name,
        "kind": kind,
        "year": year,
        "scale_mu": scale_mu,
        "district": district,
    }
    try:
        with session.begin_nested():
            project = projects.create(
                session,
                scope=scope,
                project_in=projects.ProjectIn(number, name, district, kind, year, scale_mu),  # type: ignore[arg-type]
            )
    except YunongError as error:
        if error.status_code not in SHOWN_ON_FORM:
            raise
        return new_form(
            request, session, scope, message=i18n.error_text(error), typed=typed, status_code=422
        )
    return RedirectResponse(f"/farmland/projects/{project.number}/entry?done=created", 303)


@router.get("/farmland/projects/{number}/entry", response_class=HTMLResponse)
def entry_page(
    number: str,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    done: str | None = None,
) -> HTMLResponse:
    projects.check_may_enter(scope)
    return entry_response(request, session, scope, number, done=DONE.get(done or "", ""))


def entry_response(
    request: Request,
    session: Session,
    scope: Scope,
    number: str,
    *,
    done: str = "",
    message: str = "",
    form: str = "",
    typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    view = entry.entry_view(session, scope=scope, number=number)
    return render(
        request,
        session,
        "farmland/entry_project.html",
        status_code=status_code,
        view=view,
        kinds=KIND_LABELS,
        party_labels=PARTY_LABELS,
        content_units=CONTENT_UNITS,
        funding_sources=FUNDING_SOURCES,
        duty_kinds=DUTY_KINDS,
        done=done,
        message=message,
        form=form,
        typed=typed or {},
    )


def saved(
    request: Request,
    session: Session,
    scope: Scope,
    number: str,
    form: str,
    typed: dict[str, str],
    action: Callable[[], object],
) -> Response:
    """Call the service inside a savepoint; refused, show the entry page again with the
    message beside the form and what was typed in it."""
    try:
        with session.begin_nested():
            action()
    except YunongError as error:
        if error.status_code not in SHOWN_ON_FORM:
            raise
        return entry_response(
            request,
            session,
            scope,
            number,
            message=i18n.error_text(error),
            form=form,
            typed=typed,
            status_code=422,
        )
    return RedirectResponse(f"/farmland/projects/{number}/entry?done={form}#{form}", 303)


@router.post("/farmland/projects/{number}/entry", response_model=None)
def update_project(
    number: str,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    name: Annotated[str, Form(max_length=100)] = "",
    kind: Annotated[str, Form(max_length=20)] = "",
    year: Annotated[str, Form(max_length=10)] = "",
    scale_mu: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    typed = {"name": name, "kind": kind, "year": year, "scale_mu": scale_mu}
    project_in = projects.ProjectIn(number, name, "", kind, year, scale_mu)  # type: ignore[arg-type]
    return saved(
        request,
        session,
        scope,
        number,
        "project",
        typed,
        lambda: projects.update(session, scope=scope, number=number, project_in=project_in),
    )


@router.post("/farmland/projects/{number}/parties", response_model=None)
def add_party(
    number: str,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    role: Annotated[str, Form(max_length=40)] = "",
    name: Annotated[str, Form(max_length=100)] = "",
    credit_code: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    typed = {"role": role, "name": name, "credit_code": credit_code}
    party_in = projects.PartyIn(role, name, credit_code)
    return saved(
        request,
        session,
        scope,
        number,
        "party",
        typed,
        lambda: projects.add_party(session, scope=scope, number=number, party_in=party_in),
    )


@router.post("/farmland/projects/{number}/content", response_model=None)
def set_content(
    number: str,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    category: Annotated[str, Form(max_length=40)] = "",
    quantity: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    typed = {"category": category, "quantity": quantity}
    return saved(
        request,
        session,
        scope,
        number,
        "content",
        typed,
        lambda: projects.set_content(
            session, scope=scope, number=number, category=category, quantity=quantity
        ),
    )


@router.post("/farmland/projects/{number}/funding", response_model=None)
def set_funding(
    number: str,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    source: Annotated[str, Form(max_length=40)] = "",
    amount: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    typed = {"source": source, "amount": amount}
    return saved(
        request,
        session,
        scope,
        number,
        "funding",
        typed,
        lambda: projects.set_funding(
            session, scope=scope, number=number, source=source, amount=amount
        ),
    )


@router.post("/farmland/projects/{number}/duties", response_model=None)
def add_duty(
    number: str,
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    region_code: Annotated[str, Form(max_length=20)] = "",
    party_kind: Annotated[str, Form(max_length=20)] = "",
    party_name: Annotated[str, Form(max_length=100)] = "",
    facilities: Text = "",
    until: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    typed = {
        "region_code": region_code,
        "party_kind": party_kind,
        "party_name": party_name,
        "facilities": facilities,
        "until": until,
    }
    return saved(
        request,
        session,
        scope,
        number,
        "duty",
        typed,
        lambda: maintenance.add_duty(
            session,
            scope=scope,
            number=number,
            duty_in=maintenance.DutyIn(
                region_code, party_kind, party_name, facilities, until_of(until)
            ),
        ),
    )


def until_of(text: str) -> date:
    if not text.strip():
        raise InvalidValue("请填写管护期限")
    return parse_date(text)
