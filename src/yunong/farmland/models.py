"""高标准农田 tables: projects with their steps, parties, content and funding, the parcels
inside each boundary, and the maintenance (管护) duties and reports after acceptance."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from yunong.core.geometry import Geometry
from yunong.store.base import Base, utcnow

Area = Numeric(14, 2)
Money = Numeric(16, 2)


class Project(Base):
    """One high-standard farmland construction project (农田建设项目) of a district."""

    __tablename__ = "farmland_project"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    """项目编号, as the district numbers it; the key of the boundary file."""
    code: Mapped[str | None] = mapped_column(String(20), unique=True)
    """全农码 (事)."""
    name: Mapped[str] = mapped_column(String(100))
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    """The district (12 digits) that keeps the project in its library."""
    kind: Mapped[str] = mapped_column(String(16))
    """``new`` (新建) or ``upgrade`` (改造提升)."""
    year: Mapped[int] = mapped_column(SmallInteger, index=True)
    """建设年度."""
    scale_mu: Mapped[Decimal] = mapped_column(Area)
    """建设规模 (亩) as planned."""
    step: Mapped[str | None] = mapped_column(String(16))
    """The last step taken; None for a project only entered in the library."""
    cultivated_m2: Mapped[Decimal | None] = mapped_column(Area)
    """Cultivated land inside the boundary, from the overlay with the parcels."""
    boundary_m2: Mapped[Decimal | None] = mapped_column(Area)
    geom: Mapped[object | None] = mapped_column(Geometry, nullable=True)
    min_x: Mapped[float | None] = mapped_column(Float)
    min_y: Mapped[float | None] = mapped_column(Float)
    max_x: Mapped[float | None] = mapped_column(Float)
    max_y: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ProjectStep(Base):
    """One step of the procedure taken: when, with which document, approved by whom."""

    __tablename__ = "farmland_step"
    __table_args__ = (UniqueConstraint("project_id", "step"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("farmland_project.id"), index=True)
    step: Mapped[str] = mapped_column(String(16))
    done_on: Mapped[date] = mapped_column(Date)
    document: Mapped[str] = mapped_column(String(100), default="")
    """文号 or title of the step's document."""
    approved_by: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ProjectParty(Base):
    """A party of the four systems: 项目法人, 招标代理/中标单位, 施工单位 (合同), 监理单位."""

    __tablename__ = "farmland_party"
    __table_args__ = (UniqueConstraint("project_id", "role", "credit_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("farmland_project.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100))
    credit_code: Mapped[str] = mapped_column(String(18))
    """统一社会信用代码."""


class ProjectContent(Base):
    """A GB/T 30600-2022 construction content category and its quantity."""

    __tablename__ = "farmland_content"
    __table_args__ = (UniqueConstraint("project_id", "category"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("farmland_project.id"), index=True)
    category: Mapped[str] = mapped_column(String(24))
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    unit: Mapped[str] = mapped_column(String(8))


class ProjectFunding(Base):
    """Investment from one source (中央财政, 市级财政, 区县财政, 地方政府债券, 金融与社会资本)."""

    __tablename__ = "farmland_funding"
    __table_args__ = (UniqueConstraint("project_id", "source"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("farmland_project.id"), index=True)
    source: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(Money)
    """Yuan."""


class ProjectParcel(Base):
    """A cultivated parcel that the project's boundary overlaps, with the overlap."""

    __tablename__ = "farmland_project_parcel"

    project_id: Mapped[int] = mapped_column(ForeignKey("farmland_project.id"), primary_key=True)
    parcel_id: Mapped[int] = mapped_column(
        ForeignKey("land_parcel.id"), primary_key=True, index=True
    )
    overlap_m2: Mapped[Decimal] = mapped_column(Area)
    parcel_m2: Mapped[Decimal] = mapped_column(Area)


class Duty(Base):
    """One line of the maintenance responsibility list (管护责任清单) of an accepted project."""

    __tablename__ = "farmland_duty"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("farmland_project.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    """The village or town whose people take the duty; their 待办 holds its reports."""
    party_kind: Mapped[str] = mapped_column(String(16))
    """``collective``, ``operator`` or ``town``."""
    party_name: Mapped[str] = mapped_column(String(100))
    facilities: Mapped[str] = mapped_column(Text, default="")
    """The facilities (with their 全农码) the party keeps up."""
    until: Mapped[date] = mapped_column(Date)


class Photo(Base):
    """A photo of an inspection, a damage or its repair: a JPEG without the file's metadata."""

    __tablename__ = "farmland_photo"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Report(Base):
    """An inspection (巡查) or a damage report (损毁报告) from a phone, and how it was closed."""

    __tablename__ = "farmland_report"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("farmland_project.id"), index=True)
    duty_id: Mapped[int | None] = mapped_column(ForeignKey("farmland_duty.id"))
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    """``inspection`` or ``damage``."""
    finding: Mapped[str] = mapped_column(Text)
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("farmland_photo.id"))
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    reported_by: Mapped[str] = mapped_column(String(64))
    reported_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_by: Mapped[str | None] = mapped_column(String(64))
    closing_photo_id: Mapped[int | None] = mapped_column(ForeignKey("farmland_photo.id"))
    closing_note: Mapped[str] = mapped_column(Text, default="")
