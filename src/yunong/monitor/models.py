"""Monitoring tables: households, persons, their yearly figures, signals and alerts."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
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
    # Looked up by village through the unique (village_code, number) index.
    village_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"))
    number: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Person(Base):
    __tablename__ = "monitor_person"
    # An index rather than a constraint, so that a bulk load can build it after the rows.
    __table_args__ = (Index("uq_monitor_person_id_number", "id_number", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("monitor_household.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    id_number: Mapped[str] = mapped_column(String(18))
    birth_date: Mapped[date] = mapped_column(Date)
    relation: Mapped[str] = mapped_column(String(16))
    phone: Mapped[str | None] = mapped_column(String(11))
    left_year: Mapped[int | None] = mapped_column(SmallInteger)
    """The year the person stopped being listed in the household's workbook."""


class HouseholdYear(Base):
    """A household's figures for one year; earlier years are kept."""

    __tablename__ = "monitor_household_year"
    # Small rows always found by their key: SQLite keeps them in the key's b-tree alone.
    __table_args__ = {"sqlite_with_rowid": False}

    household_id: Mapped[int] = mapped_column(ForeignKey("monitor_household.id"), primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    members: Mapped[int] = mapped_column(SmallInteger)
    net_income: Mapped[Decimal | None] = mapped_column(Money)
    per_capita_income: Mapped[Decimal | None] = mapped_column(Money)
    disaster: Mapped[str | None] = mapped_column(String(8))
    """受灾情况: 轻微, 一般 or 严重; 待定级 when the roster says the household was hit without
    a grade (the visit grades it); empty when it was not hit."""
    disaster_note: Mapped[str | None] = mapped_column(String(40))
    """What the roster's 受灾情况 said when it said more than a grade (洪涝受灾, 严重洪涝) or
    something that could not be read, as typed."""


class PersonYear(Base):
    __tablename__ = "monitor_person_year"
    __table_args__ = {"sqlite_with_rowid": False}

    person_id: Mapped[int] = mapped_column(ForeignKey("monitor_person.id"), primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
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


class Case(Base):
    """One household's identification, assistance and 风险消除, from an alert to its closing.

    A household has at most one case that is not yet closed; the state and the due date of
    the current step say where it stands (see ``monitor/workflow.py``).
    """

    __tablename__ = "monitor_case"
    # The case list's filter (open states in a region) and its order (the limits), all in
    # one index: the city's open cases are counted and sorted without reading their rows.
    __table_args__ = (
        Index(
            "ix_monitor_case_state_village_due",
            "state",
            "village_code",
            "step_due_on",
            "identification_due_on",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("monitor_household.id"), index=True)
    village_code: Mapped[str] = mapped_column(String(12), index=True)
    year: Mapped[int] = mapped_column(SmallInteger)
    state: Mapped[str] = mapped_column(String(32), index=True)
    risk_types: Mapped[str] = mapped_column(String(120))
    category: Mapped[str | None] = mapped_column(String(16))
    """监测对象类别, set when the district includes the household."""
    has_labour: Mapped[bool | None] = mapped_column(Boolean)
    assigned_to: Mapped[str | None] = mapped_column(String(64))
    """The grid worker who verifies (user name)."""
    opened_on: Mapped[date] = mapped_column(Date)
    identification_due_on: Mapped[date] = mapped_column(Date)
    step_started_on: Mapped[date] = mapped_column(Date)
    step_due_on: Mapped[date | None] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    removed_on: Mapped[date | None] = mapped_column(Date)
    tracked_after_removal: Mapped[bool] = mapped_column(Boolean, default=False)
    """Households without labour stay followed after their risk is removed."""
    reason: Mapped[str] = mapped_column(String(400), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CaseStep(Base):
    """One step of a case as it happened: who acted, when it was due and when it was done."""

    __tablename__ = "monitor_case_step"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("monitor_case.id"), index=True)
    step: Mapped[str] = mapped_column(String(32))
    started_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    actor: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16), default="")
    note: Mapped[str] = mapped_column(String(400), default="")


class Visit(Base):
    """A home visit (走访) by a grid worker or cadre; the phone's key makes a resend harmless."""

    __tablename__ = "monitor_visit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_key: Mapped[str] = mapped_column(String(64), unique=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("monitor_household.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("monitor_case.id"))
    village_code: Mapped[str] = mapped_column(String(12), index=True)
    visitor: Mapped[str] = mapped_column(String(64))
    visited_on: Mapped[date] = mapped_column(Date)
    per_capita_income: Mapped[Decimal | None] = mapped_column(Money)
    """The household's income per head for a year, as estimated at the visit."""
    rigid_costs_resolved: Mapped[bool | None] = mapped_column(Boolean)
    education_secure: Mapped[bool | None] = mapped_column(Boolean)
    medical_secure: Mapped[bool | None] = mapped_column(Boolean)
    housing_secure: Mapped[bool | None] = mapped_column(Boolean)
    water_secure: Mapped[bool | None] = mapped_column(Boolean)
    risks_found: Mapped[str] = mapped_column(String(120), default="")
    note: Mapped[str] = mapped_column(String(400), default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    """Where the phone was at the visit (WGS 84 from its GPS), when the visitor shared it."""
    longitude: Mapped[float | None] = mapped_column(Float)
    position_accuracy_m: Mapped[int | None] = mapped_column(Integer)
    """How far off the phone said the position might be, in metres."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class VisitPhoto(Base):
    """The one photo taken at a visit, re-encoded as a JPEG without the file's metadata.

    Kept in the database, in a table of its own so that reading visits never loads it:
    written in the same transaction as the rest of the platform's records, backed up with
    them, and served by every server process alike.
    """

    __tablename__ = "monitor_visit_photo"

    visit_id: Mapped[int] = mapped_column(ForeignKey("monitor_visit.id"), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SelfReport(Base):
    """A household's own report of hardship (农户自主申报), from the public phone page."""

    __tablename__ = "monitor_self_report"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    """The 全农码 (事) given back to the reporter as the reference number."""
    village_code: Mapped[str] = mapped_column(String(12), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("monitor_household.id"))
    name: Mapped[str] = mapped_column(String(40))
    id_number: Mapped[str] = mapped_column(String(18))
    phone: Mapped[str | None] = mapped_column(String(11))
    risk_type: Mapped[str] = mapped_column(String(16))
    what_happened: Mapped[str] = mapped_column(String(400))
    received_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Measure(Base):
    """One line of the household's list of measures (一户一清单)."""

    __tablename__ = "monitor_measure"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("monitor_case.id"), index=True)
    village_code: Mapped[str] = mapped_column(String(12), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    content: Mapped[str] = mapped_column(String(200))
    responsible: Mapped[str] = mapped_column(String(64))
    """The responsible department or person."""
    due_on: Mapped[date] = mapped_column(Date)
    started_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    progress: Mapped[str] = mapped_column(String(400), default="")
    created_by: Mapped[str] = mapped_column(String(64))


class MeasureProgress(Base):
    __tablename__ = "monitor_measure_progress"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("monitor_measure.id"), index=True)
    recorded_on: Mapped[date] = mapped_column(Date)
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(String(400))
    done: Mapped[bool] = mapped_column(Boolean, default=False)
