"""An HTTP load generator for the web benchmarks, and the app served in a child process.

The server (uvicorn, one process, the app as ``yunong serve`` builds it plus a
``/bench/constant`` route mounted here only, the baseline) runs in a child process; the
benchmark's own process sends keep-alive HTTP/1.1 requests on loopback, each connection
sending its next request when the previous answer is in, for a fixed number of seconds.
"""

import asyncio
import gc
import itertools
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

WARM_UP = 2.0
BASELINE_PATH = "/bench/constant"


@dataclass(frozen=True)
class Load:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def line(self) -> str:
        return (
            f"{self.per_second:,.0f} req/s, p50 {self.p50_ms:.1f} ms, p95 {self.p95_ms:.1f} ms, "
            f"p99 {self.p99_ms:.1f} ms, {self.errors} non-200"
        )


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

    gc.freeze()  # as `yunong serve` does
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(db_url: str) -> Iterator[int]:
    """The app on ``db_url`` in a child process; yields its port once it answers."""
    port = free_port()
    child = subprocess.Popen(
        [sys.executable, "-m", "bench.http", db_url, str(port)],
        env={key: value for key, value in os.environ.items() if not key.startswith("YUNONG_")},
    )
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{BASELINE_PATH}", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        child.terminate()
        child.wait(timeout=10)


async def one_connection(
    port: int, paths: Iterator[str], headers: str, until: float, record: list[float]
) -> int:
    """Send requests one after another on a keep-alive connection; returns the error count."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    errors = 0
    while time.perf_counter() < until:
        request = f"GET {next(paths)} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}\r\n".encode()
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


async def load(
    port: int, paths: list[str], seconds: float, connections: int, token: str | None
) -> Load:
    latencies: list[float] = []
    cycle = itertools.cycle(paths)
    headers = f"Authorization: Bearer {token}\r\n" if token else ""
    started = time.perf_counter()
    until = started + seconds
    errors = await asyncio.gather(
        *(one_connection(port, cycle, headers, until, latencies) for _ in range(connections))
    )
    elapsed = time.perf_counter() - started
    latencies.sort()

    def at(share: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * share))] * 1000

    return Load(len(latencies), elapsed, at(0.5), at(0.95), at(0.99), sum(errors))


def measure(
    port: int, paths: list[str], connections: int, seconds: float, token: str | None = None
) -> Load:
    asyncio.run(load(port, paths, WARM_UP, connections, token))
    return asyncio.run(load(port, paths, seconds, connections, token))


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]))
