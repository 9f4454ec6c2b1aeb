"""What the one map shows for a view: parcels and zones clipped to it, or village markers
when zoomed out, and the land figures of the villages in it — always inside the caller's
scope and the region filter.

Parcels are read through the spatial index (:mod:`yunong.land.spatial`), tested exactly
against the view, clipped to it and simplified to the pixel size of the zoom, so a
response stays small whatever the data's size. Further out than :data:`PARCEL_ZOOM`, or
when a view holds more than :data:`MAX_PARCELS`, the map shows one marker per village
from the village summary instead, at the village's centre in the shared geography
(:mod:`yunong.core.regions.geography`), or at its parcels' centre where it has none.
"""

import json
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce
from typing import Any

import numpy as np
import shapely
from sqlalchemy import ColumnElement, Select, and_, case, func, literal, select
from sqlalchemy.orm import Session

from yunong.core.errors import InvalidValue
from yunong.core.regions import service as regions
from yunong.core.regions.models import Region, RegionGeography
from yunong.core.scope import Scope
from yunong.land import spatial
from yunong.land.codes import UnitKind, Use, ZoneKind
from yunong.land.geometry import CHONGQING_BOUNDS, decode, to_mu, wkb_column
from yunong.land.models import Parcel, VillageSummary, Zone
from yunong.land.spatial import Box

PARCEL_ZOOM = 13
"""From this web-map zoom on (about a town across a screen) parcels are drawn."""
MAX_PARCELS = 6000
ZONE_ZOOM = 11
ABANDONED = str(Use.ABANDONED)
CULTIVATED = str(UnitKind.CULTIVATED)


Feature = tuple[str, shapely.Geometry]
"""The properties (as JSON text) and the geometry, clipped and simplified for the view."""


@dataclass(frozen=True)
class Overlay:
    """Another application's layer drawn over the parcels, with a checkbox of its own."""

    name: str
    """The checkbox's label."""
    features: Callable[[Session, Box, Scope, int], list[Feature]]
    """Its features in a view: the box, the caller's scope already narrowed to the region
    filter, the zoom."""
    prop: str
    """The property its features are coloured by."""
    classes: dict[str, tuple[str, str]]
    """Value → (label, colour)."""
    labels: dict[str, str] = field(default_factory=dict)
    """Other coded values its card shows → their label."""
    link: str = ""
    """Where its card links, with ``{}`` for the feature's ``number``."""


OVERLAYS: dict[str, Overlay] = {}
"""Overlays by the key they are served under in the map's JSON (e.g. ``projects``)."""


def register_overlay(key: str, overlay: Overlay) -> None:
    """Serve ``overlay`` with every map view under ``key``; an application that builds on
    the land module registers its layer here, so the land module needs no import of it."""
    OVERLAYS[key] = overlay


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
    overlays: dict[str, list[Feature]] = field(default_factory=dict)

    def as_json(self) -> str:
        features, zones = collection(self.features), collection(self.zones)
        extra = "".join(
            f",{json.dumps(key)}:{collection(found)}" for key, found in self.overlays.items()
        )
        return f'{{"mode":{json.dumps(self.mode)},"features":{features},"zones":{zones}{extra}}}'


ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
"""One encoder for every feature: ``json.dumps`` with options builds a new one each call."""


def collection(features: list[Feature]) -> str:
    """A GeoJSON FeatureCollection, with every geometry encoded in one call."""
    shapes = np.empty(len(features), dtype=object)
    shapes[:] = [geometry for _, geometry in features]
    texts = shapely.to_geojson(shapes) if len(features) else []
    parts = (
        f'{{"type":"Feature","properties":{props},"geometry":{text}}}'
        for (props, _), text in zip(features, texts, strict=True)
    )
    return '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"


def narrowed(session: Session, scope: Scope, region: str | None) -> Scope:
    """The scope cut down to the region filter, which must exist and lie inside it."""
    if not region:
        return scope
    found = regions.get_visible(session, scope=scope, code=region)
    return scope.narrowed_to(found.code)


def view(session: Session, *, scope: Scope, box: Box, zoom: int, region: str | None = None) -> View:
    """Parcels (and zones) in ``box`` at ``zoom``, or village markers further out."""
    within = narrowed(session, scope, region)
    zones = zones_in(session, box, within, zoom) if zoom >= ZONE_ZOOM else []
    overlays = {
        key: overlay.features(session, box, within, zoom) for key, overlay in OVERLAYS.items()
    }
    if zoom >= PARCEL_ZOOM:
        parcels = parcels_in(session, box, within, zoom)
        if parcels is not None:
            return View("parcels", parcels, zones, overlays)
    return View("villages", village_markers(session, box, within), zones, overlays)


def tolerance(zoom: int) -> float:
    """Half a pixel of a web map at ``zoom``, in degrees."""
    return 360.0 / (256 * 2**zoom) / 2


def shaped(geometries: np.ndarray, box: Box, zoom: int) -> np.ndarray:
    """Each geometry clipped to the view and simplified for the zoom.

    Only the geometries that cross the view's edge are clipped, and only those with more
    vertices than a rectangle are simplified: most parcels need neither.
    """
    margin = tolerance(zoom) * 8
    edges = (box.west - margin, box.south - margin, box.east + margin, box.north + margin)
    bounds = shapely.bounds(geometries)
    crossing = (
        (bounds[:, 0] < edges[0])
        | (bounds[:, 1] < edges[1])
        | (bounds[:, 2] > edges[2])
        | (bounds[:, 3] > edges[3])
    )
    shapes = geometries.copy()
    shapes[crossing] = shapely.clip_by_rect(geometries[crossing], *edges)
    detailed = shapely.get_num_coordinates(shapes) > 5
    shapes[detailed] = shapely.simplify(shapes[detailed], tolerance(zoom), preserve_topology=True)
    # A metre (5 decimals) is finer than a pixel up to zoom 16.
    digits = 5 if zoom < 16 else 6
    return shapely.transform(shapes, lambda xy: np.round(xy, digits))


def parcels_in(session: Session, box: Box, scope: Scope, zoom: int) -> list[Feature] | None:
    """The parcels meeting ``box`` in ``scope``; None when there are too many to draw."""
    dialect = session.get_bind().dialect.name
    meeting = scope.filter(
        select(Parcel.id).where(Parcel.id.in_(spatial.ids_meeting("land_parcel", box, dialect))),
        Parcel.village_code,
    )
    # Counting first spares reading thousands of geometries only to show village markers.
    counted = select(func.count()).select_from(meeting.limit(MAX_PARCELS + 1).subquery())
    if (session.scalar(counted) or 0) > MAX_PARCELS:
        return None
    query = select(parcel_properties(), wkb_column(Parcel.geom, dialect)).where(
        Parcel.id.in_(meeting)
    )
    rows = session.execute(query).tuples().all()
    geometries = decode([wkb for _, wkb in rows])
    meets = shapely.intersects(geometries, box.shape)
    kept = [props for (props, _), keep in zip(rows, meets.tolist(), strict=True) if keep]
    if not kept:
        return []
    return list(zip(kept, shaped(geometries[meets], box, zoom).tolist(), strict=True))


def parcel_properties() -> ColumnElement[str]:
    """What the map colours a parcel by, for every layer, as JSON text written by the
    database: codes and class values are letters and digits, so nothing needs escaping."""
    farmland, high = Parcel.permanent_farmland.is_(True), Parcel.high_standard.is_(True)
    protection = case(
        (and_(farmland, high), "both"),
        (farmland, "permanent"),
        (high, "high_standard"),
        else_="none",
    )
    state = case(
        (Parcel.kind != CULTIVATED, ""),
        (Parcel.current_use == ABANDONED, "abandoned"),
        (Parcel.recultivated_year.is_not(None), "recultivated"),
        else_="farmed",
    )
    parts: list[Any] = [
        literal('{"code":"'),
        Parcel.code,
        literal('","kind":"'),
        Parcel.kind,
        literal('","protection":"'),
        protection,
        literal('","use":"'),
        func.coalesce(Parcel.current_use, ""),
        literal('","state":"'),
        state,
        literal('"}'),
    ]
    return reduce(operator.add, parts)


def zones_in(session: Session, box: Box, scope: Scope, zoom: int) -> list[Feature]:
    dialect = session.get_bind().dialect.name
    query = scope.filter(
        select(Zone.code, Zone.kind, Zone.name, wkb_column(Zone.geom, dialect)).where(
            Zone.id.in_(spatial.ids_meeting("land_zone", box, dialect))
        ),
        Zone.region_code,
    ).limit(MAX_PARCELS)
    rows = session.execute(query).tuples().all()
    if not rows:
        return []
    shapes = shaped(decode([row[-1] for row in rows]), box, zoom)
    return [
        (ENCODE({"code": code, "kind": kind, "name": name}), shape)
        for (code, kind, name, _), shape in zip(rows, shapes, strict=True)
    ]


def position() -> tuple[ColumnElement[float], ColumnElement[float]]:
    """Where a village is drawn: its centre in the shared geography, else its parcels'."""
    return (
        func.coalesce(RegionGeography.lon, VillageSummary.lon),
        func.coalesce(RegionGeography.lat, VillageSummary.lat),
    )


def summaries_in(box: Box | None, scope: Scope) -> Select:
    """The village summaries in scope whose village is drawn inside ``box``."""
    query = scope.filter(select(VillageSummary), VillageSummary.village_code).outerjoin(
        RegionGeography, RegionGeography.region_code == VillageSummary.village_code
    )
    if box is not None:
        lon, lat = position()
        query = query.where(lon.between(box.west, box.east), lat.between(box.south, box.north))
    return query


def village_markers(session: Session, box: Box, scope: Scope) -> list[Feature]:
    lon, lat = position()
    rows = session.execute(
        summaries_in(box, scope)
        .join(Region, Region.code == VillageSummary.village_code)
        .with_only_columns(
            VillageSummary.village_code,
            Region.name,
            lon.label("lon"),
            lat.label("lat"),
            VillageSummary.parcels,
            VillageSummary.cultivated,
            VillageSummary.abandoned,
        )
    ).all()
    return [
        (
            ENCODE(
                {
                    "code": row.village_code,
                    "name": row.name,
                    "parcels": row.parcels,
                    "cultivated_mu": float(to_mu(row.cultivated)),
                    "abandoned_mu": float(to_mu(row.abandoned)),
                }
            ),
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
    inner = summaries_in(box, narrowed(session, scope, region)).subquery()
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
    inner = summaries_in(None, narrowed(session, scope, region)).subquery()
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
