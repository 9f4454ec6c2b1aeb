"""What each level reports: the pack's indicators and the 达标村 checklist as data set items."""

from dataclasses import dataclass

from yunong.assess import registry
from yunong.core.regions.codes import Level
from yunong.policy.schema import Indicator, Pack

CHECKLIST_PREFIX = "model_village."
FLAG_UNIT = "是/否"
LEVEL_NAMES = {Level.CITY: "city", Level.DISTRICT: "district", Level.TOWN: "town"}
LEVEL_NAMES[Level.VILLAGE] = "village"


@dataclass(frozen=True)
class Item:
    """One line of a data set: an indicator, or a checklist item answered 是/否."""

    key: str
    name: str
    unit: str
    clause: str
    valid: tuple[float, float]
    target: str = ""
    required: bool = True
    note: str = ""

    @property
    def is_flag(self) -> bool:
        return self.unit == FLAG_UNIT


def level_name(level: Level) -> str:
    return LEVEL_NAMES[level]


def computed_by(indicator_or_method: Indicator | str) -> str | None:
    """The registered function that computes it, or None when it is reported.

    A computed method whose function no application registers is an error (see
    :func:`yunong.assess.registry.get`), not a figure quietly asked of the districts."""
    method = (
        indicator_or_method if isinstance(indicator_or_method, str) else indicator_or_method.method
    )
    if not method.startswith("computed:"):
        return None
    name = method.removeprefix("computed:")
    registry.get(name)
    return name


def reporting_level(indicator: Indicator) -> str | None:
    """The level that reports the indicator, or None when an application computes it."""
    if computed_by(indicator) is not None:
        return None
    return indicator.method.removeprefix("reported:")


def target_text(indicator: Indicator, period: int) -> str:
    target = indicator.target_for(period)
    if target is None:
        return ""
    if target.kind == "steady":
        return "保持稳定"
    value = f"{target.value:g}"
    if target.kind == "at_most":
        return f"≤{value}"
    if target.kind == "about":
        return f"{value}左右（±{target.tolerance or 0:g}）"
    return f"≥{value}"


def listed(pack: Pack, indicator: Indicator, region_code: str | None) -> bool:
    """Whether the region reports an indicator that only the districts of a list report
    (``applies_to``); any region when ``region_code`` is not given."""
    if indicator.applies_to is None or region_code is None:
        return True
    return region_code[:6] in pack.members_of(indicator.applies_to)


def items(pack: Pack, level: Level, period: int, region_code: str | None = None) -> list[Item]:
    """The lines of a data set of ``level`` for ``period``, in pack order.

    A unit reports the indicators whose reporting level is its own, except those that only
    the districts of a list report when it is not on the list. The city also reports its
    own figure of every indicator that does not roll up from the districts (aggregation
    ``none``). Villages answer the 达标村 checklist; items a module computes are answered
    only where that module has no data for the village.
    """
    name = level_name(level)
    found: list[Item] = []
    for key, indicator in pack.indicators.items():
        own = reporting_level(indicator) == name and listed(pack, indicator, region_code)
        city_figure = (
            level is Level.CITY
            and "city" in indicator.levels
            and indicator.aggregation == "none"
            and reporting_level(indicator) is not None
        )
        if own or city_figure:
            found.append(
                Item(
                    key=key,
                    name=indicator.name,
                    unit=indicator.unit,
                    clause=indicator.clause,
                    valid=indicator.valid,
                    target=target_text(indicator, period),
                )
            )
    if level is Level.VILLAGE:
        for key, check in pack.model_village.items.items():
            computed = computed_by(check.method)
            found.append(
                Item(
                    key=CHECKLIST_PREFIX + key,
                    name=check.name,
                    unit=FLAG_UNIT,
                    clause=check.clause,
                    valid=(0, 1),
                    target="是",
                    required=computed is None,
                    note="系统按业务数据计算；该村无业务数据时以此填报为准" if computed else "",
                )
            )
    return found


def item_map(
    pack: Pack, level: Level, period: int, region_code: str | None = None
) -> dict[str, Item]:
    return {item.key: item for item in items(pack, level, period, region_code)}
