"""生产托管 on the one map (``/apps/land``): the parcels of trusteeship contracts, a layer with
its own checkbox, coloured settled or not, served with the parcels by the land map's JSON.

A contract belongs to its village, so the layer shows the contracts of the caller's scope
(narrowed to the map's region filter) whose parcels meet the view, from the zoom at which
parcels are drawn.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.scope import Scope
from yunong.land import map as land_map
from yunong.land.geometry import decode, wkb_column
from yunong.land.models import Parcel
from yunong.land.spatial import Box
from yunong.services.models import Trusteeship, TrusteeshipParcel

MAX_PARCELS = 2000
COLOURS = {"open": "#ef6c00", "settled": "#6d4c41"}


def parcels_in(session: Session, box: Box, scope: Scope, zoom: int) -> list[land_map.Feature]:
    """Parcels under a contract of the scope whose extent meets the view."""
    if zoom < land_map.PARCEL_ZOOM:
        return []
    dialect = session.get_bind().dialect.name
    query = scope.filter(
        select(
            Trusteeship.code,
            Trusteeship.farmer,
            Trusteeship.kind,
            Trusteeship.recorded_kg,
            Parcel.code,
            wkb_column(Parcel.geom, dialect),
        )
        .join(TrusteeshipParcel, TrusteeshipParcel.contract_id == Trusteeship.id)
        .join(Parcel, Parcel.code == TrusteeshipParcel.parcel_code)
        .where(
            Parcel.max_x >= box.west,
            Parcel.min_x <= box.east,
            Parcel.max_y >= box.south,
            Parcel.min_y <= box.north,
        )
        .order_by(Trusteeship.code, Parcel.code)
        .limit(MAX_PARCELS),
        Trusteeship.region_code,
    )
    rows = session.execute(query).tuples().all()
    if not rows:
        return []
    shapes = land_map.shaped(decode([row[5] for row in rows]), box, zoom)
    features = []
    for (contract, farmer, kind, recorded, parcel, _), shape in zip(rows, shapes, strict=True):
        if shape.is_empty:
            continue
        properties = {
            "number": contract,
            "name": f"{contract} {farmer}",
            "parcel": parcel,
            "kind": kind,
            "state": "open" if recorded is None else "settled",
            "accepted": True,
        }
        features.append((land_map.ENCODE(properties), shape))
    return features


TRUSTEESHIP_LAYER = land_map.Overlay(
    name="生产托管地块",
    features=parcels_in,
    prop="state",
    classes={"open": ("托管中", COLOURS["open"]), "settled": ("已结算", COLOURS["settled"])},
    labels={"full": "全托管", "menu": "半托管"},
    link="/services/trusteeships?q={}",
)
land_map.register_overlay("services_trusteeship", TRUSTEESHIP_LAYER)
