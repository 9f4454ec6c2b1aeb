"""The public scan page under load, against a constant-JSON endpoint on the same app.

The server (uvicorn, one process, the app as ``yunong serve`` builds it plus a
``/bench/constant`` route mounted here only) runs in a child process; this process
is the load generator: keep-alive HTTP/1.1 connections on loopback, each sending its
next request when the previous answer is in, for a fixed number of seconds. Both
endpoints are measured in the same run; the ratio of their throughputs is printed.
"""

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.timing import scratch_dir

CONNECTION_COUNTS = (8, 32)
WARM_UP = 2.0
DURATION = 10.0
BASELINE_PATH = "/bench/constant"


@dataclass(frozen=True)
class Load:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def serve(db_url: str, port: int) -> None:
    """Run the app with the baseline route; called in the child process."""
    import uvicorn
    from fastapi.responses import JSONResponse

    from yunong.settings import Settings
    from yunong.web.app import create_app

    settings = Settings(
        db_url=db_url, var_dir=Path(db_url[10:]).parent, public_rate_per_minute=10**9
    )
    app = create_app(settings)
    body = {"status": "ok", "product": "constant", "events": list(range(8))}

    @app.get(BASELINE_PATH, include_in_schema=False)
    async def constant() -> JSONResponse:
        return JSONResponse(body)

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


async def one_connection(port: int, path: str, until: float, record: list[float]) -> int:
    """Send requests one after another on a keep-alive connection; returns the error count."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
    errors = 0
    while time.perf_counter() < until:
        start = time.perf_counter()
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = next(
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        await reader.readexactly(length)
        record.append(time.perf_counter() - start)
        errors += status != 200
    writer.close()
    return errors


async def load(port: int, path: str, seconds: float, connections: int) -> Load:
    latencies: list[float] = []
    started = time.perf_counter()
    until = started + seconds
    errors = await asyncio.gather(
        *(one_connection(port, path, until, latencies) for _ in range(connections))
    )
    elapsed = time.perf_counter() - started
    latencies.sort()
    return Load(
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=latencies[len(latencies) // 2] * 1000,
        p99_ms=latencies[int(len(latencies) * 0.99)] * 1000,
        errors=sum(errors),
    )


def measure(port: int, path: str, connections: int) -> Load:
    asyncio.run(load(port, path, WARM_UP, connections))
    return asyncio.run(load(port, path, DURATION, connections))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepare() -> tuple[str, str]:
    """A tiny demo database (with the trace demo) and the code of a batch with a full chain."""
    from sqlalchemy import select

    from yunong.demo.build import build
    from yunong.store.db import make_engine, make_sessionmaker, transaction
    from yunong.trace.models import Batch, Event

    db_url = f"sqlite:///{scratch_dir() / 'bench.db'}"
    engine = make_engine(db_url)
    build(engine, scale_name="tiny")
    with transaction(make_sessionmaker(engine)) as session:
        code = session.scalars(
            select(Batch.code)
            .join(Event, Event.batch_id == Batch.id)
            .where(Event.step == "sale")
            .order_by(Batch.id.desc())
        ).first()
    engine.dispose()
    assert code is not None
    return db_url, code


def run() -> None:
    db_url, code = prepare()
    port = free_port()
    child = subprocess.Popen(
        [sys.executable, "-m", "bench.trace_scan", "serve", db_url, str(port)],
        env={key: value for key, value in os.environ.items() if not key.startswith("YUNONG_")},
    )
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{BASELINE_PATH}", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        results = [
            (
                connections,
                measure(port, BASELINE_PATH, connections),
                measure(port, f"/c/{code}", connections),
            )
            for connections in CONNECTION_COUNTS
        ]
    finally:
        child.terminate()
        child.wait(timeout=10)
    print(f"{DURATION:g} s per run, one server process, load average {os.getloadavg()[0]:.1f}")
    for connections, baseline, scan in results:
        for name, result in (
            ("constant JSON (baseline)", baseline),
            (f"scan page /c/{code}", scan),
        ):
            print(
                f"{connections:>3} connections, {name}: {result.per_second:,.0f} req/s, "
                f"p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms, {result.errors} non-200"
            )
        print(
            f"{connections:>3} connections, scan / baseline throughput: "
            f"{scan.per_second / baseline.per_second:.2f}"
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        serve(sys.argv[2], int(sys.argv[3]))
    else:
        run()
