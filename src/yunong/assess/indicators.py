"""The indicator the cockpit computes itself: ``assess.model_village_rate``, 达标村 over
administrative villages (see :mod:`yunong.assess.model_village`)."""

from sqlalchemy.orm import Session

from yunong.core import indicators
from yunong.core.indicators import Measure
from yunong.core.regions.codes import Level
from yunong.policy import loader as policy


@indicators.register("assess.model_village_rate")
def model_village_rate(
    session: Session, *, period: int, level: Level, under: str
) -> dict[str, Measure]:
    from yunong.assess import model_village

    return model_village.rate(session, pack=policy.get(), period=period, level=level, under=under)
