"""长江治渔 tables: ban zones, patrol teams and their tracks, public tips, illegal-fishing
cases, and the retired fishers with their yearly follow-up visits."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
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

Money = Numeric(14, 2)


class BanZone(Base):
    """A water under the fishing ban (禁捕水域): one district's stretch of the main stream or a
    tributary, or an aquatic reserve, with its legal basis and period."""

    __tablename__ = "fishery_zone"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    """水域编号, the key of the zone file."""
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    """``main_stream`` (长江干流), ``tributary`` (支流) or ``reserve`` (水生生物保护区)."""
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    """The district (12 digits) whose stretch it is."""
    basis: Mapped[str] = mapped_column(String(200), default="")
    """禁捕依据 (the notice or regulation)."""
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    area_m2: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    geom: Mapped[object] = mapped_column(Geometry)
    min_x: Mapped[float] = mapped_column(Float)
    min_y: Mapped[float] = mapped_column(Float)
    max_x: Mapped[float] = mapped_column(Float)
    max_y: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Team(Base):
    """A patrol team (护渔队) of a district, a town or a village."""

    __tablename__ = "fishery_team"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TeamMember(Base):
    __tablename__ = "fishery_team_member"
    __table_args__ = (UniqueConstraint("team_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("fishery_team.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(String(20), default="")
    role: Mapped[str] = mapped_column(String(8), default="member", server_default="member")
    """``leader`` (队长) or ``member`` (队员)."""
    starts_on: Mapped[date | None] = mapped_column(Date)
    """The day the member joined the team."""


class Patrol(Base):
    """One patrol with its GPS track, recorded on a phone or imported from a GPX file."""

    __tablename__ = "fishery_patrol"
    __table_args__ = (UniqueConstraint("team_id", "digest"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("fishery_team.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(12), index=True)
    """The team's region, so the patrol is read in its scope."""
    patrolled_on: Mapped[date] = mapped_column(Date, index=True)
    source: Mapped[str] = mapped_column(String(8))
    """``gpx`` or ``phone``."""
    digest: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the track's points, so the same track twice is one patrol."""
    points: Mapped[int] = mapped_column(Integer)
    inside_points: Mapped[int] = mapped_column(Integer)
    length_m: Mapped[float] = mapped_column(Float)
    geom: Mapped[object | None] = mapped_column(Geometry, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    """What the patrol found (its finding), if anything."""
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)
    """A photo of the finding, re-encoded as JPEG without metadata."""
    photo_type: Mapped[str] = mapped_column(String(16), default="")
    recorded_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PatrolZone(Base):
    """The track points of one patrol inside one ban zone: the coverage of that zone."""

    __tablename__ = "fishery_patrol_zone"
    __table_args__ = (UniqueConstraint("patrol_id", "zone_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patrol_id: Mapped[int] = mapped_column(ForeignKey("fishery_patrol.id"), index=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("fishery_zone.id"), index=True)
    points: Mapped[int] = mapped_column(Integer)


class Tip(Base):
    """A public tip-off (群众举报) about illegal fishing, followed by its reference number."""

    __tablename__ = "fishery_tip"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    """The district the tip is about; its team answers it."""
    team_id: Mapped[int | None] = mapped_column(ForeignKey("fishery_team.id"))
    text: Mapped[str] = mapped_column(Text)
    place: Mapped[str] = mapped_column(String(100), default="")
    longitude: Mapped[float | None] = mapped_column(Float)
    latitude: Mapped[float | None] = mapped_column(Float)
    phone: Mapped[str] = mapped_column(String(20), default="")
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)
    photo_type: Mapped[str] = mapped_column(String(16), default="")
    status: Mapped[str] = mapped_column(String(12), default="new")
    """``new``, ``case`` (became a case) or ``dismissed`` (checked, nothing found)."""
    reply: Mapped[str] = mapped_column(String(300), default="")
    """What the reporter reads when following the tip."""
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Case(Base):
    """An illegal-fishing case (非法捕捞案件) from finding to closure."""

    __tablename__ = "fishery_case"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    tip_id: Mapped[int | None] = mapped_column(ForeignKey("fishery_tip.id"), unique=True)
    patrol_id: Mapped[int | None] = mapped_column(ForeignKey("fishery_patrol.id"))
    found_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(100), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    step: Mapped[str] = mapped_column(String(12), default="found")
    """``found`` → ``seized`` → ``handed_over`` → ``closed``."""
    gear: Mapped[str] = mapped_column(String(300), default="")
    """收缴渔具 (kind and count, as written on the seizure list)."""
    handed_to: Mapped[str] = mapped_column(String(100), default="")
    """The law-enforcement body the case went to (移交)."""
    result: Mapped[str] = mapped_column(String(300), default="")
    closed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CaseStep(Base):
    """One step of a case taken: by whom, in which role, when."""

    __tablename__ = "fishery_case_step"
    __table_args__ = (UniqueConstraint("case_id", "step"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("fishery_case.id"), index=True)
    step: Mapped[str] = mapped_column(String(12))
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(String(300), default="")
    taken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RetiredFisher(Base):
    """A retired fisher (退捕渔民), linked by 全农码 to the person and household registry."""

    __tablename__ = "fishery_fisher"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("monitor_person.id"), unique=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("monitor_household.id"), index=True)
    village_code: Mapped[str] = mapped_column(String(12), index=True)
    retired_on: Mapped[date] = mapped_column(Date)
    boat_number: Mapped[str] = mapped_column(String(40), default="")
    boat_dismantled_on: Mapped[date | None] = mapped_column(Date)
    compensation: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    """Compensation paid so far (yuan)."""
    insurance: Mapped[str] = mapped_column(String(16), default="none")
    """``none``, ``resident`` (城乡居民养老保险) or ``employee`` (职工养老保险)."""
    employment: Mapped[str] = mapped_column(String(16), default="none")
    """转产就业: ``none``, ``job``, ``training``, ``business`` (own business), ``retired``
    (past working age)."""
    employment_detail: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FisherVisit(Base):
    """A grid worker's yearly follow-up visit to a retired fisher."""

    __tablename__ = "fishery_visit"
    __table_args__ = (UniqueConstraint("fisher_id", "visited_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fisher_id: Mapped[int] = mapped_column(ForeignKey("fishery_fisher.id"), index=True)
    visited_on: Mapped[date] = mapped_column(Date)
    year: Mapped[int] = mapped_column(SmallInteger, index=True)
    employment: Mapped[str] = mapped_column(String(16))
    """转产就业 as found on the visit; it updates the fisher's record."""
    insured: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(300), default="")
    visitor: Mapped[str] = mapped_column(String(64))
