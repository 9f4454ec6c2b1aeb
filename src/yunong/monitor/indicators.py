"""The indicators monitoring computes for the cockpit.

* ``monitor.zeroing_rate`` — 问题动态清零率 by region, as :func:`yunong.monitor.problems.
  zeroing_counts` counts it: the steps and measures due before the period's end that
  are done.
"""

from datetime import date

from sqlalchemy.orm import Session

from yunong.core import indicators
from yunong.core.indicators import Measure
from yunong.core.regions import codes
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.monitor import calendar, problems


def period_end(period: int) -> date:
    """The day after which nothing more falls due in the period (today for the running year)."""
    return min(calendar.today(), date(period + 1, 1, 1))


@indicators.register("monitor.zeroing_rate")
def zeroing_rate(session: Session, *, period: int, level: Level, under: str) -> dict[str, Measure]:
    found: dict[str, Measure] = {}
    for region, (due, done) in zeroing_counts(session, period, level, under).items():
        value = 100.0 if due == 0 else 100.0 * done / due
        found[region] = Measure(value, numerator=done, denominator=due)
    return found


def zeroing_counts(
    session: Session, period: int, level: Level, under: str
) -> dict[str, tuple[int, int]]:
    """(due, done) per region of ``level`` inside ``under``.

    A scoring run asks for every level and for the period before as well; it keeps the
    villages' counts of the whole city per period and adds them up into the level asked,
    since counts of villages add up exactly into their regions.
    """
    kept = indicators.shared(session, "monitor.zeroing")
    if kept is None:
        return counted(session, period, level, under)
    if period not in kept:
        kept[period] = counted(session, period, Level.VILLAGE, codes.CITY_CODE)
    length = codes.PREFIX_LENGTHS[level]
    inside = Scope.system("cockpit").narrowed_to(under)
    found: dict[str, tuple[int, int]] = {}
    for village, (due, done) in kept[period].items():
        if inside.covers(village):
            region = village[:length].ljust(12, "0")
            total_due, total_done = found.get(region, (0, 0))
            found[region] = (total_due + due, total_done + done)
    return found


def counted(session: Session, period: int, level: Level, under: str) -> dict[str, tuple[int, int]]:
    inside = Scope.system("cockpit").narrowed_to(under)
    return problems.zeroing_counts(session, scope=inside, day=period_end(period), level=level)
