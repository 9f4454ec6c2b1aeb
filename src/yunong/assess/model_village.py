"""巴渝和美乡村“达标村”: each administrative village against the pack's checklist, and the
rate of villages that meet it per region.

An item a module computes (``computed:<function>``) is met when the module's figure for the
village is 100 %; where the module has no data for the village, the village's own approved
answer counts. Reported items count only once the village's data set is approved. A village
meets the standard when every item is met; one unknown item is enough to leave it out.
Only villagers' committees (village part 200–399) are villages here: residents'
committees are urban communities.
"""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.assess import datasets, registry
from yunong.assess.catalogue import CHECKLIST_PREFIX, computed_by
from yunong.core import indicators
from yunong.core.indicators import Measure
from yunong.core.regions import codes
from yunong.core.regions.codes import Level
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.policy.schema import Pack

FULL = 100.0 - 1e-9


@dataclass
class VillageResult:
    code: str
    name: str
    items: dict[str, bool | None] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)

    @property
    def met(self) -> bool:
        return bool(self.items) and all(self.items.values())


def is_administrative_village(code: str) -> bool:
    return codes.level_of(code) is Level.VILLAGE and 200 <= int(code[9:]) <= 399


def within(under: str) -> Scope:
    """The cockpit's view of ``under``: every village of it, whoever asks for the figure."""
    return Scope.system("cockpit").narrowed_to(under)


def villages(session: Session, under: str) -> list[Region]:
    query = (
        within(under)
        .filter(select(Region).where(Region.level == int(Level.VILLAGE)), Region.code)
        .order_by(Region.code)
    )
    return [region for region in session.scalars(query) if is_administrative_village(region.code)]


def evaluate(session: Session, *, pack: Pack, period: int, under: str) -> list[VillageResult]:
    """Every administrative village inside ``under`` (12 digits) with each item's status.

    A scoring run asks for the same evaluation at several levels; it keeps the results
    while it runs (see :func:`yunong.core.indicators.sharing`)."""
    cache = indicators.shared(session, "assess.model_village")
    if cache is not None and (period, under) in cache:
        return list(cache[(period, under)])
    results = evaluate_now(session, pack=pack, period=period, under=under)
    if cache is not None:
        cache[(period, under)] = results
    return results


def evaluate_now(session: Session, *, pack: Pack, period: int, under: str) -> list[VillageResult]:
    checklist = pack.model_village.items
    reported = datasets.approved_values(
        session,
        scope=within(under),
        period=period,
        keys=[CHECKLIST_PREFIX + key for key in checklist],
    )
    computed: dict[str, dict[str, Measure]] = {}
    for key, check in checklist.items():
        name = computed_by(check.method)
        if name is not None:
            function = registry.get(name)
            computed[key] = function(session, period=period, level=Level.VILLAGE, under=under)
    results = []
    for region in villages(session, under):
        result = VillageResult(region.code, region.name)
        answers = reported.get(region.code, {})
        for key in checklist:
            figure = computed.get(key, {}).get(region.code)
            if figure is not None:
                result.items[key] = figure.value >= FULL
                result.origins[key] = f"系统计算（{figure.value:.1f}%）"
            elif CHECKLIST_PREFIX + key in answers:
                result.items[key] = answers[CHECKLIST_PREFIX + key] >= 1
                result.origins[key] = "村填报（已审核）"
            else:
                result.items[key] = None
                result.origins[key] = "未填报或未审核"
        results.append(result)
    return results


def rate(
    session: Session, *, pack: Pack, period: int, level: Level, under: str
) -> dict[str, Measure]:
    """达标村 rate (%) of every region of ``level`` inside ``under`` that has villages."""
    length = codes.PREFIX_LENGTHS[level]
    counts: dict[str, list[int]] = {}
    # One evaluation of the whole region serves every level asked during a scoring run.
    sharing = indicators.shared(session, "assess.model_village") is not None
    whole = codes.CITY_CODE if sharing else under
    for result in evaluate(session, pack=pack, period=period, under=whole):
        if not result.code.startswith(codes.prefix_of(under)):
            continue
        key = result.code[:length].ljust(12, "0")
        tally = counts.setdefault(key, [0, 0])
        tally[0] += int(result.met)
        tally[1] += 1
    return {
        code: Measure(100.0 * met / total, numerator=met, denominator=total)
        for code, (met, total) in counts.items()
    }
