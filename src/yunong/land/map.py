"""What the one map shows for a view: parcels and zones clipped to it, or village markers
when zoomed out, and the land figures of the villages in it — always inside the caller's
scope and the region filter.

Parcels are read through the spatial index (:mod:`yunong.land.spatial`), tested exactly
against the view, clipped to it and simplified to the pixel size of the zoom, so a
response stays small whatever the data's size. Further out than :data:`PARCEL_ZOOM`, or
when a view holds more than :data:`MAX_PARCELS`, the map shows one marker per village
from the village summary instead.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import shapely
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from yunong.core.errors import InvalidValue
from yunong.core.identity import service as identity
from yunong.core.regions import codes as region_codes
from yunong.core.regions import service as regions
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.land import service, spatial
from yunong.land.codes import (
    SLOPE_GRADES,
    UNIT_KIND_LABELS,
    USE_LABELS,
    UnitKind,
    Use,
    ZoneKind,
)
from yunong.land.geometry import CHONGQING_BOUNDS, decode, to_mu, wkb_column
from yunong.land.models import Parcel, VillageSummary, Zone
from yunong.land.spatial import Box

PARCEL_ZOOM = 13
"""From this web-map zoom on (about a town across a screen) parcels are drawn."""
MAX_PARCELS = 6000
ZONE_ZOOM = 11
ABANDONED = str(Use.ABANDONED)
CULTIVATED = str(UnitKind.CULTIVATED)


Feature = tuple[dict[str, Any], shapely.Geometry]
"""The properties and the geometry (clipped and simplified for the view) of a feature."""


@dataclass(frozen=True)
class Layer:
    """A way of colouring the parcels: the property it reads and a colour per value."""

    name: str
    prop: str
    classes: dict[str, tuple[str, str]]
    """Value → (label, colour)."""


LAYERS = {
    "kind": Layer(
        "地类",
        "kind",
        {
            UnitKind.CULTIVATED.value: ("耕地", "#8bc34a"),
            UnitKind.HOMESTEAD.value: ("宅基地", "#ff9800"),
            UnitKind.CONSTRUCTION.value: ("集体建设用地", "#9c27b0"),
        },
    ),
    "protection": Layer(
        "保护",
        "protection",
        {
            "both": ("永久基本农田且为高标准农田", "#1b5e20"),
            "permanent": ("永久基本农田", "#66bb6a"),
            "high_standard": ("高标准农田", "#29b6f6"),
            "none": ("未划入", "#d7ccc8"),
        },
    ),
    "use": Layer(
        "种植属性",
        "use",
        {
            Use.GRAIN.value: ("粮食作物", "#fdd835"),
            Use.OIL.value: ("油料作物", "#ffb300"),
            Use.ROTATION.value: ("粮与非粮轮作", "#c0ca33"),
            Use.CASH_CROP.value: ("其他非粮作物", "#ab47bc"),
            Use.PERENNIAL.value: ("果茶桑苗等多年生作物", "#26a69a"),
            Use.FACILITY.value: ("设施农业", "#5c6bc0"),
            Use.INTERCROP.value: ("林粮间作", "#66bb6a"),
            Use.FALLOW.value: ("休耕", "#bcaaa4"),
            Use.ABANDONED.value: ("撂荒", "#e53935"),
            "": ("未填或非耕地", "#eeeeee"),
        },
    ),
    "state": Layer(
        "撂荒与复耕",
        "state",
        {
            "abandoned": ("撂荒", "#e53935"),
            "recultivated": ("已复耕", "#1e88e5"),
            "farmed": ("在种", "#c5e1a5"),
            "": ("非耕地", "#eeeeee"),
        },
    ),
}
ZONE_COLOURS = {
    ZoneKind.PERMANENT_FARMLAND.value: "#2e7d32",
    ZoneKind.ECOLOGICAL_REDLINE.value: "#c62828",
    ZoneKind.HIGH_STANDARD.value: "#0277bd",
}


def layer_named(name: str) -> Layer:
    if name not in LAYERS:
        raise InvalidValue(f"图层“{name}”无效，可选：{'、'.join(LAYERS)}")
    return LAYERS[name]


@dataclass
class View:
    """What the map draws for one view."""

    mode: str
    """``parcels`` or ``villages``."""
    features: list[Feature] = field(default_factory=list)
    zones: list[Feature] = field(default_factory=list)

    def as_json(self) -> str:
        features, zones = collection(self.features), collection(self.zones)
        return f'{{"mode":{json.dumps(self.mode)},"features":{features},"zones":{zones}}}'


ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
"""One encoder for every feature: ``json.dumps`` with options builds a new one each call."""


def collection(features: list[Feature]) -> str:
    """A GeoJSON FeatureCollection, with every geometry encoded in one call."""
    shapes = np.empty(len(features), dtype=object)
    shapes[:] = [geometry for _, geometry in features]
    texts = shapely.to_geojson(shapes) if len(features) else []
    parts = (
        f'{{"type":"Feature","properties":{ENCODE(props)},"geometry":{text}}}'
        for (props, _), text in zip(features, texts, strict=True)
    )
    return '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"


def prefix_for(session: Session, scope: Scope, region: str | None) -> str:
    """The code prefix of the region filter, checked against the scope."""
    if not region:
        return scope.prefix
    found = regions.get_visible(session, scope=scope, code=region)
    return region_codes.prefix_of(found.code)


def within(query: Select, column: Any, prefix: str) -> Select:
    return query.where(column.startswith(prefix, autoescape=True))


def view(session: Session, *, scope: Scope, box: Box, zoom: int, region: str | None = None) -> View:
    """Parcels (and zones) in ``box`` at ``zoom``, or village markers further out."""
    prefix = prefix_for(session, scope, region)
    zones = zones_in(session, box, prefix, zoom) if zoom >= ZONE_ZOOM else []
    if zoom >= PARCEL_ZOOM:
        parcels = parcels_in(session, box, prefix, zoom)
        if parcels is not None:
            return View("parcels", parcels, zones)
    return View("villages", village_markers(session, box, prefix), zones)


def tolerance(zoom: int) -> float:
    """Half a pixel of a web map at ``zoom``, in degrees."""
    return 360.0 / (256 * 2**zoom) / 2


def shaped(geometries: np.ndarray, box: Box, zoom: int) -> list[shapely.Geometry]:
    """Each geometry clipped to the view and simplified for the zoom."""
    margin = tolerance(zoom) * 8
    clipped = shapely.clip_by_rect(
        geometries, box.west - margin, box.south - margin, box.east + margin, box.north + margin
    )
    simple = shapely.simplify(clipped, tolerance(zoom), preserve_topology=True)
    # A metre (5 decimals) is finer than a pixel up to zoom 16.
    digits = 5 if zoom < 16 else 6
    return list(shapely.transform(simple, lambda xy: np.round(xy, digits)))


def parcels_in(session: Session, box: Box, prefix: str, zoom: int) -> list[Feature] | None:
    """The parcels meeting ``box`` under ``prefix``; None when there are too many to draw."""
    dialect = session.get_bind().dialect.name
    meeting = within(
        select(Parcel.id).where(Parcel.id.in_(spatial.ids_meeting("land_parcel", box, dialect))),
        Parcel.village_code,
        prefix,
    )
    # Counting first spares reading thousands of geometries only to show village markers.
    counted = select(func.count()).select_from(meeting.limit(MAX_PARCELS + 1).subquery())
    if (session.scalar(counted) or 0) > MAX_PARCELS:
        return None
    query = select(
        Parcel.code,
        Parcel.kind,
        Parcel.permanent_farmland,
        Parcel.high_standard,
        Parcel.current_use,
        Parcel.recultivated_year,
        wkb_column(Parcel.geom, dialect),
    ).where(Parcel.id.in_(meeting))
    rows = session.execute(query).tuples().all()
    geometries = decode([row[-1] for row in rows])
    meets = shapely.intersects(geometries, box.shape)
    kept = [row for row, keep in zip(rows, meets.tolist(), strict=True) if keep]
    shapes = shaped(geometries[meets], box, zoom) if kept else []
    return [(parcel_properties(*row[:-1]), shape) for row, shape in zip(kept, shapes, strict=True)]


def parcel_properties(
    code: str,
    kind: str,
    permanent_farmland: bool,
    high_standard: bool,
    current_use: str | None,
    recultivated_year: int | None,
) -> dict[str, Any]:
    """What the map colours a parcel by, for every layer."""
    if kind != CULTIVATED:
        state = ""
    elif current_use == ABANDONED:
        state = "abandoned"
    elif recultivated_year is not None:
        state = "recultivated"
    else:
        state = "farmed"
    return {
        "code": code,
        "kind": kind,
        "protection": PROTECTION[bool(permanent_farmland), bool(high_standard)],
        "use": current_use or "",
        "state": state,
    }


PROTECTION = {
    (True, True): "both",
    (True, False): "permanent",
    (False, True): "high_standard",
    (False, False): "none",
}
"""The protection class by (permanent basic farmland, high-standard farmland)."""


def zones_in(session: Session, box: Box, prefix: str, zoom: int) -> list[Feature]:
    dialect = session.get_bind().dialect.name
    query = within(
        select(Zone.code, Zone.kind, Zone.name, wkb_column(Zone.geom, dialect)).where(
            Zone.id.in_(spatial.ids_meeting("land_zone", box, dialect))
        ),
        Zone.region_code,
        prefix,
    ).limit(MAX_PARCELS)
    rows = session.execute(query).tuples().all()
    if not rows:
        return []
    shapes = shaped(decode([row[-1] for row in rows]), box, zoom)
    return [
        ({"code": code, "kind": kind, "name": name}, shape)
        for (code, kind, name, _), shape in zip(rows, shapes, strict=True)
    ]


def summaries_in(box: Box | None, prefix: str) -> Select:
    query = within(select(VillageSummary), VillageSummary.village_code, prefix)
    if box is not None:
        query = query.where(
            VillageSummary.lon.between(box.west, box.east),
            VillageSummary.lat.between(box.south, box.north),
        )
    return query


def village_markers(session: Session, box: Box, prefix: str) -> list[Feature]:
    rows = session.execute(
        summaries_in(box, prefix)
        .join(Region, Region.code == VillageSummary.village_code)
        .with_only_columns(
            VillageSummary.village_code,
            Region.name,
            VillageSummary.lon,
            VillageSummary.lat,
            VillageSummary.parcels,
            VillageSummary.cultivated,
            VillageSummary.abandoned,
        )
    ).all()
    return [
        (
            {
                "code": row.village_code,
                "name": row.name,
                "parcels": row.parcels,
                "cultivated_mu": float(to_mu(row.cultivated)),
                "abandoned_mu": float(to_mu(row.abandoned)),
            },
            shapely.Point(round(row.lon, 6), round(row.lat, 6)),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class ViewStats:
    """The land figures of the villages whose centre is in the view, in 亩."""

    villages: int
    parcels: int
    cultivated: float
    homestead: float
    construction: float
    permanent_farmland: float
    high_standard: float
    high_standard_share: float | None
    abandoned: float
    recultivation_progress: float | None
    computed_at: datetime | None


SUMMED = (
    "parcels",
    "cultivated",
    "homestead",
    "construction",
    "permanent_farmland",
    "permanent_high_standard",
    "high_standard",
    "abandoned",
    "to_recultivate",
    "recultivated",
)


def statistics(
    session: Session, *, scope: Scope, box: Box | None, region: str | None = None
) -> ViewStats:
    prefix = prefix_for(session, scope, region)
    inner = summaries_in(box, prefix).subquery()
    row = session.execute(
        select(
            func.count(),
            *(func.coalesce(func.sum(inner.c[name]), 0) for name in SUMMED),
            func.max(inner.c.computed_at),
        )
    ).one()
    villages, figures, computed_at = row[0], dict(zip(SUMMED, row[1:-1], strict=True)), row[-1]
    mu = {name: float(to_mu(value)) for name, value in figures.items() if name != "parcels"}
    farmland = figures["permanent_farmland"]
    remaining = figures["recultivated"] + figures["to_recultivate"]
    return ViewStats(
        villages=villages,
        parcels=int(figures["parcels"]),
        cultivated=mu["cultivated"],
        homestead=mu["homestead"],
        construction=mu["construction"],
        permanent_farmland=mu["permanent_farmland"],
        high_standard=mu["high_standard"],
        high_standard_share=figures["permanent_high_standard"] / farmland if farmland else None,
        abandoned=mu["abandoned"],
        recultivation_progress=figures["recultivated"] / remaining if remaining else None,
        computed_at=computed_at,
    )


def extent(session: Session, *, scope: Scope, region: str | None = None) -> Box:
    """The extent of the parcels under the region filter (Chongqing when there are none)."""
    inner = summaries_in(None, prefix_for(session, scope, region)).subquery()
    west, south, east, north = session.execute(
        select(
            func.min(inner.c.min_x),
            func.min(inner.c.min_y),
            func.max(inner.c.max_x),
            func.max(inner.c.max_y),
        )
    ).one()
    if west is None:
        return Box(*CHONGQING_BOUNDS)
    return Box(west, south, east, north)


def parcel_card(session: Session, *, scope: Scope, code: str) -> dict[str, Any]:
    """One parcel as its card shows it: what it is, where, how protected and used, its links."""
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
        "holder_code": parcel.holder_code,
        "links": [
            {"from": link.from_code, "relation": link.relation, "to": link.to_code}
            for link in links
        ],
    }
