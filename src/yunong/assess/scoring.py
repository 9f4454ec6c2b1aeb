"""赛马比拼: progress against target per indicator, weighted district scores and ranks.

For each indicator and region the target of the period is resolved:

* ``steady`` (保持稳定): at least the region's own value of the year before;
* a city target of an indicator that adds up (``sum``) is shared out to the districts in
  proportion to their part of the city total the year before (no part, no target);
* an indicator for the districts of a list (``applies_to``, e.g. the 14 former national
  poverty counties' 600 亩 each) has a figure and a target only for those districts, the
  target as is; the city's target of such a ``sum`` is the target times the list's size;
* any other target (a rate, a growth, a per-district count) applies to every region as is.

Progress is 1 when the target is reached: ``value / target`` for at-least targets, capped
at 1; for at-most targets ``target / value``; for about-targets, 1 inside the tolerance and
less by the excess over the target; for a target of 0, all or nothing. The colour is green
from the pack's ``scoring.green``, yellow from ``scoring.yellow``, else red.

A district's score is 100 × Σ weight × progress / Σ weight over the weighted indicators with
a district target this period; a missing (or not yet approved) value earns no points. Its
figure has no progress and no colour: it is shown as not reported, never as failing.
Indicators without a weight (``monitored_only`` in the pack) have figures and targets but
no points.
Only districts whose data set of the period is approved are scored and ranked: a district
that has not reported (or whose figures still wait for approval) has no score and no rank,
rather than a score of 0 at the bottom of the list. Ranks are 1, 2, 2, 4 … among the
reported districts; the change of rank compares with the period before. A period in which
no indicator has a weighted target (a year before the seed's targets) is not ranked.
"""

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from yunong.assess import figures
from yunong.assess.models import DataSet, Figure, Score
from yunong.core import indicators
from yunong.core.audit import service as audit
from yunong.core.indicators import Measure
from yunong.core.regions import codes
from yunong.core.regions.codes import Level
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.policy.schema import Indicator, Pack, Scoring, Target
from yunong.store.base import utcnow

CITY = codes.CITY_CODE
MISSING = "未报送或未审核"


@dataclass(frozen=True)
class Resolved:
    """A target made concrete for one region: kind, value and tolerance."""

    kind: str
    value: float
    tolerance: float = 0.0
    year: int = 0


def progress(target: Resolved, value: float) -> float:
    """How far ``value`` is towards ``target``, from 0 to 1 (1 = reached)."""
    goal = target.value
    if target.kind == "about":
        excess = abs(value - goal) - target.tolerance
        if excess <= 0:
            return 1.0
        return max(0.0, 1 - excess / abs(goal)) if goal else 0.0
    if target.kind == "at_most":
        if value <= goal:
            return 1.0
        return goal / value if goal > 0 else 0.0
    if goal <= 0:
        return 1.0 if value >= goal else 0.0
    return max(0.0, min(1.0, value / goal))


def colour(rules: Scoring, share: float | None) -> str:
    if share is None:
        return ""
    if share >= rules.green:
        return "green"
    return "yellow" if share >= rules.yellow else "red"


def resolve(
    indicator: Indicator,
    target: Target,
    year: int,
    level: Level,
    previous: float | None,
    share: float | None,
    listed: int | None = None,
) -> Resolved | None:
    """The target of one region of ``level`` (see the module notes); ``listed`` is the size
    of the list the indicator applies to, if any."""
    if target.kind == "steady":
        return None if previous is None else Resolved("at_least", previous, year=year)
    assert target.value is not None
    value = target.value
    if listed is not None:
        if level is Level.CITY and indicator.aggregation == "sum":
            value = value * listed
        return Resolved(target.kind, value, target.tolerance or 0.0, year)
    shared = (
        level is not Level.CITY and "city" in indicator.levels and indicator.aggregation == "sum"
    )
    if shared:
        if share is None:
            return None
        value = value * share
    return Resolved(target.kind, value, target.tolerance or 0.0, year)


def display_target(indicator: Indicator, period: int) -> tuple[int, Target] | None:
    """The period's target, else the next year's that has one with a value (for the city)."""
    if indicator.target_for(period) is not None:
        return period, indicator.targets[period]
    later = [
        year
        for year, target in indicator.targets.items()
        if year > period and target.value is not None
    ]
    return (min(later), indicator.targets[min(later)]) if later else None


def shares(previous: dict[str, Measure]) -> dict[str, float]:
    total = sum(measure.value for measure in previous.values())
    return {code: measure.value / total for code, measure in previous.items()} if total else {}


def indicator_figures(
    session: Session, pack: Pack, key: str, period: int, districts: list[str]
) -> list[Figure]:
    """The city's and every district's figure of one indicator for the period (only the
    listed districts' for an indicator that applies to a list)."""
    indicator = pack.indicators[key]
    if indicator.applies_to is not None:
        members = pack.members_of(indicator.applies_to)
        districts = [code for code in districts if code[:6] in members]
    found: list[Figure] = []
    if "city" in indicator.levels:
        now = figures.values(
            session, pack=pack, key=key, period=period, level=Level.CITY, under=CITY
        )
        before = figures.values(
            session, pack=pack, key=key, period=period - 1, level=Level.CITY, under=CITY
        )
        found.append(
            figure_of(
                pack,
                indicator,
                key,
                period,
                Level.CITY,
                CITY,
                now.get(CITY),
                before.get(CITY),
                None,
            )  # fmt: skip
        )
    if "district" in indicator.levels:
        now = figures.values(
            session, pack=pack, key=key, period=period, level=Level.DISTRICT, under=CITY
        )
        before = figures.values(
            session, pack=pack, key=key, period=period - 1, level=Level.DISTRICT, under=CITY
        )
        parts = shares(before)
        for code in districts:
            previous = before.get(code)
            found.append(
                figure_of(
                    pack,
                    indicator,
                    key,
                    period,
                    Level.DISTRICT,
                    code,
                    now.get(code),
                    previous,
                    parts.get(code),
                )  # fmt: skip
            )
    return found


def figure_of(
    pack: Pack,
    indicator: Indicator,
    key: str,
    period: int,
    level: Level,
    code: str,
    measure: Measure | None,
    previous: Measure | None,
    share: float | None,
) -> Figure:
    shown = display_target(indicator, period) if level is Level.CITY else None
    if level is not Level.CITY and indicator.target_for(period) is not None:
        shown = (period, indicator.targets[period])
    target = None
    if shown is not None:
        year, raw = shown
        listed = len(pack.members_of(indicator.applies_to)) if indicator.applies_to else None
        before = previous.value if previous else None
        target = resolve(indicator, raw, year, level, before, share, listed)
    value = measure.value if measure is not None else None
    done = progress(target, value) if target is not None and value is not None else None
    scored = level is Level.DISTRICT and indicator.weight > 0 and target is not None
    return Figure(
        period=period,
        region_code=code,
        indicator=key,
        value=value,
        target=target.value if target else None,
        target_year=target.year if target else None,
        progress=done,
        colour=colour(pack.scoring, done),
        points=indicator.weight * (done or 0.0) if scored else None,
        origin=figures.origin(indicator, level) if value is not None else MISSING,
    )


def ranks(scores: dict[str, float]) -> dict[str, int]:
    """Competition ranks by score, highest first: equal scores share a rank (1, 2, 2, 4)."""
    ordered = sorted(scores.items(), key=lambda item: (-round(item[1], 6), item[0]))
    found: dict[str, int] = {}
    for position, (code, score) in enumerate(ordered, start=1):
        tied = [
            other for other, value in ordered[: position - 1] if round(value, 6) == round(score, 6)
        ]
        found[code] = found[tied[0]] if tied else position
    return found


def approved_districts(session: Session, scope: Scope, period: int) -> set[str]:
    """The districts whose data set of the period is approved: the ones that reported."""
    query = select(DataSet.region_code).where(DataSet.period == period, DataSet.state == "approved")
    found = session.scalars(scope.filter(query, DataSet.region_code))
    return {code for code in found if codes.level_of(code) is Level.DISTRICT}


def compute(session: Session, *, scope: Scope, pack: Pack, period: int) -> list[Score]:
    """Compute and store every figure of the period and the score and rank of every
    district that reported, replacing the last."""
    scope.check_write(CITY, "全市计分")
    districts = list(
        session.scalars(
            select(Region.code).where(Region.level == int(Level.DISTRICT)).order_by(Region.code)
        )
    )
    rows: list[Figure] = []
    with indicators.sharing(session):
        for key in pack.indicators:
            rows.extend(indicator_figures(session, pack, key, period, districts))
    points: dict[str, float] = dict.fromkeys(districts, 0.0)
    weights: dict[str, float] = dict.fromkeys(districts, 0.0)
    for row in rows:
        if row.points is not None:
            points[row.region_code] += row.points
            weights[row.region_code] += pack.indicators[row.indicator].weight
    reported = approved_districts(session, scope, period)
    totals = {
        code: round(100 * points[code] / weights[code], 2) if weights[code] else 0.0
        for code in districts
        if code in reported
    }
    previous = {
        score.region_code: score.rank
        for score in session.scalars(select(Score).where(Score.period == period - 1))
    }
    now = utcnow()
    # A period without any weighted target (before the seed's first year) is not ranked.
    ranked = any(weights.values())
    scores = [
        Score(
            period=period,
            region_code=code,
            score=totals[code],
            rank=rank,
            previous_rank=previous.get(code),
            computed_at=now,
        )
        for code, rank in ranks(totals).items()
        if ranked
    ]
    session.execute(delete(Figure).where(Figure.period == period))
    session.execute(delete(Score).where(Score.period == period))
    session.add_all(rows)
    session.add_all(scores)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="assess.scored",
        target_type="assess_period",
        target_id=period,
        region_code=CITY,
        after=totals,
        detail=f"{period} 年赛马比拼计分",
    )
    return sorted(scores, key=lambda score: (score.rank, score.region_code))
