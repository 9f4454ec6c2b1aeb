"""The 菜篮子 figures the cockpit computes from the 产业大脑's monthly series, where they arrive:

* ``industry.hog_output`` — 生猪出栏量 (万头) in the year;
* ``industry.vegetable_output`` — 蔬菜产量 (万吨) in the year;
* ``industry.aquatic_output`` — 水产品产量 (万吨) in the year.

A region's figure is the total of its own monthly rows in the year, or, where it has none,
of its next level's rows (the city from its districts). Regions without rows are left out.
"""

from collections import defaultdict

from sqlalchemy.orm import Session

from yunong.core import indicators
from yunong.core.indicators import Compute, Measure
from yunong.core.regions import codes
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.industry.warnings import load_series


def yearly_totals(session: Session, *, series: str, period: int, under: str) -> dict[str, float]:
    """Each region's total of ``series`` in the year ``period``, inside ``under``."""
    scope = Scope.system("cockpit").narrowed_to(under)
    found = load_series(session, scope=scope, keys={series}).get(series, {})
    totals = {
        region: sum(value for month, value in points.items() if month.year == period)
        for region, points in found.items()
        if any(month.year == period for month in points)
    }
    return totals


def at_level(totals: dict[str, float], level: Level) -> dict[str, Measure]:
    """Regions of ``level``: their own totals, else their children's added up."""
    own = {code: value for code, value in totals.items() if codes.level_of(code) is level}
    below: dict[str, float] = defaultdict(float)
    for code, value in totals.items():
        if level < Level.VILLAGE and codes.level_of(code) == level + 1:
            parent = codes.parent_of(code)
            if parent is not None and parent not in own:
                below[parent] += value
    return {code: Measure(round(value, 4)) for code, value in (dict(below) | own).items()}


def yearly(series: str) -> Compute:
    def compute(session: Session, *, period: int, level: Level, under: str) -> dict[str, Measure]:
        return at_level(yearly_totals(session, series=series, period=period, under=under), level)

    return compute


indicators.register("industry.hog_output")(yearly("pig_slaughter"))
indicators.register("industry.vegetable_output")(yearly("vegetable_output"))
indicators.register("industry.aquatic_output")(yearly("aquatic_output"))
