"""The district map of the cockpit: one polygon per district, from the shared geography.

A district is drawn by its imported boundary, or else by its schematic cell around its
seat (:mod:`yunong.core.regions.geography`); the page says the map is a schematic, not a
legal boundary.
"""

from typing import Any

import shapely
from sqlalchemy.orm import Session

from yunong.core.regions import geography
from yunong.core.scope import Scope

DETAIL = 0.001
"""Degrees (about a hundred metres) below which an imported boundary's bends are dropped:
finer says nothing on a map of districts, and keeps the map small."""


def district_map(session: Session, *, scope: Scope) -> dict[str, Any]:
    """A GeoJSON FeatureCollection with one polygon per district the caller may see (the
    districts inside the scope, or the one it lies in), ``properties.code`` set."""
    outlines = geography.get_district_outlines(session, scope=scope)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": code},
                "geometry": shapely.geometry.mapping(drawn(shape)),
            }
            for code, shape in outlines.items()
        ],
    }


def drawn(shape: shapely.Geometry) -> shapely.Geometry:
    simpler = shapely.simplify(shape, DETAIL, preserve_topology=True)
    return shapely.set_precision(simpler, DETAIL / 10)
