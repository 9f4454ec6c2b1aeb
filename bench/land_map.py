"""The one map at chongqing scale: views of a town's size (a 1280 × 800 window at zoom 14)
around 200 villages, loaded from this process over loopback while the app serves from
another, as a district officer (scope of one district) and as the city administrator;
the constant-JSON endpoint of :mod:`bench.http` is the baseline of the same run.
"""

import math
import os
import random

from sqlalchemy import select

from bench import land_demo
from bench.http import BASELINE_PATH, measure, server
from yunong.core.auth import service as users
from yunong.core.auth.roles import Role
from yunong.core.errors import NotFound
from yunong.core.regions.codes import prefix_of
from yunong.core.scope import Scope
from yunong.land.models import VillageSummary
from yunong.store.db import make_engine, make_sessionmaker, transaction

ZOOM = 14
WINDOW = (1280, 800)
VIEWS = 200
DURATION = 15.0
CONNECTIONS = (1, 4)


def window_box(lon: float, lat: float) -> str:
    """The bbox a ``WINDOW``-sized web map at ``ZOOM`` shows around a point."""
    degrees_per_pixel = 360 / (256 * 2**ZOOM)
    half_width = WINDOW[0] / 2 * degrees_per_pixel
    half_height = WINDOW[1] / 2 * degrees_per_pixel * math.cos(math.radians(lat))
    return (
        f"{lon - half_width:.6f},{lat - half_height:.6f},{lon + half_width:.6f},"
        f"{lat + half_height:.6f}"
    )


def prepare(db_url: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """A token per role and the map requests each sends (views inside its own scope)."""
    engine = make_engine(db_url)
    tokens, paths = {}, {}
    with transaction(make_sessionmaker(engine)) as session:
        centres = session.execute(
            select(VillageSummary.village_code, VillageSummary.lon, VillageSummary.lat)
        ).all()
        district = "500101000000"
        for role, region in ((Role.CITY_ADMIN, "500000000000"), (Role.DISTRICT_OFFICER, district)):
            name = f"bench_map_{role.value}"
            try:
                user = users.get_by_name(session, scope=Scope.system("bench"), name=name)
            except NotFound:  # the first run on this database
                user = users.create(
                    session,
                    scope=Scope.system("bench"),
                    user_in=users.UserIn(
                        name=name,
                        role=role.value,
                        region_code=region,
                        password="Bench@2024map",
                        full_name="基准测试",
                    ),
                )
            tokens[role.value] = users.create_token(
                session, scope=Scope.system("bench"), user_id=user.id
            )
            inside = [c for c in centres if c.village_code.startswith(prefix_of(region))]
            chosen = random.Random(7).sample(inside, min(VIEWS, len(inside)))
            paths[role.value] = [
                f"/api/land/map?zoom={ZOOM}&bbox={window_box(c.lon, c.lat)}" for c in chosen
            ]
    engine.dispose()
    return tokens, paths


def run() -> None:
    db_url = land_demo.url()
    tokens, paths = prepare(db_url)
    with server(db_url) as port:
        results = [
            (
                connections,
                "constant JSON (baseline)",
                measure(port, [BASELINE_PATH], connections, DURATION),
            )
            for connections in CONNECTIONS
        ]
        for role, role_paths in paths.items():
            for connections in CONNECTIONS:
                load = measure(port, role_paths, connections, DURATION, tokens[role])
                results.append((connections, f"map views as {role}", load))
    print(
        f"{DURATION:g} s per run, {VIEWS} town-sized views at zoom {ZOOM}, one server process, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    baseline = {connections: load for connections, name, load in results[: len(CONNECTIONS)]}
    for connections, name, load in results:
        ratio = load.p50_ms / baseline[connections].p50_ms
        print(f"{connections:>2} connections, {name}: {load.line()} (p50 {ratio:.0f}× baseline)")
