"""农事服务 tables: service providers and their machines (建档立卡), orders and the parcels they
cover, the day's dispatch, work done as dated events on parcels (keyed by 全农码), drying
centres and their bookings, and trusteeship (生产托管) contracts.

Areas are kept in 亩 as service centres count them (two decimals), positions as CGCS2000
longitude and latitude.
"""

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
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from yunong.store.base import Base, utcnow

Mu = Numeric(12, 2)
"""An area in 亩, to the hundredth."""


class Provider(Base):
    """A service organisation (合作社, 公司, 供销 entity) or an individual who serves farmers."""

    __tablename__ = "services_provider"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    """合作社, 公司, 供销, 个人."""
    credential: Mapped[str | None] = mapped_column(String(18), unique=True)
    """统一社会信用代码 of an organisation or the resident ID of an individual."""
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    services: Mapped[str] = mapped_column(String(200), default="")
    """The operations it offers, 、-separated."""
    prices: Mapped[str] = mapped_column(String(200), default="")


class Machine(Base):
    """A registered machine: its type (which operations it does), capacity and position."""

    __tablename__ = "services_machine"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    """机具编号."""
    kind: Mapped[str] = mapped_column(String(16))
    """A key of the pack's ``services.machine_types``."""
    capacity_mu: Mapped[Decimal] = mapped_column(Mu)
    """作业能力 in 亩 per day."""
    longitude: Mapped[float] = mapped_column(Float)
    latitude: Mapped[float] = mapped_column(Float)
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("services_provider.id"))
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    operator: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(12), default="available")
    """available or repair (not dispatched)."""
    located_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Order(Base):
    """A farmer's or operator's order for one operation over an area, in a work window."""

    __tablename__ = "services_order"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    """订单编号."""
    operation: Mapped[str] = mapped_column(String(8))
    area_mu: Mapped[Decimal] = mapped_column(Mu)
    earliest: Mapped[date] = mapped_column(Date, index=True)
    latest: Mapped[date] = mapped_column(Date)
    longitude: Mapped[float] = mapped_column(Float)
    latitude: Mapped[float] = mapped_column(Float)
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    land_type: Mapped[str] = mapped_column(String(20), default="")
    price_yuan_per_mu: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    requester: Mapped[str] = mapped_column(String(64), default="")
    """Who placed it: a user name, or the name a cadre entered it for."""
    holder_code: Mapped[str | None] = mapped_column(String(20), index=True)
    """全农码 of the household or operator whose parcels it covers."""
    status: Mapped[str] = mapped_column(String(12), default="open")
    """open → dispatched → confirmed → done."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OrderParcel(Base):
    """A parcel an order covers, by its 全农码."""

    __tablename__ = "services_order_parcel"

    order_id: Mapped[int] = mapped_column(ForeignKey("services_order.id"), primary_key=True)
    parcel_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    area_mu: Mapped[Decimal] = mapped_column(Mu)


class Assignment(Base):
    """An order given to a machine for a day by the dispatch; confirmed by the dispatcher."""

    __tablename__ = "services_assignment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("services_order.id"), unique=True)
    machine_id: Mapped[int] = mapped_column(ForeignKey("services_machine.id"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    distance_km: Mapped[float] = mapped_column(Float)
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)


class WorkRecord(Base):
    """Work done on a parcel: a dated event (what was done to this field and by whom)."""

    __tablename__ = "services_work_record"
    __table_args__ = (UniqueConstraint("order_id", "parcel_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parcel_code: Mapped[str] = mapped_column(String(20), index=True)
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("services_order.id"), index=True)
    operation: Mapped[str] = mapped_column(String(8))
    done_on: Mapped[date] = mapped_column(Date)
    area_mu: Mapped[Decimal] = mapped_column(Mu)
    machine_code: Mapped[str] = mapped_column(String(40))
    recorded_by: Mapped[str] = mapped_column(String(64))


class DryingCentre(Base):
    """A grain drying centre and its capacity in tonnes a day."""

    __tablename__ = "services_drying_centre"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    longitude: Mapped[float] = mapped_column(Float)
    latitude: Mapped[float] = mapped_column(Float)
    tonnes_per_day: Mapped[Decimal] = mapped_column(Numeric(10, 2))


class DryingBooking(Base):
    """Tonnes to dry at a centre on a day: booked within capacity, else on the waiting list."""

    __tablename__ = "services_drying_booking"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("services_drying_centre.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    tonnes: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    requester: Mapped[str] = mapped_column(String(64))
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    status: Mapped[str] = mapped_column(String(8))
    """booked or waiting."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Trusteeship(Base):
    """A production trusteeship (生产托管) contract: full or by menu, with its profit model."""

    __tablename__ = "services_trusteeship"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    """A key of the pack's ``services.trusteeship.kinds`` (full, menu)."""
    profit_model: Mapped[str] = mapped_column(String(24))
    farmer: Mapped[str] = mapped_column(String(64))
    holder_code: Mapped[str | None] = mapped_column(String(20), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("services_provider.id"))
    year: Mapped[int] = mapped_column(Integer)
    crop: Mapped[str] = mapped_column(String(16))
    area_mu: Mapped[Decimal] = mapped_column(Mu)
    fee_yuan_per_mu: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    guaranteed_kg_per_mu: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    dividend_share: Mapped[Decimal] = mapped_column(Numeric(5, 4), default=Decimal(0))
    """The farmer's share of the yield above the guarantee (保底产量加分红)."""
    price_yuan_per_kg: Mapped[Decimal] = mapped_column(Numeric(10, 4))
    recorded_kg: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    """The harvest recorded for the contract's parcels; None before harvest."""


class TrusteeshipParcel(Base):
    __tablename__ = "services_trusteeship_parcel"

    contract_id: Mapped[int] = mapped_column(
        ForeignKey("services_trusteeship.id"), primary_key=True
    )
    parcel_code: Mapped[str] = mapped_column(String(20), primary_key=True)
