"""Refused requests in the audit trail, with repeats from one client summarised.

The first refusal of a kind (a bad token, a forged CSRF token, a request outside the
caller's scope or role) from one client address and account to one path is written at
once. The same refusal again from them within the minute only adds to a count, written
as one more record when the minute is over, so a client hammering the server with a bogus
token costs two records a minute instead of one a request. A client that varies the
path is counted under one row once it has refused paths enough in the minute.

The counts live in each server process; a process that is killed loses the counts of
its last minute, never the first record of a refusal.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import Request

WINDOW_SECONDS = 60.0
PATHS_PER_WINDOW = 20
"""Distinct paths one client may be refused on, per kind and minute, before the rest are
counted together under ``MANY_PATHS``."""
MANY_PATHS = "（多个路径）"

Key = tuple[str, str, str, str]
"""client address, actor, action, path"""


@dataclass
class Window:
    opened: float
    opened_at: datetime
    refusal: dict[str, Any]
    repeats: int = 0


@dataclass
class RefusalTally:
    """Which refusals were written in the last minute, and how often each came again."""

    clock: Callable[[], float] = time.monotonic
    windows: dict[Key, Window] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_close: float = float("inf")

    def due(self) -> bool:
        """Whether a minute with repeats to write is over; read without the lock, as a hint."""
        return self.clock() >= self.next_close

    def admit(self, client: str, refusals: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The refusals to write now: the closed minutes' counts, then what is new."""
        with self.lock:
            now = self.clock()
            written = self.close(now)
            for refusal in refusals:
                key = self.key_of(client, refusal)
                window = self.windows.get(key)
                if window is not None:
                    window.repeats += 1
                    continue
                self.windows[key] = Window(now, datetime.now(UTC), refusal)
                self.next_close = min(self.next_close, now + WINDOW_SECONDS)
                written.append(first_record(refusal, client))
            return written

    def key_of(self, client: str, refusal: dict[str, Any]) -> Key:
        kind = (client, refusal["actor"], refusal["action"])
        path = refusal["path"]
        paths = sum(1 for key in self.windows if key[:3] == kind)
        if (*kind, path) not in self.windows and paths >= PATHS_PER_WINDOW:
            refusal["path"] = path = MANY_PATHS
        return (*kind, path)

    def close(self, now: float) -> list[dict[str, Any]]:
        """Forget the windows older than a minute; the count of each that saw repeats."""
        if now < self.next_close:
            return []
        closed = [
            key for key, window in self.windows.items() if now - window.opened >= WINDOW_SECONDS
        ]
        summaries = []
        for key in closed:
            window = self.windows.pop(key)
            if window.repeats:
                summaries.append(summary_record(window, key[0]))
        opened = [window.opened for window in self.windows.values()]
        self.next_close = min(opened) + WINDOW_SECONDS if opened else float("inf")
        return summaries


def first_record(refusal: dict[str, Any], client: str) -> dict[str, Any]:
    return refusal | {"detail": f"{refusal['detail']}（来源 {client}）"}


def summary_record(window: Window, client: str) -> dict[str, Any]:
    until = window.opened_at + timedelta(seconds=WINDOW_SECONDS)
    span = f"{shown(window.opened_at)} 至 {shown(until)}"
    return window.refusal | {
        "detail": f"{window.refusal['detail']}（来源 {client} 在 {span} 又被拒绝 "
        f"{window.repeats} 次）"
    }


def shown(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%H:%M:%S UTC")


def tally_of(request: Request) -> RefusalTally:
    tally: RefusalTally | None = getattr(request.app.state, "refusal_tally", None)
    if tally is None:
        tally = request.app.state.refusal_tally = RefusalTally()
    return tally


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"
