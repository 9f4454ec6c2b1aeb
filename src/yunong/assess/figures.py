"""An indicator's figures for every region of a level: computed by its module, or taken
from approved data sets and rolled up (city → district → town → village) as the pack says.

Roll-up of reported values: ``sum`` adds the units' values; ``mean`` and ``rate`` (whose
numerators are not reported) average them; ``none`` does not roll up — the city reports its
own figure. A computed indicator is computed by its function at the level asked, in SQL.
"""

from collections import defaultdict

from sqlalchemy.orm import Session

from yunong.assess import datasets, registry
from yunong.assess.catalogue import computed_by, reporting_level
from yunong.core.indicators import Measure
from yunong.core.regions import codes
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.policy.schema import Indicator, Pack

LEVELS = {"city": Level.CITY, "district": Level.DISTRICT, "town": Level.TOWN}
LEVELS["village"] = Level.VILLAGE


def origin(indicator: Indicator, level: Level) -> str:
    """Where a figure of this indicator at this level comes from, in Chinese."""
    name = computed_by(indicator)
    if name is not None:
        return f"系统计算（{name}）"
    reporter = LEVELS[reporting_level(indicator) or "city"]
    if reporter == level or (level is Level.CITY and indicator.aggregation == "none"):
        return f"{level.label}级填报（已审核）"
    how = {"sum": "合计", "mean": "平均", "rate": "平均", "none": ""}[indicator.aggregation]
    return f"由{reporter.label}填报值{how}"


def values(
    session: Session, *, pack: Pack, key: str, period: int, level: Level, under: str
) -> dict[str, Measure]:
    """Figures of ``period`` for the regions of ``level`` inside ``under`` (12 digits)."""
    indicator = pack.indicators[key]
    if codes.level_of(under) > level:
        return {}
    name = computed_by(indicator)
    if name is not None:
        function = registry.get(name)
        return function(session, period=period, level=level, under=under)
    reporter = LEVELS[reporting_level(indicator) or "city"]
    own_figure = level is Level.CITY and indicator.aggregation == "none"
    if own_figure or reporter == level:
        return reported(session, key=key, period=period, level=level, under=under)
    if reporter < level or indicator.aggregation == "none":
        return {}
    units = reported(session, key=key, period=period, level=reporter, under=under)
    return roll_up(units, level, indicator.aggregation)


def reported(
    session: Session, *, key: str, period: int, level: Level, under: str
) -> dict[str, Measure]:
    within = Scope.system("cockpit").narrowed_to(under)
    found = datasets.approved_values(session, scope=within, period=period, keys=[key])
    return {
        code: Measure(items[key])
        for code, items in found.items()
        if key in items and codes.level_of(code) is level
    }


def roll_up(units: dict[str, Measure], level: Level, aggregation: str) -> dict[str, Measure]:
    """Units' figures added (``sum``) or averaged (otherwise) into the regions of ``level``."""
    length = codes.PREFIX_LENGTHS[level]
    groups: dict[str, list[float]] = defaultdict(list)
    for code, measure in units.items():
        groups[code[:length].ljust(12, "0")].append(measure.value)
    if aggregation == "sum":
        return {code: Measure(sum(numbers)) for code, numbers in groups.items()}
    return {code: Measure(sum(numbers) / len(numbers)) for code, numbers in groups.items()}
