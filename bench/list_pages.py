"""The first page of the city's case list and household list on the chongqing demo, served by
another process and loaded over loopback as the city administrator; the constant-JSON
endpoint of :mod:`bench.http` is the baseline of the same run.

The database is the one the settings name (``YUNONG_DB_URL``, else ``var/yunong.db``) when it
holds the chongqing demo, else the one the land benchmarks build (``BENCH_LAND_DB`` reuses
one). The first request of the household list after the server starts is timed on its own:
it counts the city's households, which later requests take from memory until a household is
added (see ``monitor/lists.py``).
"""

import os
import time
import urllib.request

from sqlalchemy import select

from bench import land_demo
from bench.http import BASELINE_PATH, measure, server
from yunong.core.auth import service as users
from yunong.core.auth.roles import Role
from yunong.core.errors import NotFound
from yunong.core.regions.codes import CITY_CODE
from yunong.core.scope import Scope
from yunong.settings import get_settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.store.models import AppMeta

DURATION = 10.0
PAGES = {
    "case list (/apps/monitor)": "/apps/monitor",
    "household list (/monitor/households)": "/monitor/households",
}
LIMIT_MS = 300


def demo_url() -> str:
    """The chongqing demo of the settings' database, else the land benchmarks' one."""
    url = get_settings().database_url()
    engine = make_engine(url)
    try:
        with transaction(make_sessionmaker(engine)) as session:
            scale = session.scalar(select(AppMeta.value).where(AppMeta.key == "demo_scale"))
    except Exception:  # no such file or no schema yet: not a demo
        scale = None
    finally:
        engine.dispose()
    return url if scale == land_demo.SCALE else land_demo.url()


def city_token(db_url: str) -> str:
    """An API token of a city administrator made for the benchmark."""
    engine = make_engine(db_url)
    system = Scope.system("bench")
    with transaction(make_sessionmaker(engine)) as session:
        name = "bench_lists_city"
        try:
            user = users.get_by_name(session, scope=system, name=name)
        except NotFound:  # the first run on this database
            user = users.create(
                session,
                scope=system,
                user_in=users.UserIn(
                    name=name,
                    role=Role.CITY_ADMIN.value,
                    region_code=CITY_CODE,
                    password="Bench@2024lists",
                    full_name="基准测试",
                ),
            )
        token = users.create_token(session, scope=system, user_id=user.id)
    engine.dispose()
    return token


def first_request_ms(port: int, path: str, token: str) -> float:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Bearer {token}"}
    )
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
    return (time.perf_counter() - start) * 1000


def run() -> None:
    db_url = demo_url()
    token = city_token(db_url)
    with server(db_url) as port:
        # The server's first page (templates compiled, the pack read), then the households.
        first = first_request_ms(port, "/monitor/alerts", token)
        cold = first_request_ms(port, PAGES["household list (/monitor/households)"], token)
        baseline = measure(port, [BASELINE_PATH], 1, DURATION)
        loads = {name: measure(port, [path], 1, DURATION, token) for name, path in PAGES.items()}
    print(
        f"{DURATION:g} s per run, one connection, one server process, as the city administrator, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(f"constant JSON (baseline): {baseline.line()}")
    for name, load in loads.items():
        ratio = load.p50_ms / baseline.p50_ms
        verdict = "under" if load.p95_ms < LIMIT_MS else "OVER"
        print(f"{name}: {load.line()} (p50 {ratio:.0f}× baseline; p95 {verdict} {LIMIT_MS} ms)")
    print(f"first page the server shows (the alert list): {first:.0f} ms")
    print(f"household list, first request after that (the city's total counted): {cold:.0f} ms")
