"""长江治渔 on the one map (``/apps/land``): the ban zones, and the patrol tracks over them,
each a layer with its own checkbox, served with the parcels by the land map's JSON.

Zones belong to their district and tracks to their team's region, so each layer shows what
the caller's scope (narrowed to the map's region filter) holds. Zones are drawn from the
whole city on; tracks from about a district across the screen on, the newest first.
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.scope import Scope
from yunong.fishery import zones
from yunong.fishery.models import Patrol, Team
from yunong.land import map as land_map
from yunong.land.geometry import decode, wkb_column
from yunong.land.spatial import Box

ZONE_ZOOM = 7
TRACK_ZOOM = 10
MAX_TRACKS = 300
ZONE_COLOURS = {
    zones.ZoneKind.MAIN_STREAM: "#1565c0",
    zones.ZoneKind.TRIBUTARY: "#0097a7",
    zones.ZoneKind.RESERVE: "#2e7d32",
}


def zones_in(session: Session, box: Box, scope: Scope, zoom: int) -> list[land_map.Feature]:
    if zoom < ZONE_ZOOM:
        return []
    found = zones.in_box(session, scope=zones.published_to(scope), box=box)
    if not found:
        return []
    shapes = land_map.shaped(zones.geometries(found), box, zoom)
    today = date.today()
    features = []
    for zone, shape in zip(found, shapes, strict=True):
        if shape.is_empty:
            continue
        properties = {
            "number": zone.number,
            "name": zone.name,
            "kind": zone.kind,
            "basis": zone.basis,
            "period": f"{zone.starts_on} — {zone.ends_on or ''}",
            "accepted": zone.starts_on <= today and (zone.ends_on is None or today <= zone.ends_on),
        }
        features.append((land_map.ENCODE(properties), shape))
    return features


def tracks_in(session: Session, box: Box, scope: Scope, zoom: int) -> list[land_map.Feature]:
    """The tracks meeting the view (by their points' extent), newest first."""
    if zoom < TRACK_ZOOM:
        return []
    dialect = session.get_bind().dialect.name
    query = scope.filter(
        select(
            Patrol.id,
            Patrol.patrolled_on,
            Patrol.points,
            Patrol.inside_points,
            Patrol.length_m,
            Team.name,
            wkb_column(Patrol.geom, dialect),
        )
        .join(Team, Team.id == Patrol.team_id)
        .where(Patrol.geom.is_not(None)),
        Patrol.region_code,
    )
    rows = session.execute(
        query.order_by(Patrol.patrolled_on.desc(), Patrol.id.desc()).limit(MAX_TRACKS)
    ).tuples()
    features = []
    for patrol_id, day, points, inside, length, team, wkb in rows:
        [line] = decode([wkb])
        west, south, east, north = line.bounds
        if west > box.east or east < box.west or south > box.north or north < box.south:
            continue
        [shape] = land_map.shaped(decode([wkb]), box, zoom)
        if shape.is_empty:
            continue
        properties = {
            "number": str(patrol_id),
            "name": f"{team} {day}",
            "kind": "track",
            "points": points,
            "inside_points": inside,
            "length_km": round(length / 1000, 2),
            "accepted": True,
        }
        features.append((land_map.ENCODE(properties), shape))
    return features


ZONES_LAYER = land_map.Overlay(
    name="禁捕水域",
    features=zones_in,
    prop="kind",
    classes={kind.value: (zones.KIND_LABELS[kind], ZONE_COLOURS[kind]) for kind in zones.ZoneKind},
    link="/fishery/zones?q={}",
)
TRACKS_LAYER = land_map.Overlay(
    name="巡护航迹",
    features=tracks_in,
    prop="kind",
    classes={"track": ("巡护航迹", "#d84315")},
    link="/fishery/patrols/{}",
)
land_map.register_overlay("fishery_zones", ZONES_LAYER)
land_map.register_overlay("fishery_tracks", TRACKS_LAYER)
