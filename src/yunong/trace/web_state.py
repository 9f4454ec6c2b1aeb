"""Per-app state of the public scan endpoints: the rate limiter, the scan counter, a page cache."""

import time
from dataclasses import dataclass, field

from fastapi import FastAPI, Request

from yunong.trace.scans import ScanCounter
from yunong.web.ratelimit import RateLimiter, limiter

CACHE_SECONDS = 10.0
"""A scan page is rebuilt at most this often: a new event shows within seconds."""
CACHE_LIMIT = 20_000


@dataclass
class PublicState:
    limiter: RateLimiter
    counter: ScanCounter = field(default_factory=ScanCounter)
    pages: dict[tuple[str, str], tuple[float, int, bytes]] = field(default_factory=dict)

    def cached(self, key: tuple[str, str]) -> tuple[int, bytes] | None:
        found = self.pages.get(key)
        if found is None or found[0] < time.monotonic():
            return None
        return found[1], found[2]

    def store(self, key: tuple[str, str], batch_id: int, body: bytes) -> None:
        if len(self.pages) >= CACHE_LIMIT:
            self.pages.clear()
        self.pages[key] = (time.monotonic() + CACHE_SECONDS, batch_id, body)

    def forget(self) -> None:
        self.pages.clear()


def public_state(app: FastAPI) -> PublicState:
    state: PublicState | None = getattr(app.state, "trace_public", None)
    if state is None:
        state = PublicState(limiter(app, "trace.public", app.state.settings.public_rate_per_minute))
        app.state.trace_public = state
    return state


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"
