"""`yunong serve --workers 2` under a crowd, on SQLite and on PostgreSQL (issue 20).

For 60 s: 200 signed-in clients over a mix of list, detail, map and write requests, and 200
anonymous clients on the public scan page, each behind its own forwarded address (the
server trusts 127.0.0.1 as its proxy, as it would behind nginx). Beside them, once a
second, a crafted 1.7 KB xlsx upload that must be refused within 1 s, and the health check
twice a second. Every client waits between requests as a person would: signed-in clients
0.5–1.5 s, anonymous ones about a second (under the 120 a minute the scan page allows).

Baseline, in the same run against the same server: the health check alone, 400 clients
without pause for 10 s. Printed: per route the requests, statuses and p50/p95/p99, the
throughput against the baseline's, and the requirements (no 500, no connection error,
503s under 1 %, every crafted upload refused within 1 s, the health check always 200).

Traffic goes to 127.0.0.1 only; every loop is bounded in time.
"""

import asyncio
import io
import itertools
import json
import os
import random
import signal
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bench.http import free_port
from bench.timing import scratch_dir

SECONDS = 60.0
BASELINE_SECONDS = 10.0
SIGNED_IN = 200
ANONYMOUS = 200
WORKERS = 2
PERIOD_UPLOAD = "/assess/2024/data/500101000000/upload"
DISTRICT, VILLAGE = "500101000000", "500101001200"


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    errors: Counter[str] = field(default_factory=Counter)

    def note(self, route: str, status: int, seconds: float) -> None:
        self.latencies[route].append(seconds)
        self.statuses[route][status] += 1


@dataclass(frozen=True)
class Scene:
    """What the clients ask for: tokens, codes and the map's view."""

    officer: str
    grid: str
    households: list[str]
    village_households: list[str]
    batches: list[str]
    view: str = ""
    officer_batches: list[str] = field(default_factory=list)


# The database and the server -----------------------------------------------------------------


def prepare(db_url: str) -> Scene:
    """A tiny demo, tokens for the district officer and the grid worker, and what to ask."""
    from sqlalchemy import select

    from yunong.core.auth import service as users
    from yunong.core.scope import Scope
    from yunong.demo.build import build
    from yunong.monitor.models import Household
    from yunong.store.db import make_engine, make_sessionmaker, transaction
    from yunong.trace.models import Batch

    engine = make_engine(db_url)
    build(engine, scale_name="tiny")
    system = Scope.system("bench")
    with transaction(make_sessionmaker(engine)) as session:
        tokens = {
            name: users.create_token(
                session,
                scope=system,
                user_id=users.get_by_name(session, scope=system, name=name).id,
            )
            for name in ("demo_district", "demo_grid")
        }
        households = list(
            session.scalars(select(Household.code).where(Household.village_code.like("500101%")))
        )
        village = list(
            session.scalars(select(Household.code).where(Household.village_code == VILLAGE))
        )
        batches = list(session.scalars(select(Batch.code)))
    engine.dispose()
    return Scene(tokens["demo_district"], tokens["demo_grid"], households, village, batches)


def with_view(scene: Scene, port: int) -> Scene:
    """The map's view: about 10 km around the demo village, where the one map puts it."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/land/map?bbox=105,28,111,33&zoom=8",
        headers={"Authorization": f"Bearer {scene.officer}"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        villages = json.load(answer)["features"]["features"]
    lon, lat = next(
        point["geometry"]["coordinates"]
        for point in villages
        if point["properties"]["code"] == VILLAGE
    )
    view = f"{lon - 0.05:.4f},{lat - 0.04:.4f},{lon + 0.05:.4f},{lat + 0.04:.4f}"
    return Scene(scene.officer, scene.grid, scene.households, scene.village_households,
                 scene.batches, view, visible_batches(port, scene.officer))  # fmt: skip


def visible_batches(port: int, token: str) -> list[str]:
    """The batches the district officer may open, as the list shows them."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/trace/batches", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return [batch["code"] for batch in json.load(answer)]


def start_server(db_url: str, var_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("YUNONG_")}
    env |= {
        "YUNONG_DB_URL": db_url,
        "YUNONG_VAR_DIR": str(var_dir),
        "YUNONG_TRUSTED_PROXIES": "127.0.0.1",
        "YUNONG_PUBLIC_URL": f"http://127.0.0.1:{port}",
    }
    log = (var_dir / "serve.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "yunong", "serve", "--workers", str(WORKERS), "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"yunong serve 未能启动，见 {var_dir / 'serve.log'}")


# A small HTTP/1.1 client on keep-alive connections ------------------------------------------------


class Connection:
    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.body = b""
        """The last answer's body."""

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n"
        head += "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        self.writer.write(head.encode() + b"\r\n" + body)
        status_line, *lines = (await self.reader.readuntil(b"\r\n\r\n")).split(b"\r\n")
        found = {
            name.strip().lower(): value.strip()
            for name, _, value in (line.partition(b":") for line in lines if line)
        }
        if found.get(b"transfer-encoding") == b"chunked":
            chunks = []
            while size := int((await self.reader.readuntil(b"\r\n")).strip(), 16):
                chunks.append((await self.reader.readexactly(size + 2))[:-2])
            await self.reader.readuntil(b"\r\n")
            self.body = b"".join(chunks)
        else:
            self.body = await self.reader.readexactly(int(found.get(b"content-length", b"0")))
        if found.get(b"connection") == b"close":
            self.close()
        return int(status_line.split(b" ", 2)[1])

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def timed(
    tally: Tally, route: str, connection: Connection, method: str, path: str, **rest: object
) -> int | None:
    start = time.perf_counter()
    try:
        status = await connection.request(method, path, **rest)  # type: ignore[arg-type]
    except (OSError, asyncio.IncompleteReadError, ValueError) as error:
        tally.errors[f"{route}: {type(error).__name__}"] += 1
        connection.close()
        return None
    tally.note(route, status, time.perf_counter() - start)
    return status


# The clients -------------------------------------------------------------------------------------


def signed_in_request(scene: Scene, rng: random.Random, serial: itertools.count) -> tuple:
    """One request of the mix: route name, method, path, headers, body."""
    officer = {"Authorization": f"Bearer {scene.officer}"}
    pick = rng.random()
    if pick < 0.15:
        return "list: cases", "GET", "/api/monitor/cases", officer, b""
    if pick < 0.30:
        return "list: batches", "GET", "/api/trace/batches", officer, b""
    if pick < 0.45:
        code = rng.choice(scene.households)
        return "detail: household", "GET", f"/api/monitor/households/{code}", officer, b""
    if pick < 0.60:
        code = rng.choice(scene.officer_batches)
        return "detail: batch", "GET", f"/api/trace/batches/{code}", officer, b""
    if pick < 0.80:
        path = f"/api/land/map?bbox={scene.view}&zoom=14"
        return "map: parcels in view", "GET", path, officer, b""
    visit = {
        "client_key": f"bench-{os.getpid()}-{next(serial):08d}",
        "household_code": rng.choice(scene.village_households),
        "visited_on": date.today().isoformat(),
        "note": "负载测试走访",
    }
    headers = {"Authorization": f"Bearer {scene.grid}", "Content-Type": "application/json"}
    return "write: visit", "POST", "/api/monitor/visits", headers, json.dumps(visit).encode()


async def signed_in_client(
    port: int, scene: Scene, tally: Tally, until: float, number: int, serial: itertools.count
) -> None:
    rng = random.Random(number)
    connection = Connection(port)
    await asyncio.sleep(rng.random())
    while time.monotonic() < until:
        route, method, path, headers, body = signed_in_request(scene, rng, serial)
        await timed(tally, route, connection, method, path, headers=headers, body=body)
        await asyncio.sleep(rng.uniform(0.5, 1.5))
    connection.close()


async def anonymous_client(
    port: int, scene: Scene, tally: Tally, until: float, number: int
) -> None:
    rng = random.Random(10_000 + number)
    connection = Connection(port)
    forwarded = {"X-Forwarded-For": f"10.{number // 250}.{number % 250}.{rng.randint(1, 250)}"}
    await asyncio.sleep(rng.random())
    while time.monotonic() < until:
        path = f"/c/{rng.choice(scene.batches)}"
        await timed(tally, "public: scan page", connection, "GET", path, headers=forwarded)
        await asyncio.sleep(rng.uniform(0.8, 1.2))
    connection.close()


async def crafted_uploads(port: int, scene: Scene, tally: Tally, until: float) -> None:
    """One crafted workbook a second, each on a new connection, alternating the two kinds."""
    boundary = "benchboundary"
    for kind in itertools.cycle(("rows", "strings")):
        if time.monotonic() >= until:
            return
        started = time.monotonic()
        content = rows_bomb() if kind == "rows" else strings_bomb()
        part = 'form-data; name="file"; filename="填报.xlsx"'
        head = f"--{boundary}\r\nContent-Disposition: {part}\r\n\r\n".encode()
        body = head + content + f"\r\n--{boundary}--\r\n".encode()
        headers = {
            "Authorization": f"Bearer {scene.officer}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        }
        connection = Connection(port)
        await timed(
            tally, f"upload: crafted xlsx ({kind})", connection, "POST", PERIOD_UPLOAD,
            headers=headers, body=body,
        )  # fmt: skip
        connection.close()
        await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() - started)))


async def health_checks(port: int, tally: Tally, until: float) -> None:
    connection = Connection(port)
    while time.monotonic() < until:
        await timed(tally, "health check", connection, "GET", "/api/health", headers={})
        await asyncio.sleep(0.5)
    connection.close()


async def baseline(port: int, seconds: float) -> tuple[int, Tally]:
    tally = Tally()
    until = time.monotonic() + seconds

    async def client() -> None:
        connection = Connection(port)
        while time.monotonic() < until:
            await timed(
                tally, "health check (baseline)", connection, "GET", "/api/health", headers={}
            )
        connection.close()

    await asyncio.gather(*(client() for _ in range(SIGNED_IN + ANONYMOUS)))
    return sum(len(found) for found in tally.latencies.values()), tally


async def crowd(port: int, scene: Scene, seconds: float) -> Tally:
    tally = Tally()
    until = time.monotonic() + seconds
    serial = itertools.count()
    await asyncio.gather(
        *(
            signed_in_client(port, scene, tally, until, number, serial)
            for number in range(SIGNED_IN)
        ),
        *(anonymous_client(port, scene, tally, until, number) for number in range(ANONYMOUS)),
        crafted_uploads(port, scene, tally, until),
        health_checks(port, tally, until),
    )
    return tally


# Crafted workbooks -------------------------------------------------------------------------------


def package(sheet: str, shared: str | None = None) -> bytes:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="r1" Type="{relations}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{relations}"><sheets>'
            '<sheet name="填报" sheetId="1" r:id="r1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="r1" Type="{relations}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="r2" Type="{relations}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


HEADER = "".join(
    f'<c r="{chr(65 + index)}1" t="inlineStr"><is><t>{name}</t></is></c>'
    for index, name in enumerate(["年度", "填报单位代码", "指标标识", "单位", "数值"])
)


def rows_bomb() -> bytes:
    """A template's headers and a sheet claiming every row and column, one cell in the last."""
    return package(
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:XFD1048576"/><sheetData><row r="1">{HEADER}</row>'
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
    )


def strings_bomb() -> bytes:
    """Shared strings that unpack to 30 MB from a few dozen KB."""
    strings = "<si><t>重庆乡村振兴</t></si>" * 1_500_000
    return package(
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<sheetData><row r="1">{HEADER}</row></sheetData></worksheet>',
        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{strings}</sst>',
    )


# Report ------------------------------------------------------------------------------------------


def share(latencies: list[float], at: float) -> float:
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(len(ordered) * at))] * 1000


def report(backend: str, base_requests: int, tally: Tally) -> bool:
    total = sum(len(found) for found in tally.latencies.values())
    print(
        f"{backend}: {SIGNED_IN} signed-in + {ANONYMOUS} anonymous clients, {SECONDS:g} s, "
        f"{WORKERS} server processes, load average {os.getloadavg()[0]:.1f}"
    )
    print(f"  {'route':<32}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  statuses")
    for route in sorted(tally.latencies):
        found = tally.latencies[route]
        statuses = ", ".join(f"{status}×{n}" for status, n in sorted(tally.statuses[route].items()))
        print(
            f"  {route:<32}{len(found):>9}{share(found, 0.5):>9.0f}{share(found, 0.95):>9.0f}"
            f"{share(found, 0.99):>9.0f}  {statuses}"
        )
    per_second, base_per_second = total / SECONDS, base_requests / BASELINE_SECONDS
    print(
        f"  throughput {per_second:,.0f} req/s; baseline (health check alone, "
        f"{SIGNED_IN + ANONYMOUS} clients without pause) {base_per_second:,.0f} req/s; "
        f"ratio {per_second / base_per_second:.2f}"
    )
    everything: Counter[int] = sum(tally.statuses.values(), Counter())
    uploads = [
        (route, seconds)
        for route in tally.latencies
        if route.startswith("upload")
        for seconds in tally.latencies[route]
    ]
    upload_statuses = sum((tally.statuses[route] for route, _ in uploads), Counter())
    checks = {
        "no response 500": everything[500] == 0,
        "no connection error": not tally.errors,
        f"503s under 1 % ({everything[503]} of {total})": everything[503] < total / 100,
        f"crafted uploads refused (413) within 1 s ({len(uploads)}, slowest "
        f"{max((s for _, s in uploads), default=0) * 1000:.0f} ms)": bool(uploads)
        and set(upload_statuses) == {413}
        and all(seconds < 1.0 for _, seconds in uploads),
        "health check always 200": set(tally.statuses["health check"]) == {200},
    }
    for error, count in tally.errors.items():
        print(f"  connection error {error}: {count}")
    for check, held in checks.items():
        print(f"  {'✓' if held else '✗'} {check}")
    return all(checks.values())


def backends() -> list[tuple[str, str]]:
    """SQLite always; PostgreSQL on the test server when ``YUNONG_TEST_PG_URL`` names one."""
    found = [("sqlite", f"sqlite:///{scratch_dir() / 'serve.db'}")]
    pg_url = os.environ.get("YUNONG_TEST_PG_URL", "")
    if pg_url:
        found.append(("postgresql", fresh_postgres(pg_url, "yunong_bench_serve")))
    return found


def fresh_postgres(base_url: str, name: str) -> str:
    """Database ``name`` dropped and made again, with PostGIS, on the server of ``base_url``."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(base_url).set(drivername="postgresql+psycopg")
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = base.set(database=name)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    engine.dispose()
    return url.render_as_string(hide_password=False)


def run() -> None:
    held = True
    for backend, db_url in backends():
        scene = prepare(db_url)
        port = free_port()
        server = start_server(db_url, scratch_dir(), port)
        try:
            scene = with_view(scene, port)
            base_requests, _ = asyncio.run(baseline(port, BASELINE_SECONDS))
            tally = asyncio.run(crowd(port, scene, SECONDS))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
        held = report(backend, base_requests, tally) and held
    print("all requirements held" if held else "some requirements did not hold")


if __name__ == "__main__":
    run()
