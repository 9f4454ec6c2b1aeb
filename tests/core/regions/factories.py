"""Shared geography for tests: centre points and boundaries of regions."""

import shapely
from sqlalchemy.orm import Session

from yunong.core.regions.models import RegionGeography
from yunong.store.base import utcnow


def add_centre(
    session: Session,
    code: str,
    lon: float,
    lat: float,
    boundary: shapely.Geometry | None = None,
    source: str = "测试",
) -> None:
    """Put a region on the map at (lon, lat), with a boundary when given."""
    session.add(
        RegionGeography(
            region_code=code,
            lon=lon,
            lat=lat,
            boundary=boundary,
            source=source,
            updated_at=utcnow(),
        )
    )
    session.flush()
