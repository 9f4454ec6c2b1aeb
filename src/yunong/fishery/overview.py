"""What the 长江治渔 overview and a patrol's page show: the figures of the caller's scope, the
coverage of the zones this month, and a patrol's track drawn over the zones it crossed."""

from dataclasses import dataclass, field
from datetime import date

import shapely
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.errors import NotFound
from yunong.core.scope import Scope
from yunong.fishery import cases, coverage, fishers, tips, zones
from yunong.fishery.models import BanZone, Patrol, Team
from yunong.land.spatial import Box
from yunong.policy.schema import Fishery

SVG_SIZE = 320.0


@dataclass(frozen=True)
class Overview:
    month: str
    zones: int
    zones_patrolled: int
    patrols_this_month: int
    tips_waiting: int
    cases_open: int
    fishers: int
    insured: int
    employed: int
    coverage: list[coverage.ZoneMonth]
    tip_answer_days: int


def get(session: Session, *, scope: Scope, rules: Fishery, today: date) -> Overview:
    month = f"{today.year:04d}-{today.month:02d}"
    rows = coverage.by_zone_month(session, scope=scope, month=month)
    patrolled, total = coverage.patrolled_zone_share(session, scope=scope, month=month)
    first, following = coverage.month_bounds(month)
    patrols = session.scalars(
        scope.filter(
            select(func.count(Patrol.id)).where(
                Patrol.patrolled_on >= first, Patrol.patrolled_on < following
            ),
            Patrol.region_code,
        )
    ).one()
    open_cases = session.scalars(
        scope.filter(
            select(func.count()).where(cases.Case.step != "closed"), cases.Case.region_code
        )
    ).one()
    insured, employed, registered = fishers.shares(session, scope=scope)
    return Overview(
        month,
        total,
        patrolled,
        patrols,
        len(tips.waiting(session, scope=scope)),
        open_cases,
        registered,
        insured,
        employed,
        rows,
        rules.tip_answer_days,
    )


@dataclass
class PatrolView:
    patrol: Patrol
    team: str
    track: list[str] = field(default_factory=list)
    zones: list[tuple[str, str, str]] = field(default_factory=list)
    """(number, name, SVG path) of the zones near the track."""


def path_of(geometry: shapely.Geometry, box: Box, scale: float, close: bool) -> list[str]:
    parts = []
    for part in getattr(geometry, "geoms", [geometry]):
        rings = [part.exterior, *part.interiors] if close else [part]
        for ring in rings:
            points = " L ".join(
                f"{(x - box.west) * scale:.1f} {(box.north - y) * scale:.1f}"
                for x, y in ring.coords
            )
            parts.append(f"M {points}" + (" Z" if close else ""))
    return parts


def patrol_photo(session: Session, *, scope: Scope, patrol_id: int) -> bytes:
    """The photo of a patrol's finding; every view is recorded, as it may show people."""
    found = session.get(Patrol, patrol_id)
    if found is None or not scope.covers(found.region_code) or not found.photo:
        raise NotFound("这次巡护没有照片")
    audit.record(
        session,
        scope=scope,
        action="fishery.patrol_photo_view",
        target_type="fishery_patrol",
        target_id=found.id,
        region_code=found.region_code,
    )
    return found.photo


def patrol(session: Session, *, scope: Scope, patrol_id: int) -> PatrolView:
    found = session.get(Patrol, patrol_id)
    if found is None or not scope.covers(found.region_code):
        raise NotFound("没有这次巡护")
    team = session.get(Team, found.team_id)
    view = PatrolView(found, team.name if team else "")
    if found.geom is None:
        return view
    west, south, east, north = shapely.bounds(found.geom).tolist()
    pad = max(east - west, north - south, 1e-4) * 0.1
    box = Box(west - pad, south - pad, east + pad, north + pad)
    scale = SVG_SIZE / max(box.east - box.west, box.north - box.south)
    view.track = path_of(found.geom, box, scale, close=False)
    frame = shapely.box(box.west, box.south, box.east, box.north)
    nearby: list[BanZone] = zones.in_box(session, scope=scope, box=box)
    for zone in nearby:
        clipped = shapely.intersection(zone.geom, frame)
        if not clipped.is_empty and clipped.geom_type in ("Polygon", "MultiPolygon"):
            view.zones.append(
                (zone.number, zone.name, " ".join(path_of(clipped, box, scale, close=True)))
            )
    return view
