"""What the cockpit and the reports read: stored scores and figures, trends and roll-ups.

The ranking of 赛马比拼 is published to every district, so every signed-in user reads the
whole list of district scores — each district's score, rank and change of rank, and which
districts have not reported — and may open any district's ranking card with those; the
figures behind a score (values, targets, progress) are read only inside the caller's scope.
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.assess import figures
from yunong.assess.models import Figure, Score
from yunong.assess.scoring import MISSING
from yunong.core.errors import NotFound
from yunong.core.regions import codes
from yunong.core.regions import service as regions
from yunong.core.regions.codes import Level
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.policy.schema import Indicator, Pack

COLOUR_LABELS = {"green": "达标", "yellow": "接近", "red": "滞后", "": "无目标"}
# The city's headline targets of part 一 shown first on the cockpit.
KEY_TARGETS = (
    "grain_sown_area",
    "grain_output",
    "cultivated_land",
    "high_standard_farmland_built",
    "rural_income_growth",
    "model_village_rate",
    "mechanization_rate",
    "monitoring_zeroing_rate",
)


@dataclass(frozen=True)
class ScoreRow:
    code: str
    name: str
    score: float
    rank: int
    previous_rank: int | None

    @property
    def change(self) -> int | None:
        """Places moved up (positive) or down (negative) since the period before."""
        return None if self.previous_rank is None else self.previous_rank - self.rank


@dataclass(frozen=True)
class FigureRow:
    key: str
    name: str
    unit: str
    clause: str
    weight: float
    value: float | None
    target: float | None
    target_year: int | None
    progress: float | None
    colour: str
    points: float | None
    origin: str
    monitored_only: bool = False

    @property
    def colour_label(self) -> str:
        return COLOUR_LABELS.get(self.colour, "")

    @property
    def unreported(self) -> bool:
        """No approved value to compare with the target: shown as 未报送, not as failing."""
        return self.value is None and self.origin == MISSING


def listed_text(pack: Pack, indicator: Indicator) -> str:
    """The list an indicator's targets are limited to, as shown: its name and size."""
    if indicator.applies_to is None:
        return ""
    named = pack.lists.get(indicator.applies_to) or pack.pairings[indicator.applies_to]
    return f"{named.name}（{len(named.members)} 个区县）"


def periods(session: Session) -> list[int]:
    """Periods that have stored scores, newest first."""
    return list(session.scalars(select(Score.period).distinct().order_by(Score.period.desc())))


def planned_periods(pack: Pack) -> set[int]:
    """The years the pack sets targets for."""
    return {year for indicator in pack.indicators.values() for year in indicator.targets}


def listed_periods(session: Session, pack: Pack) -> list[int]:
    """The cockpit's year list: every period of the pack and every scored one, newest
    first, so a year can be chosen before any district has reported for it."""
    return sorted(planned_periods(pack) | set(periods(session)), reverse=True)


def opening_period(session: Session, pack: Pack) -> int:
    """The period the cockpit opens on: the newest scored, else the pack's first."""
    scored = periods(session)
    return scored[0] if scored else min(planned_periods(pack), default=2024)


def names(session: Session, region_codes: list[str]) -> dict[str, str]:
    rows = session.execute(select(Region.code, Region.name).where(Region.code.in_(region_codes)))
    return {code: name for code, name in rows}


def scores(session: Session, *, scope: Scope, period: int) -> list[ScoreRow]:
    """The score and rank of every district that reported for the period (the published
    ranking), by rank."""
    rows = list(
        session.scalars(
            select(Score).where(Score.period == period).order_by(Score.rank, Score.region_code)
        )
    )
    named = names(session, [row.region_code for row in rows])
    return [
        ScoreRow(
            row.region_code, named.get(row.region_code, ""), row.score, row.rank, row.previous_rank
        )  # fmt: skip
        for row in rows
    ]


def get_district(session: Session, *, scope: Scope, code: str) -> Region:
    """A district for its ranking card, inside the caller's scope or not (the ranking is
    published); a region of another level is refused, as not found outside the scope."""
    region = regions.get(session, code=code)
    if region.level != Level.DISTRICT:
        scope.check_read(region.code, f"区划“{code.strip()}”")
        raise NotFound(f"{region.name}不是区县：只有区县参加赛马比拼")
    return region


def unranked(session: Session, ranking: list[ScoreRow]) -> list[tuple[str, str]]:
    """The districts missing from a period's ranking, (code, name) by code: they had not
    reported when the period was scored. Empty for a period not scored at all."""
    if not ranking:
        return []
    ranked = {row.code for row in ranking}
    rows = session.execute(
        select(Region.code, Region.name)
        .where(Region.level == int(Level.DISTRICT))
        .order_by(Region.code)
    )
    return [(code, name) for code, name in rows if code not in ranked]


def region_figures(
    session: Session, *, scope: Scope, pack: Pack, period: int, region_code: str
) -> list[FigureRow]:
    """The stored figures of the city or a district for the period, in pack order."""
    code = codes.normalise(region_code)
    scope.check_read(code, f"区划“{region_code}”")
    rows = {
        row.indicator: row
        for row in session.scalars(
            select(Figure).where(Figure.period == period, Figure.region_code == code)
        )
    }
    return [as_row(pack, rows[key]) for key in pack.indicators if key in rows]


def as_row(pack: Pack, figure: Figure) -> FigureRow:
    indicator = pack.indicators[figure.indicator]
    return FigureRow(
        key=figure.indicator,
        name=indicator.name,
        unit=indicator.unit,
        clause=indicator.clause,
        weight=indicator.weight,
        value=figure.value,
        target=figure.target,
        target_year=figure.target_year,
        progress=figure.progress,
        colour=figure.colour,
        points=figure.points,
        origin=figure.origin,
        monitored_only=indicator.monitored_only,
    )


def trend(
    session: Session, *, scope: Scope, pack: Pack, key: str, region_code: str
) -> list[tuple[int, FigureRow]]:
    """The indicator's stored figure of the region in every period, oldest first."""
    code = codes.normalise(region_code)
    scope.check_read(code, f"区划“{region_code}”")
    rows = session.scalars(
        select(Figure)
        .where(Figure.indicator == key, Figure.region_code == code)
        .order_by(Figure.period)
    )
    return [(row.period, as_row(pack, row)) for row in rows]


def district_figures(
    session: Session, *, scope: Scope, pack: Pack, period: int, key: str
) -> list[tuple[str, str, FigureRow]]:
    """The indicator's stored figure of each district inside the caller's scope."""
    query = scope.filter(
        select(Figure).where(Figure.period == period, Figure.indicator == key),
        Figure.region_code,
    )
    rows = [
        row for row in session.scalars(query) if codes.level_of(row.region_code) is Level.DISTRICT
    ]
    named = names(session, [row.region_code for row in rows])
    return [(row.region_code, named.get(row.region_code, ""), as_row(pack, row)) for row in rows]


def breakdown(
    session: Session, *, scope: Scope, pack: Pack, period: int, key: str, region_code: str
) -> list[tuple[str, str, float]]:
    """The indicator in each region one level below ``region_code``, computed now."""
    parent = regions.get_visible(session, scope=scope, code=region_code)
    if parent.level >= Level.VILLAGE:
        return []
    level = Level(parent.level + 1)
    found = figures.values(
        session, pack=pack, key=key, period=period, level=level, under=parent.code
    )
    named = names(session, list(found))
    return [(code, named.get(code, code), found[code].value) for code in sorted(found)]
