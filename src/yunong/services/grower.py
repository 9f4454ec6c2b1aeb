"""种粮宝: what a grain grower sees — their parcels with area and use, the subsidies due by
the pack's rates and rules, their orders, the nearest drying centre and the crop calendar.

A subsidy is its rate per 亩 times the eligible area of the grower's cultivated parcels:
a parcel counts when its current use is one of the subsidy's ``uses`` (any use when none
are listed) and, for a subsidy that excludes abandoned land, when it is not abandoned now
(a parcel abandoned before and farmed again counts). The parcels are the one map's
(:mod:`yunong.land`), read inside the caller's scope.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.scope import Scope
from yunong.land.models import Parcel
from yunong.policy.schema import Services
from yunong.services import solver
from yunong.services.models import DryingCentre, Order

M2_PER_MU = Decimal(10000) / Decimal(15)
ABANDONED = "abandoned"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class GrowerParcel:
    code: str
    area_mu: Decimal
    land_class: str
    use: str | None


@dataclass
class SubsidyDue:
    key: str
    name: str
    yuan_per_mu: Decimal
    eligible_mu: Decimal = Decimal(0)
    excluded: list[tuple[str, str]] = field(default_factory=list)
    """Parcels not counted, with the reason."""

    @property
    def yuan(self) -> Decimal:
        return (self.eligible_mu * self.yuan_per_mu).quantize(CENT, ROUND_HALF_UP)


def parcels(session: Session, *, scope: Scope, holder_code: str) -> list[GrowerParcel]:
    """The grower's cultivated parcels in the scope, by code, with area in 亩."""
    rows = session.scalars(
        scope.filter(select(Parcel), Parcel.village_code)
        .where(Parcel.holder_code == holder_code, Parcel.kind == "cultivated")
        .order_by(Parcel.code)
    )
    return [
        GrowerParcel(
            p.code,
            (Decimal(str(p.area_m2)) / M2_PER_MU).quantize(CENT),
            p.land_class,
            p.current_use,
        )  # fmt: skip
        for p in rows
    ]


def subsidies(found: list[GrowerParcel], rules: Services) -> list[SubsidyDue]:
    """Each subsidy of the pack over the grower's parcels (see the module's rule)."""
    due = []
    for key, subsidy in rules.subsidies.items():
        item = SubsidyDue(key, subsidy.name, Decimal(str(subsidy.yuan_per_mu)))
        for parcel in found:
            if subsidy.exclude_abandoned and parcel.use == ABANDONED:
                item.excluded.append((parcel.code, "撂荒"))
            elif subsidy.uses is not None and parcel.use not in subsidy.uses:
                item.excluded.append((parcel.code, "非粮用途"))
            else:
                item.eligible_mu += parcel.area_mu
        due.append(item)
    return due


def orders(session: Session, *, scope: Scope, holder_code: str) -> list[Order]:
    return list(
        session.scalars(
            scope.filter(select(Order), Order.region_code)
            .where(Order.holder_code == holder_code)
            .order_by(Order.earliest.desc(), Order.code)
        )
    )


def nearest_drying_centre(
    session: Session, *, scope: Scope, lon: float, lat: float
) -> tuple[DryingCentre, float] | None:
    """The drying centre nearest to a point in the caller's district, with its distance."""
    centres = session.scalars(scope.filter(select(DryingCentre), DryingCentre.region_code)).all()
    ranked = sorted(
        ((c, solver.great_circle_km(lon, lat, c.longitude, c.latitude)) for c in centres),
        key=lambda pair: pair[1],
    )
    return ranked[0] if ranked else None


def calendar(found: list[GrowerParcel], rules: Services) -> dict[str, dict[str, str]]:
    """The crop calendar of the uses the grower's parcels have."""
    return {use: rules.crop_calendar[use] for use in sorted({p.use or "" for p in found})
            if use in rules.crop_calendar}  # fmt: skip
