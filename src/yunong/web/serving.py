"""``yunong serve``: the app in one or more uvicorn server processes.

Several processes share the work (one per CPU core unless told otherwise); each builds its
own app from the settings, with its own request slots and database pool. uvicorn's
supervisor starts a new process when one dies. On SIGTERM each process stops taking
connections, lets the requests in hand finish for up to :data:`GRACE_SECONDS`, then
cancels what is left (an upload being read is stopped with it) and exits.

uvicorn's own reading of ``X-Forwarded-For`` (which trusts 127.0.0.1) is switched off:
forwarded addresses are read by :mod:`yunong.web.security`, from the proxies the settings
list only.
"""

import gc
import os

import uvicorn
from fastapi import FastAPI

from yunong.settings import Settings, get_settings
from yunong.store.open import open_engine

GRACE_SECONDS = 20
KEEP_ALIVE_SECONDS = 75


def worker_count(settings: Settings, asked: int | None = None) -> int:
    return max(1, asked or settings.workers or os.cpu_count() or 1)


def application() -> FastAPI:
    """The app of one server process (uvicorn's factory)."""
    from yunong.web.app import create_app

    app = create_app(get_settings())
    # Everything loaded so far lives as long as the server: leaving it out of the cyclic
    # collector's scans keeps its pauses from adding ~100 ms to large responses.
    gc.freeze()
    return app


def run(settings: Settings, *, host: str, port: int, workers: int) -> None:
    # The database is opened once here first, so that a missing one is reported as one
    # clear line rather than by every process.
    open_engine(settings.database_url()).dispose()
    uvicorn.run(
        "yunong.web.serving:application",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=False,
        timeout_graceful_shutdown=GRACE_SECONDS,
        # Longer than the 60 s a proxy or a browser keeps an idle connection, so that the
        # server is not the one to close it just as a request is sent on it.
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        log_level="warning",
    )
