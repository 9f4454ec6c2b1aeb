"""Region outlines in a map's view: the boundaries of the districts, towns or villages of
one level that meet a box, inside the caller's scope.

Districts are few and come from :func:`yunong.core.regions.geography.get_district_outlines`
(the imported boundary, else the schematic cell around the seat). Towns and villages are
many (about 1,000 and 8,000 in Chongqing) and ``region_geography`` keeps no bounding box
of its own, so which of them meet a box is answered from their bounding boxes held in
memory, one index per database and level. An index is built again when the stored
boundaries of its level change (their number or their latest ``updated_at``); only the
boundaries that meet the box are then read from the database, through the scope.

Example: the villages of 龙沙镇 that meet a square around 石坪村::

    get_outlines(session, scope=town, level=Level.VILLAGE, bounds=(108.40, 30.80, 108.42, 30.82))
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from threading import Lock

import numpy as np
import shapely
from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from yunong.core.regions import geography
from yunong.core.regions.codes import Level
from yunong.core.regions.models import Region, RegionGeography
from yunong.core.scope import Scope
from yunong.store.bulk import chunks

Bounds = tuple[float, float, float, float]
"""West, south, east, north in degrees (EPSG:4490)."""


@dataclass(frozen=True)
class Outline:
    """One region as a map draws it: its code, name, level and boundary (EPSG:4490)."""

    code: str
    name: str
    level: Level
    boundary: shapely.Geometry


@dataclass(frozen=True)
class BoundsIndex:
    """The bounding boxes of one level's stored boundaries, as of ``version``."""

    version: tuple[int, datetime | None]
    codes: np.ndarray
    tree: shapely.STRtree

    def meeting(self, box: shapely.Geometry) -> list[str]:
        """Codes of the regions whose bounding box meets ``box``."""
        return sorted(self.codes[self.tree.query(box)].tolist())


indexes: dict[tuple[str, Level], BoundsIndex] = {}
building = Lock()


def get_outlines(session: Session, *, scope: Scope, level: Level, bounds: Bounds) -> list[Outline]:
    """The regions of ``level`` inside the caller's scope whose boundary meets ``bounds``,
    by code. A level above the scope's own gives nothing: a town officer is given the
    town and its villages, never the district around them."""
    box = shapely.box(*bounds)
    if level is Level.DISTRICT:
        outlines = geography.get_district_outlines(session, scope=scope)
        shapes = {code: shape for code, shape in outlines.items() if scope.covers(code)}
    elif level in (Level.TOWN, Level.VILLAGE):
        candidates = [
            code for code in bounds_index(session, level).meeting(box) if scope.covers(code)
        ]
        shapes = stored_boundaries(session, scope, candidates)
    else:
        return []
    meeting = {code: shape for code, shape in shapes.items() if shapely.intersects(shape, box)}
    names = region_names(session, scope, sorted(meeting))
    return [Outline(code, names.get(code, code), level, meeting[code]) for code in sorted(meeting)]


def bounds_index(session: Session, level: Level) -> BoundsIndex:
    """The index of ``level`` for the session's database, built again when stale."""
    key = (session.get_bind().engine.url.render_as_string(hide_password=True), level)
    version = stored_version(session, level)
    found = indexes.get(key)
    if found is None or found.version != version:
        with building:  # one thread builds; the others wait for its index
            found = indexes.get(key)
            if found is None or found.version != version:
                found = indexes[key] = build_index(session, level, version)
    return found


def build_index(
    session: Session, level: Level, version: tuple[int, datetime | None]
) -> BoundsIndex:
    codes, shapes = stored_level(session, level)
    boxes = shapely.box(*shapely.bounds(shapes).T) if len(shapes) else shapes
    return BoundsIndex(version, codes, shapely.STRtree(boxes))


def with_boundary(level: Level) -> ColumnElement[bool]:
    """The stored boundaries of the regions of ``level``, as a condition."""
    return and_(
        RegionGeography.region_code.in_(select(Region.code).where(Region.level == int(level))),
        RegionGeography.boundary.is_not(None),
    )


def stored_version(session: Session, level: Level) -> tuple[int, datetime | None]:
    count, latest = session.execute(
        select(func.count(), func.max(RegionGeography.updated_at)).where(with_boundary(level))
    ).one()
    return int(count), latest


def stored_level(session: Session, level: Level) -> tuple[np.ndarray, np.ndarray]:
    """Codes and boundaries of every region of ``level`` with a stored boundary. Region
    geography is published reference data: the index holds boxes only, and what a caller
    is given is read through the scope."""
    rows = session.execute(
        select(RegionGeography.region_code, RegionGeography.boundary).where(with_boundary(level))
    ).all()
    codes = np.array([code for code, _ in rows], dtype=object)
    shapes = np.empty(len(rows), dtype=object)
    shapes[:] = [shape for _, shape in rows]
    return codes, shapes


def stored_boundaries(
    session: Session, scope: Scope, codes: Sequence[str]
) -> dict[str, shapely.Geometry]:
    found: dict[str, shapely.Geometry] = {}
    for chunk in chunks(list(codes)):
        query = select(RegionGeography.region_code, RegionGeography.boundary).where(
            RegionGeography.region_code.in_(chunk), RegionGeography.boundary.is_not(None)
        )
        found |= dict(
            session.execute(scope.filter(query, RegionGeography.region_code)).tuples().all()
        )
    return found


def region_names(session: Session, scope: Scope, codes: Collection[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for chunk in chunks(list(codes)):
        query = select(Region.code, Region.name).where(Region.code.in_(chunk))
        found |= dict(session.execute(scope.filter(query, Region.code)).tuples().all())
    return found
