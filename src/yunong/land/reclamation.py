"""Construction land reclaimed to farmland (复垦): the one way a homestead or construction
parcel becomes cultivated land.

The land and agriculture departments accept the reclamation; from then the parcel is
cultivated land (旱地 until a survey says otherwise), counted in the cultivated-land
balance once its village's land summary is refreshed (:func:`yunong.land.summary.refresh`,
which the caller runs after committing).
"""

from decimal import Decimal

from sqlalchemy.orm import Session

from yunong.core.errors import InvalidValue
from yunong.core.scope import Scope
from yunong.land import service
from yunong.land.codes import UnitKind
from yunong.land.models import Parcel
from yunong.store.base import utcnow

RECLAIMABLE = frozenset({UnitKind.HOMESTEAD.value, UnitKind.CONSTRUCTION.value})
RECLAIMED_CLASS = ("0103", "旱地")


def reclaimable(session: Session, *, scope: Scope, code: str) -> Parcel:
    """A homestead or construction parcel in the caller's scope, which may be reclaimed."""
    parcel = service.get(session, scope=scope, code=code)
    if parcel.kind not in RECLAIMABLE:
        raise InvalidValue("地块“{code}”不是宅基地或建设用地，不能复垦为地票", code=parcel.code)
    return parcel


def accept(session: Session, *, scope: Scope, code: str, accepted_m2: Decimal, year: int) -> Parcel:
    """Record the accepted reclamation: the parcel is cultivated land from ``year``."""
    scope.check_write(scope.region_code, "区划")
    parcel = reclaimable(session, scope=scope, code=code)
    if not 0 < accepted_m2 <= parcel.area_m2:
        raise InvalidValue(
            "验收面积应大于 0 且不超过地块面积 {area} 平方米", area=round(parcel.area_m2, 2)
        )
    parcel.kind = UnitKind.CULTIVATED.value
    parcel.land_class_code, parcel.land_class = RECLAIMED_CLASS
    parcel.current_use = None
    parcel.use_year = year
    parcel.updated_at = utcnow()
    session.flush()
    return parcel
