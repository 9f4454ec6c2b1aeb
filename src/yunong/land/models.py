"""Land tables: parcels of the three kinds, protection zones and the 以补定占 ledger."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from yunong.land.geometry import Geometry
from yunong.store.base import Base, utcnow

Area = Numeric(14, 2)
"""Square metres, to the hundredth."""


class Parcel(Base):
    """One land unit (地块): cultivated land, a homestead or collective construction land."""

    __tablename__ = "land_parcel"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    source_key: Mapped[str] = mapped_column(String(64), unique=True)
    """Identity in its source layer: ``QNM:{code}``, ``DLTB:{ZLDWDM}:{TBBH}``, ``DKBM:{DKBM}``."""
    contract_plot_code: Mapped[str | None] = mapped_column(String(19), index=True)
    real_estate_unit_code: Mapped[str | None] = mapped_column(String(28))
    village_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    land_class_code: Mapped[str] = mapped_column(String(8))
    land_class: Mapped[str] = mapped_column(String(20))
    area_m2: Mapped[Decimal] = mapped_column(Area)
    """Measured on the Gauss–Krüger zone of the parcel."""
    reported_area_m2: Mapped[Decimal | None] = mapped_column(Area)
    """The area the source layer states (TBMJ, SCMJ), kept as given."""
    slope_grade: Mapped[int | None] = mapped_column(SmallInteger)
    terrace: Mapped[str | None] = mapped_column(String(2))
    permanent_farmland: Mapped[bool] = mapped_column(Boolean, default=False)
    high_standard: Mapped[bool] = mapped_column(Boolean, default=False)
    high_standard_project: Mapped[str | None] = mapped_column(String(60))
    """全农码 of the accepted high-standard farmland project the parcel lies in."""
    high_standard_year: Mapped[int | None] = mapped_column(SmallInteger)
    """建设年度 of that project; the flag, project and year are set only by its acceptance."""
    current_use: Mapped[str | None] = mapped_column(String(16))
    use_year: Mapped[int | None] = mapped_column(SmallInteger)
    abandoned_year: Mapped[int | None] = mapped_column(SmallInteger)
    """The data year in which the parcel was first found abandoned, kept after re-cultivation."""
    recultivated_year: Mapped[int | None] = mapped_column(SmallInteger)
    holder_code: Mapped[str | None] = mapped_column(String(20), index=True)
    """全农码 of the household or organisation holding the parcel."""
    contractor_code: Mapped[str | None] = mapped_column(String(18))
    owner_code: Mapped[str | None] = mapped_column(String(19))
    geom: Mapped[object] = mapped_column(Geometry)
    min_x: Mapped[float | None] = mapped_column(Float)
    """Bounding box in degrees, written with the geometry; the spatial index reads it."""
    min_y: Mapped[float | None] = mapped_column(Float)
    max_x: Mapped[float | None] = mapped_column(Float)
    max_y: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Zone(Base):
    """A protection zone: permanent basic farmland, an ecological red line, a project area."""

    __tablename__ = "land_zone"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    source_key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(24), index=True)
    name: Mapped[str] = mapped_column(String(80), default="")
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    area_m2: Mapped[Decimal] = mapped_column(Area)
    geom: Mapped[object] = mapped_column(Geometry)
    min_x: Mapped[float | None] = mapped_column(Float)
    """Bounding box in degrees, written with the geometry; the spatial index reads it."""
    min_y: Mapped[float | None] = mapped_column(Float)
    max_x: Mapped[float | None] = mapped_column(Float)
    max_y: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LedgerEntry(Base):
    """One 以补定占 record: an approved occupation or an accepted supplement of cultivated land."""

    __tablename__ = "land_ledger_entry"
    __table_args__ = (UniqueConstraint("region_code", "kind", "document_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    """``occupation`` (非农建设占用) or ``supplement`` (补充耕地)."""
    source: Mapped[str | None] = mapped_column(String(16))
    """For supplements: ``new`` (新增) or ``restored`` (恢复)."""
    document_number: Mapped[str] = mapped_column(String(60))
    """批准文号 of an occupation, 验收文号 of a supplement."""
    decided_on: Mapped[date] = mapped_column(Date)
    year: Mapped[int] = mapped_column(SmallInteger, index=True)
    area_m2: Mapped[Decimal] = mapped_column(Area)
    purpose: Mapped[str] = mapped_column(String(100), default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LedgerParcel(Base):
    """A parcel of a ledger record; a parcel is occupied at most once and supplied at most once."""

    __tablename__ = "land_ledger_parcel"
    __table_args__ = (UniqueConstraint("kind", "parcel_id"),)

    entry_id: Mapped[int] = mapped_column(ForeignKey("land_ledger_entry.id"), primary_key=True)
    parcel_id: Mapped[int] = mapped_column(ForeignKey("land_parcel.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))


class VillageSummary(Base):
    """The land figures of one village and its centre, as the analysis job last computed them.

    Areas are in square metres. The zoomed-out map draws villages at their centre and
    the statistics beside the map add these rows up.
    """

    __tablename__ = "land_village_summary"

    village_code: Mapped[str] = mapped_column(
        String(12), ForeignKey("region.code"), primary_key=True
    )
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    min_x: Mapped[float] = mapped_column(Float)
    min_y: Mapped[float] = mapped_column(Float)
    max_x: Mapped[float] = mapped_column(Float)
    max_y: Mapped[float] = mapped_column(Float)
    parcels: Mapped[int] = mapped_column(Integer)
    cultivated: Mapped[float] = mapped_column(Float)
    homestead: Mapped[float] = mapped_column(Float)
    construction: Mapped[float] = mapped_column(Float)
    permanent_farmland: Mapped[float] = mapped_column(Float)
    permanent_high_standard: Mapped[float] = mapped_column(Float)
    high_standard: Mapped[float] = mapped_column(Float)
    abandoned: Mapped[float] = mapped_column(Float)
    to_recultivate: Mapped[float] = mapped_column(Float)
    recultivated: Mapped[float] = mapped_column(Float)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
