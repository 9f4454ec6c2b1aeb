"""A parcel's card on the one map: what it is, where, how protected and used, who holds it
and its links — inside the caller's scope.

The holder is shown as lists show people: the household head's name masked to the surname
(王**), beside the household's 全农码, so that a card open to every role that sees the
village names no one in full.
"""

from typing import Any

from sqlalchemy.orm import Session

from yunong.core.identity import service as identity
from yunong.core.masking import mask_name
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.land import service
from yunong.land.codes import SLOPE_GRADES, UNIT_KIND_LABELS, USE_LABELS, UnitKind, Use
from yunong.land.geometry import to_mu
from yunong.monitor import holders


def parcel_card(session: Session, *, scope: Scope, code: str) -> dict[str, Any]:
    """One parcel by its 全农码 or national code, as its card shows it."""
    parcel = service.get(session, scope=scope, code=code)
    village = session.get(Region, parcel.village_code)
    links = identity.get_links(session, scope=scope, code=parcel.code)
    return {
        "code": parcel.code,
        "national_code": parcel.contract_plot_code or parcel.real_estate_unit_code,
        "village": village.name if village else parcel.village_code,
        "village_code": parcel.village_code,
        "kind": UNIT_KIND_LABELS[UnitKind(parcel.kind)],
        "land_class": f"{parcel.land_class_code} {parcel.land_class}",
        "area_mu": float(to_mu(parcel.area_m2)),
        "slope": SLOPE_GRADES.get(parcel.slope_grade or 0, ""),
        "permanent_farmland": parcel.permanent_farmland,
        "high_standard": parcel.high_standard,
        "high_standard_project": parcel.high_standard_project,
        "use": USE_LABELS[Use(parcel.current_use)] if parcel.current_use else "",
        "use_year": parcel.use_year,
        "abandoned_year": parcel.abandoned_year,
        "recultivated_year": parcel.recultivated_year,
        "holder": holder_name(session, scope, parcel.holder_code),
        "holder_code": parcel.holder_code,
        "links": [
            {"from": link.from_code, "relation": link.relation, "to": link.to_code}
            for link in links
        ],
    }


def holder_name(session: Session, scope: Scope, code: str | None) -> str:
    """The holder's head of household, masked (王**); empty for a holder that is not a
    household the caller may see."""
    if not code:
        return ""
    return mask_name(holders.head_names_by_code(session, scope=scope, codes=[code]).get(code))
