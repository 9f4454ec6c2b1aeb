"""Trace tables: producers, brands and grants, products, batches, events, certificates, scans."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from yunong.store.base import Base, utcnow

Quantity = Numeric(14, 3)


class Producer(Base):
    """A producer (生产经营主体): a company or co-operative by its USCC, or a household by its code.

    Its own 全农码 (kind 人) is ``code``; for a household it is the household's code.
    """

    __tablename__ = "trace_producer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(80))
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    contact_name: Mapped[str] = mapped_column(String(40), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ProducerAccount(Base):
    """A user who acts for a producer: a producer-role account sees only its producers' products."""

    __tablename__ = "trace_producer_account"

    producer_id: Mapped[int] = mapped_column(ForeignKey("trace_producer.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True, index=True)


class Inspector(Base):
    """An account registered as an inspection agency (检测机构) for an area: with the producer
    itself, the only ones who may record a batch's quality test."""

    __tablename__ = "trace_inspector"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    agency: Mapped[str] = mapped_column(String(80))
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    """The area whose producers' batches the agency tests: a district, usually."""
    registered_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Brand(Base):
    """An entry of the agricultural brand catalog (农业品牌目录)."""

    __tablename__ = "trace_brand"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[str] = mapped_column(String(24))
    owner: Mapped[str] = mapped_column(String(80))
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    """The area the brand belongs to: the city for a regional public brand, a district for most
    geographic indications."""
    registration: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class BrandGrant(Base):
    """Which producer may use which brand, for which product category, from when until when."""

    __tablename__ = "trace_brand_grant"
    __table_args__ = (UniqueConstraint("brand_id", "producer_id", "category", "valid_from"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("trace_brand.id"), index=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("trace_producer.id"), index=True)
    category: Mapped[str] = mapped_column(String(16))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    granted_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Product(Base):
    __tablename__ = "trace_product"
    __table_args__ = (UniqueConstraint("producer_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("trace_producer.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    category: Mapped[str] = mapped_column(String(16))
    gtin: Mapped[str | None] = mapped_column(String(14), unique=True)
    """GTIN-14; shorter GTINs are stored padded with zeros on the left."""
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("trace_brand.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Batch(Base):
    """One batch (lot) of a product, with its 全农码 of kind 物."""

    __tablename__ = "trace_batch"
    __table_args__ = (UniqueConstraint("product_id", "lot"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("trace_product.id"), index=True)
    lot: Mapped[str] = mapped_column(String(20))
    produced_on: Mapped[date] = mapped_column(Date)
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit: Mapped[str] = mapped_column(String(8))
    packages: Mapped[int | None] = mapped_column(Integer)
    """Labelled units (boxes, bags, heads) the batch is sold in; scans are compared with it."""
    origin_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("trace_brand.id"))
    digital_link: Mapped[str | None] = mapped_column(String(200), unique=True)
    """GS1 Digital Link as printed: kept as issued, since labels keep the domain they carry."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class BatchParcel(Base):
    """A parcel (全农码 of kind 地) the batch grew on."""

    __tablename__ = "trace_batch_parcel"

    batch_id: Mapped[int] = mapped_column(ForeignKey("trace_batch.id"), primary_key=True)
    parcel_code: Mapped[str] = mapped_column(String(20), primary_key=True)


class Event(Base):
    """One traceability event of a batch, kept in the shape of an EPCIS 2.0 event."""

    __tablename__ = "trace_event"
    __table_args__ = (UniqueConstraint("batch_id", "fingerprint"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("trace_batch.id"), index=True)
    step: Mapped[str] = mapped_column(String(16))
    event_time: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(64))
    parcel_code: Mapped[str | None] = mapped_column(String(20))
    input_name: Mapped[str | None] = mapped_column(String(60))
    input_kind: Mapped[str | None] = mapped_column(String(16))
    safe_interval_days: Mapped[int | None] = mapped_column(Integer)
    result: Mapped[str | None] = mapped_column(String(8))
    """Inspection result: ``pass`` or ``fail``."""
    agency: Mapped[str | None] = mapped_column(String(80))
    quantity: Mapped[Decimal | None] = mapped_column(Quantity)
    unit: Mapped[str | None] = mapped_column(String(8))
    partner: Mapped[str | None] = mapped_column(String(80))
    """Buyer, carrier or destination named for shipping and sale."""
    output_batch_id: Mapped[int | None] = mapped_column(ForeignKey("trace_batch.id"))
    note: Mapped[str] = mapped_column(String(200), default="")
    fingerprint: Mapped[str] = mapped_column(String(64))
    """SHA-256 of what the event says, so the same event sent twice is stored once."""


class Certificate(Base):
    """承诺达标合格证 of one batch; printed as often as needed, issued once."""

    __tablename__ = "trace_certificate"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("trace_batch.id"), unique=True)
    issued_on: Mapped[date] = mapped_column(Date)
    basis: Mapped[str] = mapped_column(String(40))
    issued_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Scan(Base):
    """Scans of a batch's code per day and coarse place, counted rather than logged one by one."""

    __tablename__ = "trace_scan"

    batch_id: Mapped[int] = mapped_column(ForeignKey("trace_batch.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    place: Mapped[str] = mapped_column(String(24), primary_key=True)
    """``lat,lon`` to one decimal when the scanner shared it, else ``-``."""
    count: Mapped[int] = mapped_column(Integer, default=0)


class ScanReport(Base):
    """A scanner's rough position, shared by choice: evidence of where a code is scanned.

    One per client and batch, so one address cannot make a code look scanned all over the
    country. ``client`` is a keyed hash of the client's address, never the address itself.
    """

    __tablename__ = "trace_scan_report"
    __table_args__ = (
        UniqueConstraint("batch_id", "client"),
        Index("ix_trace_scan_report_client_reported_at", "client", "reported_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("trace_batch.id"))
    client: Mapped[str] = mapped_column(String(32))
    place: Mapped[str] = mapped_column(String(24))
    """``lat,lon`` to one decimal."""
    reported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ScanFlag(Base):
    """A possible counterfeit: a code scanned far beyond its batch, or across distant places.

    Anonymous scans are evidence, not a verdict: a flag waits for an official of the
    producer's district, and only a confirmed one turns the public page red.
    """

    __tablename__ = "trace_scan_flag"
    __table_args__ = (UniqueConstraint("batch_id", "reason"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("trace_batch.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(12), index=True)
    reason: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(String(200))
    raised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    state: Mapped[str] = mapped_column(String(12), default="pending", server_default="pending")
    """``pending`` (待核实), ``confirmed`` (shown to the public) or ``cleared``."""
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(String(200), default="", server_default="")
