"""Region tables: every division from the city down to villages, and where each lies."""

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from yunong.core.geometry import Geometry
from yunong.store.base import Base, utcnow


class Region(Base):
    __tablename__ = "region"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    level: Mapped[int] = mapped_column(SmallInteger, index=True)
    parent_code: Mapped[str | None] = mapped_column(
        String(12), ForeignKey("region.code"), index=True
    )
    urban_rural_class: Mapped[str | None] = mapped_column(String(3))


class RegionGeography(Base):
    """Where a region lies: its centre point and, once a boundary layer is imported, its
    boundary, in CGCS2000 degrees (EPSG:4490).

    A region has a row when a boundary layer or the demo gave it one; district seats ship
    with the package instead (:mod:`yunong.core.regions.geography`).
    """

    __tablename__ = "region_geography"

    region_code: Mapped[str] = mapped_column(
        String(12), ForeignKey("region.code"), primary_key=True
    )
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    boundary: Mapped[object | None] = mapped_column(Geometry)
    source: Mapped[str] = mapped_column(String(80))
    """The file the boundary came from, or ``演示`` for the demo's synthetic ones."""
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
