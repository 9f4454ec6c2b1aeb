"""基层治理 tables: village affairs reported and routed by 三事分流, the cadres stationed in
villages (第一书记、驻村工作队、乡村振兴指导员), the grids within villages with their
households, and the points for good conduct (积分制) with their ledger."""

from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from yunong.store.base import Base, utcnow


class Matter(Base):
    """A matter reported by a resident or a grid worker, classed and routed by 三事分流."""

    __tablename__ = "governance_matter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    village_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    """The village the matter is about."""
    kind: Mapped[str] = mapped_column(String(8))
    """``big`` (大事: the town command centre's sector), ``small`` (小事: the village and its
    groups) or ``private`` (私事: the household's own, answered with guidance); ``pending``
    while a matter reported on the public page waits for the village to class it."""
    handled_by: Mapped[str] = mapped_column(String(12))
    """The region code of whoever handles it: the town for a 大事, the village otherwise."""
    sector: Mapped[str] = mapped_column(String(12), default="")
    """The town command centre's sector of a 大事 (党的建设、经济发展、民生服务、平安法治)."""
    source: Mapped[str] = mapped_column(String(8))
    """``resident`` or ``grid`` (a grid worker)."""
    reporter: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    reported_on: Mapped[date] = mapped_column(Date, index=True)
    due_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    feedback: Mapped[str] = mapped_column(String(300), default="")
    """What the reporter is told: the result, or for a 私事 the guidance."""
    reference: Mapped[str | None] = mapped_column(String(20), index=True, unique=True)
    """For a matter reported on the public page: the reference its reporter follows it by."""
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StationedCadre(Base):
    """A cadre stationed in a village: who, from which unit, from when to when."""

    __tablename__ = "governance_cadre"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    village_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(16))
    """``first_secretary`` (第一书记), ``work_team`` (驻村工作队员) or ``instructor``
    (乡村振兴指导员)."""
    unit: Mapped[str] = mapped_column(String(100))
    """The unit that sends them (派出单位)."""
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)


class Grid(Base):
    """A grid (网格): an area within a village, with the grid worker who looks after it."""

    __tablename__ = "governance_grid"
    __table_args__ = (UniqueConstraint("village_code", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    village_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    worker: Mapped[str] = mapped_column(String(64))
    """The user name of its grid worker, a ``grid_worker`` account of the village."""
    boundary: Mapped[str | None] = mapped_column(Text)
    """The area as a GeoJSON polygon (CGCS2000 degrees), when drawn."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class GridHousehold(Base):
    """A household in a grid: at most one grid each; moving it records who moved it when."""

    __tablename__ = "governance_grid_household"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("governance_grid.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("monitor_household.id"), unique=True)
    village_code: Mapped[str] = mapped_column(String(12), index=True)
    assigned_by: Mapped[str] = mapped_column(String(64))
    assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PointsEntry(Base):
    """Points recorded for a household with evidence, waiting for review, reviewed, and
    published with the approved entries of its month."""

    __tablename__ = "governance_points_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    village_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("monitor_household.id"), index=True)
    item_key: Mapped[str] = mapped_column(String(40))
    item_name: Mapped[str] = mapped_column(String(60))
    points: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(300), default="")
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)
    recorded_on: Mapped[date] = mapped_column(Date, index=True)
    recorded_by: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(10), default="pending")
    """``pending`` → ``approved`` or ``refused`` (with a reason) → ``published``."""
    reviewed_by: Mapped[str] = mapped_column(String(64), default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PointsLedger(Base):
    """The points ledger (积分台账), append-only: published points earned, redemptions at the
    village points shop, and reversing entries that correct either. A household's balance is
    the sum of its rows."""

    __tablename__ = "governance_points_ledger"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    village_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("monitor_household.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    """``earned`` (a published entry), ``redeemed`` (the points shop) or ``reversal``."""
    points: Mapped[int] = mapped_column(Integer)
    """Signed: earned points positive, redeemed points negative, a reversal the opposite of
    the row it reverses."""
    item: Mapped[str] = mapped_column(String(60))
    """The conduct item, or the goods taken at the shop."""
    entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("governance_points_entry.id"), unique=True
    )
    reverses_id: Mapped[int | None] = mapped_column(
        ForeignKey("governance_points_ledger.id"), unique=True
    )
    month: Mapped[str] = mapped_column(String(7), default="")
    """For earned points: the month published (YYYY-MM)."""
    booked_on: Mapped[date] = mapped_column(Date)
    booked_by: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
