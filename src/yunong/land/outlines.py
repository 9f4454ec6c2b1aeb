"""The region outlines the one map draws under the parcels.

Which levels a view shows follows its zoom: districts when the whole city is in view,
towns from :data:`TOWN_ZOOM` (about a district across the screen), villages from
:data:`VILLAGE_ZOOM` (about a town). The levels between the caller's own and that one are
drawn too, coarser ones with heavier lines, so a district officer looking at villages
still sees which town each lies in. Nothing above the caller's own level is drawn: a town
officer sees the town and its villages. Outlines are clipped to the view and simplified
for the zoom like the parcels (:func:`yunong.land.map.shaped`); the finest level carries a
point inside its visible part to write the name at.
"""

import json

import numpy as np
import shapely
from sqlalchemy.orm import Session

from yunong.core.regions import codes
from yunong.core.regions import outlines as regions
from yunong.core.regions.codes import Level
from yunong.core.scope import Scope
from yunong.land.map import Feature, collection, narrowed, shaped
from yunong.land.spatial import Box

TOWN_ZOOM = 9
VILLAGE_ZOOM = 12
DRAWN_LEVELS = (Level.DISTRICT, Level.TOWN, Level.VILLAGE)


def finest_level(zoom: int) -> Level:
    """The finest level a view at ``zoom`` shows."""
    if zoom >= VILLAGE_ZOOM:
        return Level.VILLAGE
    return Level.TOWN if zoom >= TOWN_ZOOM else Level.DISTRICT


def levels_for(scope: Scope, zoom: int) -> list[Level]:
    """The levels drawn for the caller at ``zoom``: from the caller's own (districts for the
    city) down to the finest the zoom shows, and never finer than the caller's own."""
    own = codes.level_of(scope.region_code)
    finest = max(finest_level(zoom), own)
    return [level for level in DRAWN_LEVELS if own <= level <= finest]


def outlines_in(
    session: Session, *, scope: Scope, box: Box, zoom: int, region: str | None = None
) -> str:
    """The outlines in ``box`` at ``zoom`` as GeoJSON text: each feature's properties name
    its ``code``, ``name`` and ``level`` (2 district, 3 town, 4 village), and on the finest
    level a ``label`` point ``[lon, lat]``."""
    within = narrowed(session, scope, region)
    levels = levels_for(within, zoom)
    features: list[Feature] = []
    for level in levels:
        found = regions.get_outlines(
            session, scope=within, level=level, bounds=(box.west, box.south, box.east, box.north)
        )
        if not found:
            continue
        boundaries = np.empty(len(found), dtype=object)
        boundaries[:] = [outline.boundary for outline in found]
        shapes = shaped(boundaries, box, zoom)
        labels = label_points(shapes) if level == levels[-1] else [None] * len(found)
        for outline, shape, label in zip(found, shapes.tolist(), labels, strict=True):
            if shape.is_empty:
                continue
            properties: dict[str, object] = {
                "code": outline.code,
                "name": outline.name,
                "level": int(level),
            }
            if label is not None:
                properties["label"] = label
            features.append((json.dumps(properties, ensure_ascii=False), shape))
    return collection(features)


def label_points(shapes: np.ndarray) -> list[list[float] | None]:
    """A point inside each shape (never outside a crescent), rounded to about a metre."""
    points = shapely.point_on_surface(shapes)
    return [
        None if point.is_empty else [round(point.x, 5), round(point.y, 5)]
        for point in points.tolist()
    ]
