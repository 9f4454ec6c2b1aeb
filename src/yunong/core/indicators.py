"""Computed indicators: each application registers the figures it computes, by name.

A pack indicator whose ``method`` is ``computed:<name>`` is computed by the function
registered under ``<name>`` (``monitor.zeroing_rate``, ``land.cultivated_land`` …).
The function returns, for every region of one level inside one region, the figure it
computes from its application's data. Applications register in the module their
descriptor names as ``indicators``; the cockpit only reads this registry.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.orm import Session

from yunong.core.regions.codes import Level


@dataclass(frozen=True)
class Measure:
    """A region's figure; a rate also carries its numerator and denominator so it rolls up."""

    value: float
    numerator: float | None = None
    denominator: float | None = None


class Compute(Protocol):
    def __call__(
        self, session: Session, *, period: int, level: Level, under: str
    ) -> dict[str, Measure]:
        """Figures of ``period`` for every region of ``level`` inside the 12-digit ``under``,
        by 12-digit code; regions without data are left out."""
        ...


FUNCTIONS: dict[str, Compute] = {}


def register(name: str) -> Callable[[Compute], Compute]:
    """Register the decorated function as the computation named ``name``."""

    def add(function: Compute) -> Compute:
        FUNCTIONS[name] = function
        return function

    return add


def get(name: str) -> Compute | None:
    return FUNCTIONS.get(name)


SHARED = "indicators.shared"


@contextmanager
def sharing(session: Session) -> Iterator[None]:
    """Let indicator functions keep figures they are asked for more than once (every level,
    and each period as the period before the next) while a scoring run holds ``session``."""
    if SHARED in session.info:
        yield
        return
    session.info[SHARED] = {}
    try:
        yield
    finally:
        del session.info[SHARED]


def shared(session: Session, key: str) -> dict[Any, Any] | None:
    """The dictionary kept under ``key`` for the running :func:`sharing`, or None outside one."""
    kept = session.info.get(SHARED)
    return None if kept is None else kept.setdefault(key, {})
