"""What protects every response and every request, whatever the route.

- Security headers: a content security policy that allows no inline script (every script
  is a file under ``/static``), no framing, no type sniffing, a same-origin referrer, and
  HSTS when cookies are sent over HTTPS only.
- Trusted proxies: the client's address is taken from ``X-Forwarded-For`` only when the
  connection comes from a proxy listed in the settings (uvicorn's own handling, which
  trusts 127.0.0.1, is switched off by ``yunong serve``).
- Request slots: a server process works on a fixed number of requests at once, and its
  database pool has a connection for each (see :func:`yunong.store.db.make_engine`), so
  requests never wait on one another for connections and threads; a request that cannot
  get a slot or a connection in time is answered 503 with ``Retry-After``, never 500.
"""

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

import anyio
import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from yunong.settings import Settings
from yunong.web.deps import SAFE_METHODS

RETRY_AFTER = "5"
BUSY = "服务器繁忙，请稍后再试"
STATIC = "/static/"
HEALTH = "/api/health"
HEALTH_SLOTS = UPLOAD_SLOTS = 2
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def protect(app: FastAPI, settings: Settings) -> None:
    """Add the headers, the trusted-proxy rule, the request slots and the 503 answers."""
    app.add_exception_handler(PoolTimeout, busy)
    app.add_exception_handler(OperationalError, database_busy)  # type: ignore[arg-type]
    app.add_middleware(RetryAsWriter)
    app.add_middleware(
        RequestSlots, slots=settings.request_slots, wait_seconds=settings.request_wait_seconds
    )
    app.add_middleware(SecurityHeaders, headers=security_headers(settings))
    app.add_middleware(TrustedProxies, proxies=parse_networks(settings.trusted_proxies))


# Headers ----------------------------------------------------------------------------------


def content_security_policy(settings: Settings) -> str:
    images = ["'self'", "data:", "blob:"]
    if settings.map_tiles:
        parts = urlsplit(settings.map_tiles.replace("{", "").replace("}", ""))
        if parts.scheme and parts.hostname:
            images.append(f"{parts.scheme}://{parts.netloc}")
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            # ECharts, Leaflet and htmx set style attributes from their scripts.
            "style-src 'self' 'unsafe-inline'",
            f"img-src {' '.join(images)}",
            "connect-src 'self'",
            "font-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def security_headers(settings: Settings) -> list[tuple[bytes, bytes]]:
    headers = {
        "content-security-policy": content_security_policy(settings),
        "x-content-type-options": "nosniff",
        "x-frame-options": "DENY",
        "referrer-policy": "same-origin",
        "permissions-policy": "geolocation=(self), camera=(self), microphone=()",
    }
    if settings.cookie_secure:
        headers["strict-transport-security"] = "max-age=31536000; includeSubDomains"
    return [(name.encode(), value.encode()) for name, value in headers.items()]


class SecurityHeaders:
    """Add the security headers to every response that does not set them itself."""

    def __init__(self, app: ASGIApp, headers: list[tuple[bytes, bytes]]) -> None:
        self.app = app
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                added = [(name, value) for name, value in self.headers if name not in present]
                message["headers"] = [*message.get("headers", []), *added]
            await send(message)

        await self.app(scope, receive, send_with_headers)


# Trusted proxies -----------------------------------------------------------------------------


def parse_networks(text: str) -> list[Network]:
    """``10.0.0.5, 10.1.0.0/16`` as networks; a mistyped entry stops the server at start."""
    found = []
    for part in text.split(","):
        if part.strip():
            try:
                found.append(ipaddress.ip_network(part.strip(), strict=False))
            except ValueError:
                raise ValueError(
                    f"YUNONG_TRUSTED_PROXIES 中的“{part.strip()}”不是地址或网段"
                ) from None
    return found


def trusted(address: str, proxies: Iterable[Network]) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in proxies)


def forwarded_client(peer: str, forwarded: str, proxies: list[Network]) -> str:
    """The client behind the trusted proxies: the right-most address of ``X-Forwarded-For``
    that is not itself a trusted proxy (addresses further left are the client's own say)."""
    if not trusted(peer, proxies):
        return peer
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not trusted(hop, proxies):
            return hop
    return hops[0] if hops else peer


class TrustedProxies:
    """Set the request's client to the address its trusted proxies forwarded, if any."""

    def __init__(self, app: ASGIApp, proxies: list[Network]) -> None:
        self.app = app
        self.proxies = proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if scope["type"] == "http" and self.proxies and client:
            forwarded = b",".join(
                value for name, value in scope["headers"] if name == b"x-forwarded-for"
            ).decode("latin-1")
            if forwarded:
                scope = dict(scope)
                scope["client"] = (forwarded_client(client[0], forwarded, self.proxies), 0)
        await self.app(scope, receive, send)


# Request slots and 503 -------------------------------------------------------------------------


class RequestSlots:
    """At most ``slots`` requests at once; the rest wait up to ``wait_seconds``, then 503.

    The health check has slots of its own, so that it answers at once while the others
    queue, and so have uploads (a form with a file), so that a refusal comes at once and a
    few uploads being read never hold up the rest; static files take none (they touch no
    database). Every request that may hold a database connection holds a slot first: that
    keeps the connections in use below the pool's size, even while requests wait for a
    thread to finish in.
    """

    def __init__(self, app: ASGIApp, slots: int, wait_seconds: float) -> None:
        self.app = app
        self.slots = slots
        self.wait_seconds = wait_seconds
        self.limiters: dict[str, anyio.CapacityLimiter] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(STATIC):
            await self.app(scope, receive, send)
            return
        limiter = self.limiter(lane(scope))
        borrower, admitted = object(), False
        with anyio.move_on_after(self.wait_seconds):
            await limiter.acquire_on_behalf_of(borrower)
            admitted = True
        if not admitted:
            await busy_response(scope)(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            limiter.release_on_behalf_of(borrower)

    def limiter(self, name: str) -> anyio.CapacityLimiter:
        """The slots, made in the server's event loop, with threads to spare for them."""
        if not self.limiters:
            self.limiters = {
                "requests": anyio.CapacityLimiter(self.slots),
                "health": anyio.CapacityLimiter(HEALTH_SLOTS),
                "uploads": anyio.CapacityLimiter(UPLOAD_SLOTS),
            }
            threads = anyio.to_thread.current_default_thread_limiter()
            threads.total_tokens = max(threads.total_tokens, 2 * self.slots + 8)
        return self.limiters[name]


def lane(scope: Scope) -> str:
    if scope["path"] == HEALTH:
        return "health"
    for name, value in scope["headers"]:
        if name == b"content-type" and value.startswith(b"multipart/form-data"):
            return "uploads"
    return "requests"


def busy_response(scope: Scope) -> Response:
    if scope["path"].startswith(("/api", "/ogc")):
        return JSONResponse({"detail": BUSY}, status_code=503, headers={"Retry-After": RETRY_AFTER})
    page = f"<!doctype html><meta charset=utf-8><title>{BUSY}</title><p>{BUSY}</p>"
    return Response(page, 503, {"Retry-After": RETRY_AFTER}, media_type="text/html")


async def busy(request: Request, error: Exception) -> Response:
    """No database connection came free in time."""
    return busy_response(request.scope)


async def database_busy(request: Request, error: OperationalError) -> Response:
    """SQLite stayed locked past its busy timeout, or a reading request's write found that
    another had written since it began: busy, not broken (the second is run again as a
    writer). Other database errors are the server's own and go on as 500."""
    reason = str(error.orig)
    if not any(sign in reason for sign in ("database is locked", "database is busy", "too many")):
        raise error
    if getattr(request.state, "reading", False) and request.method in SAFE_METHODS:
        request.state.must_write = True
    return busy_response(request.scope)


class RetryAsWriter:
    """Run a GET again, once, as a writing request when it was answered busy because its
    reading transaction could not become a writing one (see ``deps.get_session``).

    The busy answer of the first run is held back, so the client sees only the second.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        held: list[Message] = []

        async def hold_if_retrying(message: Message) -> None:
            if state.get("must_write") or held:
                held.append(message)
            else:
                await send(message)

        await self.app(scope, receive, hold_if_retrying)
        if not state.get("must_write"):
            return
        await self.app(scope, receive, send)
