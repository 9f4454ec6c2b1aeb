"""Patrol tracks: a GPX file from a handheld device, or points recorded on a phone, measured
against the ban zones.

- **Points** are every track point of every track and segment of the file (routes and
  waypoints are not the walked track and are not counted). Elevation and time may be missing.
- **Length** is geodesic on the CGCS2000 ellipsoid (the same as GRS 80; WGS 84 differs by less
  than a millimetre over a patrol), summed within each segment: a GPX segment break means
  the device stopped recording, so the gap between two segments is not counted as walked.
- **Inside** a zone means the point lies in the zone's polygon *or on its boundary*: a
  boundary drawn along a bank is the bank, and a patrol walking it patrols that water.
- The patrol's day is that of its first timed point in China Standard Time; a file without
  any time needs the day given.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import gpxpy
import gpxpy.gpx
import numpy as np
import shapely
from pyproj import CRS, Geod
from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.errors import InvalidValue
from yunong.core.geometry import STORAGE_EPSG
from yunong.core.scope import Scope
from yunong.fishery import zones as zone_service
from yunong.fishery.models import BanZone, Patrol, PatrolZone, Team
from yunong.land.spatial import Box

GEOD: Geod = CRS.from_epsg(STORAGE_EPSG).get_geod()  # type: ignore[assignment]
CHINA = timezone(timedelta(hours=8))
MAX_POINTS = 200_000


@dataclass
class Track:
    """The points of a track as (longitude, latitude), one array per segment."""

    segments: list[np.ndarray]
    first_time: datetime | None = None

    @property
    def points(self) -> int:
        return sum(len(segment) for segment in self.segments)

    def coordinates(self) -> np.ndarray:
        if not self.segments:
            return np.zeros((0, 2))
        return np.concatenate(self.segments)

    def digest(self) -> str:
        hashed = hashlib.sha256()
        for segment in self.segments:
            hashed.update(np.round(segment, 7).tobytes())
            hashed.update(b"|")
        return hashed.hexdigest()

    def geometry(self) -> shapely.Geometry | None:
        lines = [shapely.LineString(s) for s in self.segments if len(s) >= 2]
        return shapely.MultiLineString(lines) if lines else None


@dataclass
class Measured:
    """A track measured against the zones: the figures the import prints."""

    points: int
    inside: int
    length_m: float
    zones: list[BanZone]
    per_zone: dict[int, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "points": self.points,
            "inside_zones": self.inside,
            "length_km": round(self.length_m / 1000, 3),
            "zones": [zone.name for zone in self.zones],
        }


def read_gpx(path: Path) -> Track:
    """The track points of a GPX file, by segment."""
    if not path.exists():
        raise InvalidValue("找不到文件“{path}”", path=str(path))
    try:
        with path.open(encoding="utf-8-sig") as handle:
            parsed = gpxpy.parse(handle)
    except (gpxpy.gpx.GPXException, UnicodeDecodeError, ValueError) as error:
        raise InvalidValue(
            "文件“{name}”不是有效的 GPX：{error}", name=path.name, error=str(error)
        ) from None
    segments: list[np.ndarray] = []
    times: list[datetime] = []
    for track in parsed.tracks:
        for segment in track.segments:
            if not segment.points:
                continue
            segments.append(
                np.array([(p.longitude, p.latitude) for p in segment.points], dtype=float)
            )
            times += [p.time for p in segment.points if p.time is not None]
    if not segments:
        raise InvalidValue("文件“{name}”中没有航迹点（trkpt）", name=path.name)
    if sum(len(s) for s in segments) > MAX_POINTS:
        raise InvalidValue("航迹点超过 {limit} 个，请分段导入", limit=MAX_POINTS)
    first = min((aware(t) for t in times), default=None)
    if first is None and parsed.time is not None:
        first = aware(parsed.time)
    return Track(segments, first)


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def track_from_points(points: list[tuple[float, float]], started: datetime | None) -> Track:
    """A track recorded on a phone: one segment of (longitude, latitude)."""
    if not points:
        raise InvalidValue("航迹没有点")
    array = np.array(points, dtype=float)
    if array.ndim != 2 or array.shape[1] != 2:
        raise InvalidValue("航迹点应为经度、纬度")
    lon, lat = array[:, 0], array[:, 1]
    if not (np.all(np.abs(lon) <= 180) and np.all(np.abs(lat) <= 90)):
        raise InvalidValue("航迹点的经纬度超出范围")
    return Track([array], started)


def geodesic_length_m(track: Track) -> float:
    """Sum of the geodesic lengths of the segments, in metres."""
    total = 0.0
    for segment in track.segments:
        if len(segment) >= 2:
            total += float(GEOD.line_length(segment[:, 0], segment[:, 1]))
    return total


def measure(session: Session, *, scope: Scope, track: Track) -> Measured:
    """Count the track's points inside the zones of the caller's district (a point on a
    boundary is inside)."""
    coordinates = track.coordinates()
    west, south = coordinates.min(axis=0).tolist()
    east, north = coordinates.max(axis=0).tolist()
    box = Box(west, south, east, north)
    zones = zone_service.in_box(session, scope=zone_service.published_to(scope), box=box)
    points = shapely.points(coordinates)
    inside = np.zeros(len(points), dtype=bool)
    per_zone: dict[int, int] = {}
    touched: list[BanZone] = []
    for zone in zones:
        hit = shapely.intersects(zone.geom, points)  # intersects: the boundary counts
        count = int(hit.sum())
        if count:
            inside |= hit
            per_zone[zone.id] = count
            touched.append(zone)
    touched.sort(key=lambda zone: zone.name)
    return Measured(track.points, int(inside.sum()), geodesic_length_m(track), touched, per_zone)


def patrol_day(track: Track, given: date | None) -> date:
    if given is not None:
        return given
    if track.first_time is None:
        raise InvalidValue("航迹没有时间，请指定巡查日期（--date）")
    return track.first_time.astimezone(CHINA).date()


@dataclass
class Recorded:
    measured: Measured
    patrol: Patrol
    new: bool
    case_number: str = ""
    """The case a finding on the patrol opened."""


def record(
    session: Session,
    *,
    scope: Scope,
    team: Team,
    track: Track,
    source: str,
    day: date | None = None,
    note: str = "",
) -> Recorded:
    """Store the patrol and its coverage of the zones; the same track twice is one patrol."""
    scope.check_write(team.region_code, "护渔队")
    measured = measure(session, scope=scope, track=track)
    digest = track.digest()
    existing = session.scalars(
        select(Patrol).where(Patrol.team_id == team.id, Patrol.digest == digest)
    ).first()
    if existing is not None:
        return Recorded(measured, existing, new=False)
    patrol = Patrol(
        team_id=team.id,
        region_code=team.region_code,
        patrolled_on=patrol_day(track, day),
        source=source,
        digest=digest,
        points=measured.points,
        inside_points=measured.inside,
        length_m=round(measured.length_m, 2),
        geom=track.geometry(),
        note=note[:500],
        recorded_by=scope.actor,
    )
    session.add(patrol)
    session.flush()
    for zone_id, count in measured.per_zone.items():
        session.add(PatrolZone(patrol_id=patrol.id, zone_id=zone_id, points=count))
    audit.record(
        session,
        scope=scope,
        action="fishery.patrol_record",
        target_type="fishery_patrol",
        target_id=patrol.id,
        region_code=team.region_code,
        detail=f"{team.name}：{measured.points} 点，水域内 {measured.inside} 点",
    )
    session.flush()
    return Recorded(measured, patrol, new=True)


def import_gpx(
    session: Session, *, scope: Scope, team: Team, path: Path, day: date | None = None
) -> Recorded:
    return record(session, scope=scope, team=team, track=read_gpx(path), source="gpx", day=day)


def points_from_text(text: str) -> list[tuple[float, float]]:
    """The positions a phone recorded, sent as JSON ``[[longitude, latitude], …]``."""
    import json

    try:
        data = json.loads(text or "[]")
        points = [(float(lon), float(lat)) for lon, lat in data]
    except (ValueError, TypeError):
        raise InvalidValue("航迹数据无法读取，请重新记录") from None
    if len(points) > MAX_POINTS:
        raise InvalidValue("航迹点超过 {limit} 个，请分段导入", limit=MAX_POINTS)
    return points


@dataclass
class PhonePatrol:
    team_id: int
    track: str
    finding: str = ""
    place: str = ""
    photo: bytes | None = None
    """A photo of the finding, already checked and re-encoded as JPEG."""


def record_from_phone(session: Session, *, scope: Scope, patrol_in: PhonePatrol) -> Recorded:
    """A patrol recorded in the page on a phone; a finding written on it opens a case."""
    from yunong.fishery import cases, teams

    team = teams.get(session, scope=scope, team_id=patrol_in.team_id)
    points = points_from_text(patrol_in.track)
    if len(points) < 2:
        raise InvalidValue("航迹至少需要两个位置：请允许定位并在巡护中保持页面打开")
    now = datetime.now(UTC)
    recorded = record(
        session,
        scope=scope,
        team=team,
        track=track_from_points(points, now),
        source="phone",
        note=patrol_in.finding[:500],
    )
    if patrol_in.photo and recorded.new:
        recorded.patrol.photo, recorded.patrol.photo_type = patrol_in.photo, "image/jpeg"
    if patrol_in.finding.strip():
        case = cases.open_case(
            session,
            scope=scope,
            case_in=cases.CaseIn(
                team.region_code, now.astimezone(CHINA).date(), patrol_in.place, patrol_in.finding
            ),
        )
        case.patrol_id = recorded.patrol.id
        recorded.case_number = case.number
    return recorded
