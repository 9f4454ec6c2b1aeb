"""The FastAPI application factory."""

from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.middleware.base import RequestResponseEndpoint

import yunong
from yunong import apps
from yunong.core.errors import YunongError
from yunong.settings import Settings, get_settings
from yunong.store.db import make_sessionmaker, reading, transaction
from yunong.store.open import open_engine
from yunong.web import api, i18n, login, security, views
from yunong.web.auth import NotAuthenticated, note_refusal, write_refusals, write_session
from yunong.web.layout import render

WEB = Path(__file__).parent


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="渝农大脑 Yunong API",
        version=yunong.__version__,
        description="重庆乡村振兴数字化平台的 JSON API。除 /api/health 外均需登录"
        "（会话 Cookie 加 X-CSRF-Token，或 Authorization: Bearer 令牌）。",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    engine = open_engine(
        settings.database_url(),
        pool_size=settings.request_slots,
        pool_timeout=settings.request_wait_seconds,
    )
    app.state.sessions = make_sessionmaker(engine)
    app.state.read_sessions = make_sessionmaker(reading(engine))
    app.state.templates = templates()
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")
    app.include_router(api.router)
    app.include_router(login.router)
    for router in apps.routers():
        app.include_router(router)
    app.include_router(views.router)
    app.add_exception_handler(YunongError, business_error)  # type: ignore[arg-type]
    app.middleware("http")(language_and_session)
    security.protect(app, settings)

    @app.get("/api/docs", include_in_schema=False)
    def api_docs(request: Request) -> HTMLResponse:
        # Swagger UI started from /static/api-docs.js: the security policy allows no inline script.
        return app.state.templates.TemplateResponse(request, "api_docs.html")

    return app


def templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(WEB / "templates"),
        autoescape=select_autoescape(),
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=i18n.gettext, ngettext=i18n.ngettext, newstyle=True
    )
    env.filters["data"] = i18n.data_value
    env.filters["labels"] = i18n.translated_list
    env.filters["unit"] = i18n.gettext
    # A label held in a variable: gettext without the %-formatting of _(), which a "%" breaks.
    env.filters["translated"] = i18n.gettext
    env.filters["origin"] = i18n.origin_text
    env.filters["quantity"] = i18n.quantity_text
    env.filters["label_or_data"] = i18n.label_or_data
    return Jinja2Templates(env=env)


async def language_and_session(request: Request, call_next: RequestResponseEndpoint) -> Response:
    """Pick the language for this request, and write the session cookie back if it changed."""
    token = i18n.current_language.set(i18n.choose_language(request.cookies.get(i18n.COOKIE)))
    try:
        response = await call_next(request)
    finally:
        i18n.current_language.reset(token)
    write_session(request, response)
    await run_in_threadpool(write_refusals, request)
    return response


async def business_error(request: Request, error: YunongError) -> Response:
    """JSON for the API, a page (or the login page) for people; scope and role refusals are
    recorded."""
    note_refusal(request, error)
    if request.url.path.startswith(("/api", "/ogc")):
        return JSONResponse({"detail": error.message}, status_code=error.status_code)
    if isinstance(error, NotAuthenticated):
        target = quote(request.url.path)
        return RedirectResponse(f"/login?next={target}&reason={error.reason}", status_code=303)
    # In a thread, on a transaction that only reads: waiting in the event loop for a
    # database lock would stop every other request of this process meanwhile.
    return await run_in_threadpool(error_page, request, error)


def error_page(request: Request, error: YunongError) -> Response:
    with transaction(request.app.state.read_sessions) as session:
        return render(
            request,
            session,
            "error.html",
            status_code=error.status_code,
            message=i18n.error_text(error),
        )
