"""产权交易 tables: the deals."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from yunong.store.base import Base, utcnow


class Deal(Base):
    """One closed deal: a right of ``kind`` over ``area_mu`` 亩 for ``term_years`` years, sold
    for ``price_yuan`` in all on ``deal_date``. ``project_code`` is the exchange's own number
    for it, unique across the city."""

    __tablename__ = "exchange_deal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    """The pack's key of the kind (``land_management`` …)."""
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    """The district's code, or the town's where the file names a town the registry knows."""
    town: Mapped[str] = mapped_column(String(40), default="")
    location: Mapped[str] = mapped_column(String(200), default="")
    area_mu: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    term_years: Mapped[int | None] = mapped_column(Integer)
    """None for kinds sold outright, such as 地票."""
    land_class: Mapped[str | None] = mapped_column(String(20))
    """The land class as the file names it (水田, 旱地 …), where it names one."""
    price_yuan: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    deal_date: Mapped[date] = mapped_column(Date, index=True)
    buyer: Mapped[str] = mapped_column(String(100), default="")
    source: Mapped[str] = mapped_column(String(20), default="import")
    """``import`` for deals recorded before the platform."""
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Listing(Base):
    """A right put up for open ascending auction: bids from ``reserve_yuan`` up in steps of at
    least ``increment_yuan``, from ``starts_at`` to ``ends_at``, which a late bid pushes back.

    ``status`` is ``open`` until the closing job (or the first request after the end) closes
    it as ``sold`` or ``unsold``; a listing re-offered at a lower reserve names the one it
    replaces in ``relisted_from``."""

    __tablename__ = "exchange_listing"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    seller: Mapped[str] = mapped_column(String(100))
    parcels: Mapped[str] = mapped_column(String(2000), default="")
    """全农码 of the parcels transferred, separated by commas."""
    area_mu: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    term_years: Mapped[int | None] = mapped_column(Integer)
    rights_start: Mapped[date | None] = mapped_column(Date)
    """When the buyer's management right begins."""
    reserve_yuan: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    increment_yuan: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    deposit_yuan: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    price_yuan: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    winner_id: Mapped[int | None] = mapped_column(Integer)
    """The winning registration."""
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    relisted_from: Mapped[int | None] = mapped_column(ForeignKey("exchange_listing.id"))
    created_by: Mapped[str] = mapped_column(String(64))


class Registration(Base):
    """A bidder registered for one listing: who (kept from the other bidders, who see only
    the number), whether they qualified, and their deposit."""

    __tablename__ = "exchange_registration"
    __table_args__ = (
        UniqueConstraint("listing_id", "user_id", name="uq_exchange_registration_listing_user"),
        UniqueConstraint("listing_id", "number", name="uq_exchange_registration_listing_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("exchange_listing.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    """竞买号: the bidder's number on this listing, the only name other bidders see."""
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    bidder_name: Mapped[str] = mapped_column(String(100))
    bidder_id_code: Mapped[str] = mapped_column(String(18))
    """统一社会信用代码 of an organisation, or the ID number of a person."""
    qualified: Mapped[bool] = mapped_column(Boolean, default=False)
    deposit_paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deposit_returned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Bid(Base):
    """One accepted bid. Bids are only ever added: ``sequence`` is the order they arrived in."""

    __tablename__ = "exchange_bid"
    __table_args__ = (UniqueConstraint("listing_id", "sequence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("exchange_listing.id"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("exchange_registration.id"))
    sequence: Mapped[int] = mapped_column(Integer)
    amount_yuan: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    placed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Transfer(Base):
    """A parcel's management right held by a buyer from ``starts_on`` to ``ends_on``, as a
    deal on the exchange made it."""

    __tablename__ = "exchange_transfer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("exchange_listing.id"), index=True)
    parcel_code: Mapped[str] = mapped_column(String(20), index=True)
    holder: Mapped[str] = mapped_column(String(100))
    holder_id_code: Mapped[str] = mapped_column(String(18))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)


class Certificate(Base):
    """交易鉴证书: the exchange's attestation of a deal, under its own 全农码, which anyone
    can verify on the public page its QR code leads to."""

    __tablename__ = "exchange_certificate"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("exchange_listing.id"), unique=True)
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    seller: Mapped[str] = mapped_column(String(100))
    buyer: Mapped[str] = mapped_column(String(100))
    price_yuan: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    issued_on: Mapped[date] = mapped_column(Date)


class TicketCase(Base):
    """One 地票: a homestead or construction parcel from the holder's application, through
    reclamation and its acceptance, to the ticket sold and the proceeds paid.

    ``step`` is the last step taken: ``applied``, ``approved`` (the reclamation project),
    ``accepted`` (the reclaimed land), ``issued`` (the ticket, listed for auction) or ``paid``."""

    __tablename__ = "exchange_ticket_case"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parcel_code: Mapped[str] = mapped_column(String(20), index=True)
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    holder_code: Mapped[str | None] = mapped_column(String(20))
    """The household holding the parcel (its 全农码)."""
    conditions: Mapped[str] = mapped_column(String(400))
    """The pack's conditions the applicant attested, separated by commas."""
    step: Mapped[str] = mapped_column(String(10))
    applied_on: Mapped[date] = mapped_column(Date)
    applied_by: Mapped[str] = mapped_column(String(64))
    approved_on: Mapped[date | None] = mapped_column(Date)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    accepted_m2: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    reclamation_cost_yuan: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    ticket_code: Mapped[str | None] = mapped_column(String(20), unique=True)
    issued_on: Mapped[date | None] = mapped_column(Date)
    listing_id: Mapped[int | None] = mapped_column(ForeignKey("exchange_listing.id"))
    paid_on: Mapped[date | None] = mapped_column(Date)


class TicketPayment(Base):
    """A share of a 地票's proceeds paid to the farmer household or to the collective."""

    __tablename__ = "exchange_ticket_payment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("exchange_ticket_case.id"), index=True)
    payee: Mapped[str] = mapped_column(String(12))
    """``farmer`` or ``collective``."""
    payee_code: Mapped[str] = mapped_column(String(20))
    account: Mapped[str] = mapped_column(String(40))
    amount_yuan: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    paid_on: Mapped[date] = mapped_column(Date)
