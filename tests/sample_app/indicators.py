from sqlalchemy.orm import Session

from yunong.core import indicators
from yunong.core.indicators import Measure
from yunong.core.regions.codes import Level


@indicators.register("sample.notes")
def notes(session: Session, *, period: int, level: Level, under: str) -> dict[str, Measure]:
    return {under: Measure(1.0)}
