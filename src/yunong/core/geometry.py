"""Geometry as the platform stores and receives it, shared by core and the applications.

Geometry is kept in CGCS2000 geographic coordinates (EPSG:4490, x = longitude):
as a PostGIS ``geometry(Geometry, 4490)`` column on PostgreSQL and as WKB in a
BLOB on SQLite. Vector files come from counties as they are; the one thing every
reader needs to know about them is the encoding of a Shapefile's attributes.
"""

import codecs
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from sqlalchemy import LargeBinary
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine, UserDefinedType

STORAGE_EPSG = 4490
CHONGQING_BOUNDS = (105.28, 28.16, 110.20, 32.21)
"""Chongqing's extent in degrees (west, south, east, north), a little more than its border."""

DBF_SAMPLE = 4 * 1024 * 1024
# Language driver ids in a .dbf header that name a Chinese code page (ESRI's table).
CHINESE_LDIDS = {0x4D, 0x7A}


class PostgisGeometry(UserDefinedType[Any]):
    cache_ok = True

    def get_col_spec(self, **_kw: Any) -> str:
        return f"geometry(Geometry, {STORAGE_EPSG})"


class Geometry(TypeDecorator[shapely.Geometry]):
    """A shapely geometry in EPSG:4490: PostGIS on PostgreSQL, WKB in a BLOB elsewhere.

    PostgreSQL receives extended WKB carrying the SRID, which PostGIS casts to
    ``geometry`` implicitly, so plain driver-level bulk inserts work too.
    """

    impl = LargeBinary
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(PostgisGeometry())
        return dialect.type_descriptor(LargeBinary())

    def process_bind_param(self, value: Any, dialect: Dialect) -> bytes | None:
        """A shapely geometry, or bytes already encoded for this dialect."""
        if value is None or isinstance(value, bytes):
            return value
        if dialect.name == "postgresql":
            return bytes(shapely.to_wkb(shapely.set_srid(value, STORAGE_EPSG), include_srid=True))
        return bytes(shapely.to_wkb(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> shapely.Geometry | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = bytes.fromhex(value)
        return shapely.from_wkb(bytes(value))


def inside_chongqing(geometries: np.ndarray) -> np.ndarray:
    """True where a geometry (EPSG:4490) lies wholly within Chongqing's extent."""
    bounds = shapely.bounds(geometries)
    west, south, east, north = CHONGQING_BOUNDS
    return (
        (bounds[:, 0] >= west)
        & (bounds[:, 1] >= south)
        & (bounds[:, 2] <= east)
        & (bounds[:, 3] <= north)
    )


def shapefile_encoding(path: Path) -> str | None:
    """GBK for a shapefile whose .dbf has Chinese text that is not UTF-8 and no .cpg; else
    None, so GDAL follows the .cpg or the .dbf header."""
    if any(path.with_suffix(end).exists() for end in (".cpg", ".CPG")):
        return None
    dbf = next(
        (path.with_suffix(end) for end in (".dbf", ".DBF") if path.with_suffix(end).exists()), None
    )
    if dbf is None:
        return None
    with dbf.open("rb") as handle:
        sample = handle.read(DBF_SAMPLE)
    if len(sample) > 29 and sample[29] in CHINESE_LDIDS:
        return "GBK"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "GBK"
    return None
