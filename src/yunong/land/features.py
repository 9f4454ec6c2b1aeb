"""Parcels and zones as pages of features, for the OGC API: inside the caller's scope,
optionally meeting a bounding box, in a stable order (by id) so that pages never overlap."""

from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.core.scope import Scope
from yunong.land import export, spatial
from yunong.land.models import Parcel, Zone
from yunong.land.spatial import Box
from yunong.store.bulk import chunks

LAYERS: dict[str, Any] = {"parcels": Parcel, "zones": Zone}


@dataclass(frozen=True)
class Page:
    matched: int
    features: list[tuple[str, dict[str, Any], shapely.Geometry]]
    """Id (全农码), attributes and geometry of each feature."""


def region_column(model: Any) -> Any:
    return model.village_code if model is Parcel else model.region_code


def page(
    session: Session, *, scope: Scope, layer: str, box: Box | None, limit: int, offset: int
) -> Page:
    model = LAYERS[layer]
    if box is None:
        base = scope.filter(select(model.id), region_column(model))
        matched = session.scalar(select(func.count()).select_from(base.subquery())) or 0
        ids = list(session.scalars(base.order_by(model.id).offset(offset).limit(limit)))
    else:
        every = matching_ids(session, scope, model, box)
        matched, ids = len(every), every[offset : offset + limit]
    return Page(matched, records(session, scope, model, ids))


def matching_ids(session: Session, scope: Scope, model: Any, box: Box) -> list[int]:
    """Ids of the rows whose geometry meets ``box``, in order.

    The spatial index gives the rows whose bounding box meets it; those whose box lies
    inside ``box`` meet it for certain, the others are tested on their geometry.
    """
    dialect = session.get_bind().dialect.name
    query = scope.filter(
        select(model.id, model.min_x, model.min_y, model.max_x, model.max_y).where(
            model.id.in_(spatial.ids_meeting(model.__tablename__, box, dialect))
        ),
        region_column(model),
    )
    certain: list[int] = []
    doubtful: list[int] = []
    for row in session.execute(query):
        inside = (
            row.min_x >= box.west
            and row.max_x <= box.east
            and row.min_y >= box.south
            and row.max_y <= box.north
        )
        (certain if inside else doubtful).append(row.id)
    for chunk in chunks(doubtful):
        found = session.execute(select(model.id, model.geom).where(model.id.in_(chunk))).all()
        shapes = np.array([row.geom for row in found], dtype=object)
        meets = shapely.intersects(shapes, box.shape).tolist()
        certain += [row.id for row, keep in zip(found, meets, strict=True) if keep]
    return sorted(certain)


def records(
    session: Session, scope: Scope, model: Any, ids: list[int]
) -> list[tuple[str, dict[str, Any], shapely.Geometry]]:
    if not ids:
        return []
    rows = {row.id: row for row in session.scalars(select(model).where(model.id.in_(ids)))}
    ordered = [rows[i] for i in ids]
    if model is Parcel:
        names = export.village_names(session, scope)
        return [(p.code, export.parcel_record(p, names), p.geom) for p in ordered]
    return [(z.code, export.zone_record(z), z.geom) for z in ordered]


def one(session: Session, *, scope: Scope, layer: str, code: str) -> Page:
    model = LAYERS[layer]
    found = session.scalar(
        scope.filter(
            select(model.id).where(model.code == code.strip().upper()), region_column(model)
        )
    )
    return Page(int(found is not None), records(session, scope, model, [found] if found else []))
