"""Computed indicators: modules register a function per indicator, the pack names it.

A computed indicator's ``method`` in the pack is ``computed:<module>.<function>``.
A function registered under that name returns, for every region of one level
inside one region, the figure it computes from the operational data. An indicator
whose function is not registered (its module does not exist yet) is reported
instead, like any other: see :func:`yunong.assess.catalogue.reporting_level`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

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
    """Register ``function`` as the computation named ``name`` (``module.function``)."""

    def add(function: Compute) -> Compute:
        FUNCTIONS[name] = function
        return function

    return add


def get(name: str) -> Compute | None:
    """The function registered under ``name``, or None when its module has not registered it."""
    # The registrations of the modules that exist today live next to this registry.
    from yunong.assess import computed  # noqa: F401

    return FUNCTIONS.get(name)
