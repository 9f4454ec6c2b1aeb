"""Monitoring tables: households, persons, their yearly figures, signals and alerts."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    SmallInteger,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from yunong.store.base import Base, utcnow

Money = Numeric(14, 2)


class Household(Base):
    """A rural household (农户), numbered within its village as the village's books number it."""

    __tablename__ = "monitor_household"
    __table_args__ = (UniqueConstraint("village_code", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    village_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    number: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Person(Base):
    __tablename__ = "monitor_person"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("monitor_household.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    birth_date: Mapped[date] = mapped_column(Date)
    relation: Mapped[str] = mapped_column(String(16))
    phone: Mapped[str | None] = mapped_column(String(11))
    left_year: Mapped[int | None] = mapped_column(SmallInteger)
    """The year the person stopped being listed in the household's workbook."""


class HouseholdYear(Base):
    """A household's figures for one year; earlier years are kept."""

    __tablename__ = "monitor_household_year"

    household_id: Mapped[int] = mapped_column(ForeignKey("monitor_household.id"), primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True, index=True)
    members: Mapped[int] = mapped_column(SmallInteger)
    net_income: Mapped[Decimal | None] = mapped_column(Money)
    per_capita_income: Mapped[Decimal | None] = mapped_column(Money)
    disaster: Mapped[str | None] = mapped_column(String(8))
    """受灾情况: 轻微, 一般 or 严重; empty when the household was not hit."""


class PersonYear(Base):
    __tablename__ = "monitor_person_year"

    person_id: Mapped[int] = mapped_column(ForeignKey("monitor_person.id"), primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True, index=True)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    student: Mapped[bool] = mapped_column(Boolean, default=False)
    migrant_worker: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Works away from home (外出务工) this year."""
    medical_out_of_pocket: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))


class Signal(Base):
    """One dated fact from a department feed (or a visit, or a self-report) about a household."""

    __tablename__ = "monitor_signal"
    __table_args__ = (UniqueConstraint("source", "person_id", "signal_date", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("monitor_household.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("monitor_person.id"))
    source: Mapped[str] = mapped_column(String(24))
    kind: Mapped[str] = mapped_column(String(24))
    signal_date: Mapped[date] = mapped_column(Date)
    year: Mapped[int] = mapped_column(SmallInteger, index=True)
    amount: Mapped[Decimal | None] = mapped_column(Money)
    days: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(String(200), default="")


class Alert(Base):
    """One risk of one household in one year, however many rules and sources point at it."""

    __tablename__ = "monitor_alert"
    __table_args__ = (UniqueConstraint("household_id", "year", "risk_type"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("monitor_household.id"), index=True)
    village_code: Mapped[str] = mapped_column(String(12), index=True)
    year: Mapped[int] = mapped_column(SmallInteger, index=True)
    risk_type: Mapped[str] = mapped_column(String(16))
    rules: Mapped[str] = mapped_column(String(300))
    sources: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="open")
    raised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    screened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
