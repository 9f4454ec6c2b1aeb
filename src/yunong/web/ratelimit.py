"""Rate limits of the public endpoints: so many requests a minute per client address.

``yunong serve`` runs several processes, so a limit is counted by all of them together:
each process counts its own requests in memory, and a thread of its own adds them to the
shared counts (the ``rate_count`` table, or Redis when ``YUNONG_REDIS_URL`` is set) and
reads the totals back, twice a second. A request is judged on the totals as last read
plus the process's own requests since. So a public request costs no database write of its
own, and a client's budget holds across processes; in the half second before a process
has read a new client's total it judges on its own count, so a burst spread over N
processes gets at most N budgets once.

The budget is a sliding minute: this minute's count plus the share of last minute's that
still lies within sixty seconds of now.
"""

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Protocol

from fastapi import FastAPI
from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import Session, sessionmaker

from yunong.core.errors import YunongError
from yunong.store.bulk import upsert_for
from yunong.store.db import transaction
from yunong.store.models import RateCount

MAX_BUCKETS = 100_000
"""Beyond this many client addresses, full buckets are forgotten (they would allow anyway)."""
SYNC_SECONDS = 0.5
IDLE_SECONDS = 30.0
"""A syncing thread with nothing to send for this long stops; the next request starts one."""
KEEP_MINUTES = 3

Minute = tuple[str, int]
"""A bucket (``limit name|client``) and a minute since 1970."""


class TooManyRequests(YunongError):
    status_code = 429


class CountStore(Protocol):
    def add(self, counts: Counter[Minute], now_minute: int) -> dict[Minute, int]:
        """Add ``counts`` and return every process's totals for their buckets, this minute
        and the one before."""
        ...


class DatabaseCounts:
    """The shared counts in the operational database."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        self.pruned = 0

    def add(self, counts: Counter[Minute], now_minute: int) -> dict[Minute, int]:
        buckets = sorted({bucket for bucket, _ in counts})
        with transaction(self.sessions) as session:
            upsert = upsert_for(session)
            # In one order, so that two processes writing the same buckets never deadlock.
            rows = [
                {"bucket": bucket, "minute": minute, "count": number}
                for (bucket, minute), number in sorted(counts.items())
            ]
            statement = upsert(RateCount).values(rows)
            session.execute(
                statement.on_conflict_do_update(
                    index_elements=["bucket", "minute"],
                    set_={"count": RateCount.count + statement.excluded.count},
                )
            )
            wanted = [
                (bucket, minute) for bucket in buckets for minute in (now_minute - 1, now_minute)
            ]
            found = session.execute(
                select(RateCount.bucket, RateCount.minute, RateCount.count).where(
                    tuple_(RateCount.bucket, RateCount.minute).in_(wanted)
                )
            )
            totals = {(bucket, minute): number for bucket, minute, number in found}
            if now_minute != self.pruned:
                session.execute(
                    delete(RateCount).where(RateCount.minute < now_minute - KEEP_MINUTES)
                )
                self.pruned = now_minute
        return totals


class RedisCounts:
    """The shared counts in Redis: one counter per bucket and minute, expiring by itself."""

    def __init__(self, url: str) -> None:
        try:
            import redis
        except ImportError:  # pragma: no cover - depends on what is installed
            raise RuntimeError(
                "YUNONG_REDIS_URL 已设置，但未安装 redis 程序包：pip install 'yunong[redis]'"
            ) from None
        self.client = redis.Redis.from_url(url)

    def add(self, counts: Counter[Minute], now_minute: int) -> dict[Minute, int]:
        buckets = sorted({bucket for bucket, _ in counts})
        wanted = [(bucket, minute) for bucket in buckets for minute in (now_minute - 1, now_minute)]
        pipeline = self.client.pipeline(transaction=False)
        for (bucket, minute), number in sorted(counts.items()):
            pipeline.incrby(f"yunong:rate:{bucket}:{minute}", number)
            pipeline.expire(f"yunong:rate:{bucket}:{minute}", KEEP_MINUTES * 60)
        for bucket, minute in wanted:
            pipeline.get(f"yunong:rate:{bucket}:{minute}")
        replies = pipeline.execute()[-len(wanted) :]
        return {key: int(reply) for key, reply in zip(wanted, replies, strict=True) if reply}


class SharedCounts:
    """This process's view of the shared counts, and the thread that keeps it current."""

    def __init__(self, store: CountStore, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.clock = clock
        self.known: dict[Minute, int] = {}
        self.pending: Counter[Minute] = Counter()
        self.sending: Counter[Minute] = Counter()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def take(self, bucket: str, per_minute: int, now: float | None = None) -> bool:
        """Count one request in ``bucket``; False (and not counted) when over budget."""
        moment = self.clock() if now is None else now
        minute = int(moment // 60)
        previous_share = 1 - (moment % 60) / 60
        with self.lock:
            current = self.seen((bucket, minute))
            if self.seen((bucket, minute - 1)) * previous_share + current >= per_minute:
                return False
            self.pending[(bucket, minute)] += 1
            if self.thread is None:
                self.thread = threading.Thread(target=self.keep_syncing, daemon=True)
                self.thread.start()
        return True

    def seen(self, key: Minute) -> int:
        """The count as last read back, plus what this process has counted since."""
        return self.known.get(key, 0) + self.sending[key] + self.pending[key]

    def sync(self) -> None:
        """Send this process's counts and read every process's totals back."""
        minute = int(self.clock() // 60)
        with self.lock:
            taken, self.pending, self.sending = self.pending, Counter(), self.pending
        if not taken:
            return
        try:
            totals = self.store.add(taken, minute)
        except Exception:
            # Busy or unreachable: the counts go out with the next sync.
            with self.lock:
                self.pending.update(taken)
                self.sending = Counter()
            raise
        with self.lock:
            self.sending = Counter()
            self.known = {key: n for key, n in self.known.items() if key[1] >= minute - 1}
            self.known.update(totals)

    def keep_syncing(self) -> None:
        """Sync every :data:`SYNC_SECONDS` until there has been nothing to send for a while."""
        idle_since = time.monotonic()
        while True:
            time.sleep(SYNC_SECONDS)
            with self.lock:
                if not self.pending:
                    if time.monotonic() - idle_since > IDLE_SECONDS:
                        self.thread = None
                        return
                    continue
            idle_since = time.monotonic()
            # A failed sync keeps its counts; they are sent again on the next round.
            with contextlib.suppress(Exception):
                self.sync()


class RateLimiter:
    """``per_minute`` requests a minute per client key.

    With ``counts`` (see :func:`limiter`), the budget is shared by every server process;
    without, it is a token bucket in this process alone.
    """

    def __init__(self, per_minute: int, counts: SharedCounts | None = None, name: str = "") -> None:
        self.per_minute = per_minute
        self.counts = counts
        self.name = name
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.buckets: dict[str, tuple[float, float]] = {}
        self.lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        """Count one request of ``key``; False when its budget is spent."""
        if self.counts is not None:
            return self.counts.take(f"{self.name}|{key}"[:160], self.per_minute, now)
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


def shared_counts(app: FastAPI) -> SharedCounts:
    """The app's shared counts: in Redis when configured, else in the database."""
    counts: SharedCounts | None = getattr(app.state, "rate_counts", None)
    if counts is None:
        url = app.state.settings.redis_url
        store: CountStore = RedisCounts(url) if url else DatabaseCounts(app.state.sessions)
        counts = app.state.rate_counts = SharedCounts(store)
    return counts


def limiter(app: FastAPI, name: str, per_minute: int) -> RateLimiter:
    """The app's limiter called ``name``, shared by every server process."""
    limiters: dict[str, RateLimiter] | None = getattr(app.state, "rate_limiters", None)
    if limiters is None:
        limiters = app.state.rate_limiters = {}
    if name not in limiters:
        limiters[name] = RateLimiter(per_minute, shared_counts(app), name)
    return limiters[name]
