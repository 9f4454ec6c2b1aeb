"""Stored geometry and areas.

Geometry is kept as :mod:`yunong.core.geometry` stores it: CGCS2000 geographic
coordinates (EPSG:4490, x = longitude), PostGIS on PostgreSQL and WKB on
SQLite. Areas are never measured in degrees: each feature is measured
in the CGCS2000 3-degree Gauss–Krüger zone its centre falls in (Chongqing
spans zones 35–37, central meridians 105°, 108° and 111° E) and shown in 亩.
"""

from decimal import Decimal
from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Transformer
from sqlalchemy import LargeBinary, func, type_coerce

# The stored form is the platform's, shared with core's geography; named here too for the
# land modules that read it from this module.
from yunong.core.geometry import CHONGQING_BOUNDS as CHONGQING_BOUNDS
from yunong.core.geometry import STORAGE_EPSG
from yunong.core.geometry import Geometry as Geometry
from yunong.core.geometry import inside_chongqing as inside_chongqing

SQUARE_METRES_PER_MU = Decimal(10000) / Decimal(15)
"""1 亩 = 10000/15 m² ≈ 666.67 m²."""

# Gauss–Krüger zones of CGCS2000 without the zone number in front of the easting, by their
# central meridian; these are the CRSs areas are measured in.
ZONES_BY_MERIDIAN = {102: 4543, 105: 4544, 108: 4545, 111: 4546, 114: 4547}


def to_mu(square_metres: float | Decimal) -> Decimal:
    return (Decimal(str(square_metres)) / SQUARE_METRES_PER_MU).quantize(Decimal("0.01"))


def encode(geometries: np.ndarray, dialect_name: str) -> list[bytes]:
    """WKB for many geometries at once, as :class:`Geometry` would bind them one by one."""
    if dialect_name == "postgresql":
        return list(shapely.to_wkb(shapely.set_srid(geometries, STORAGE_EPSG), include_srid=True))
    return list(shapely.to_wkb(geometries))


def wkb_column(column: Any, dialect_name: str) -> Any:
    """``column`` selected as plain WKB, for decoding many rows at once with :func:`decode`."""
    if dialect_name == "postgresql":
        return func.ST_AsBinary(column)
    return type_coerce(column, LargeBinary)


def decode(values: list[bytes]) -> np.ndarray:
    """Shapely geometries from many WKB values in one call."""
    array = np.empty(len(values), dtype=object)
    array[:] = [bytes(value) for value in values]
    return shapely.from_wkb(array)


def zone_epsg(longitude: float) -> int:
    """The Gauss–Krüger zone (EPSG code, no zone prefix) whose central meridian is nearest."""
    meridian = int(round(longitude / 3) * 3)
    return ZONES_BY_MERIDIAN.get(meridian, ZONES_BY_MERIDIAN[108])


def areas_m2(geometries: np.ndarray, crs: CRS) -> np.ndarray:
    """Planar area of each geometry on a projected CRS, in square metres.

    Geometries already on a projected CRS in metres are measured as they are;
    geographic ones are projected to the Gauss–Krüger zone of their centre.
    """
    result = np.zeros(len(geometries))
    if len(geometries) == 0:
        return result
    if crs.is_projected:
        return np.asarray(shapely.area(geometries), dtype=float)
    longitudes = shapely.get_x(shapely.centroid(geometries))
    zones = np.array([zone_epsg(lon) for lon in np.nan_to_num(longitudes, nan=108.0)])
    for epsg in np.unique(zones):
        mask = zones == epsg
        transformer = Transformer.from_crs(crs, CRS.from_epsg(int(epsg)), always_xy=True)
        projected = shapely.transform(geometries[mask], transformer.transform, interleaved=False)
        result[mask] = shapely.area(projected)
    return result


def to_storage(geometries: np.ndarray, crs: CRS) -> np.ndarray:
    """The geometries in EPSG:4490 (longitude, latitude)."""
    target = CRS.from_epsg(STORAGE_EPSG)
    if crs == target or len(geometries) == 0:
        return geometries
    transformer = Transformer.from_crs(crs, target, always_xy=True)
    return shapely.transform(geometries, transformer.transform, interleaved=False)
