"""A small in-process rate limiter for the public endpoints, one token bucket per client address.

One process serves the public pages of a deployment, so an in-process limiter is enough;
behind several processes each keeps its own buckets and the limit applies per process.
"""

import threading
import time

from yunong.core.errors import YunongError

MAX_BUCKETS = 100_000
"""Beyond this many client addresses, full buckets are forgotten (they would allow anyway)."""


class TooManyRequests(YunongError):
    status_code = 429


class RateLimiter:
    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.buckets: dict[str, tuple[float, float]] = {}
        self.lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        """Take one token from ``key``'s bucket; False when it is empty."""
        moment = time.monotonic() if now is None else now
        with self.lock:
            tokens, last = self.buckets.get(key, (self.capacity, moment))
            tokens = min(self.capacity, tokens + (moment - last) * self.rate)
            allowed = tokens >= 1
            self.buckets[key] = (tokens - 1 if allowed else tokens, moment)
            if len(self.buckets) > MAX_BUCKETS:
                self.forget_full(moment)
        return allowed

    def forget_full(self, moment: float) -> None:
        self.buckets = {
            key: (tokens, last)
            for key, (tokens, last) in self.buckets.items()
            if tokens + (moment - last) * self.rate < self.capacity
        }

    def check(self, key: str) -> None:
        if not self.allow(key):
            raise TooManyRequests("请求过于频繁，请稍后再试")
