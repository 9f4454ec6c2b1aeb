"""The FastAPI application factory."""

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

import yunong
from yunong.core.errors import YunongError
from yunong.settings import Settings, get_settings
from yunong.store.db import make_sessionmaker
from yunong.store.open import open_engine
from yunong.web import api, views

WEB = Path(__file__).parent


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="渝农大脑 Yunong API",
        version=yunong.__version__,
        description="重庆乡村振兴数字化平台的 JSON API。",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.sessions = make_sessionmaker(open_engine(settings.database_url()))
    app.state.templates = Jinja2Templates(directory=WEB / "templates")
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")
    app.include_router(api.router)
    app.include_router(views.router)
    app.add_exception_handler(YunongError, business_error)  # type: ignore[arg-type]

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/api/openapi.json",
            title="渝农大脑 API",
            swagger_js_url="/static/vendor/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    return app


async def business_error(_request: Request, error: YunongError) -> JSONResponse:
    return JSONResponse({"detail": error.message}, status_code=error.status_code)
