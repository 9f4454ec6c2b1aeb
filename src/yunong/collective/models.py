"""渝农经管 tables: collective economic organisations, their members and share events, and
their books (vouchers with lines, closed periods).

Amounts are kept as whole fen (分) in integers: sums are exact on SQLite and PostgreSQL
alike, however many lines are added, and the reports turn them back into yuan.
"""

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from yunong.store.base import Base, utcnow


class Organisation(Base):
    """A collective economic organisation (集体经济组织) of a town, village or group (组)."""

    __tablename__ = "collective_org"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    """Its 全农码 (kind 人: a subject)."""
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    """统一社会信用代码, N2… for a rural collective economic organisation; None until issued."""
    name: Mapped[str] = mapped_column(String(100))
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    level: Mapped[str] = mapped_column(String(8))
    """town, village or group."""
    group_name: Mapped[str] = mapped_column(String(40), default="")
    """The group (村民小组) for a group-level organisation, which has no region code of its own."""
    legal_representative: Mapped[str] = mapped_column(String(40), default="")
    books_start: Mapped[date | None] = mapped_column(Date)
    """The date of its opening balances; no voucher may be dated before it."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Member(Base):
    """A confirmed member of an organisation, linked to a person of the registry by 全农码."""

    __tablename__ = "collective_member"
    __table_args__ = (UniqueConstraint("org_id", "person_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("collective_org.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    person_code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(40))
    id_number: Mapped[str] = mapped_column(String(18))
    """Resident ID number: personal data, masked in lists."""
    phone: Mapped[str] = mapped_column(String(20), default="")
    confirmed_on: Mapped[date] = mapped_column(Date)
    basis: Mapped[str] = mapped_column(String(100))
    """The basis of the confirmation (户籍, 土地承包, assembly resolution …)."""
    status: Mapped[str] = mapped_column(String(12))
    """confirmed, left or deceased."""


class ShareEvent(Base):
    """A change of a member's shares: never overwritten, a member's holding is the sum."""

    __tablename__ = "collective_share_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("collective_member.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    """人口股, 劳龄股 or another kind named by the organisation."""
    shares: Mapped[int] = mapped_column(Integer)
    """Shares added (negative when taken away)."""
    effective_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Voucher(Base):
    """A 记账凭证 of one organisation; posted vouchers are reversed, never deleted."""

    __tablename__ = "collective_voucher"
    __table_args__ = (UniqueConstraint("org_id", "period", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("collective_org.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    period: Mapped[str] = mapped_column(String(7))
    """YYYY-MM of its date."""
    number: Mapped[str] = mapped_column(String(20))
    """凭证号, unique within the organisation's month."""
    voucher_date: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    """opening (期初余额), entry, closing (year-end carry of P&L) or reversal."""
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("collective_voucher.id"))
    digest: Mapped[str] = mapped_column(String(64))
    """A hash of its date and lines: the same voucher imported again is recognised."""
    posted_by: Mapped[str] = mapped_column(String(64))
    posted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class VoucherLine(Base):
    __tablename__ = "collective_voucher_line"
    # The trial balance reads an organisation's lines by period and account.
    __table_args__ = (Index("ix_collective_line_org_period", "org_id", "period", "account"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    voucher_id: Mapped[int] = mapped_column(ForeignKey("collective_voucher.id"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("collective_org.id"))
    """Repeated from the voucher, so a trial balance sums lines without a join."""
    period: Mapped[str] = mapped_column(String(7))
    account: Mapped[str] = mapped_column(String(8))
    summary: Mapped[str] = mapped_column(String(200), default="")
    counterparty: Mapped[str] = mapped_column(String(100), default="")
    """辅助核算: the counterparty of 应收款, 应付款 and the like."""
    debit_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    credit_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class ClosedPeriod(Base):
    """A month whose books are closed (结账): no voucher may be dated in it any more."""

    __tablename__ = "collective_closed_period"
    __table_args__ = (UniqueConstraint("org_id", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("collective_org.id"))
    period: Mapped[str] = mapped_column(String(7))
    closed_by: Mapped[str] = mapped_column(String(64))
    closed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Disclosure(Base):
    """A 财务公开 of one organisation for one period (a quarter or a month), generated from
    the books, public only once the 民主理财小组 has approved it."""

    __tablename__ = "collective_disclosure"
    __table_args__ = (UniqueConstraint("org_id", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("collective_org.id"))
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    period: Mapped[str] = mapped_column(String(7))
    """2024Q1 for a quarter, 2024-03 for a month."""
    content: Mapped[str] = mapped_column(Text)
    """The disclosed figures by category, as JSON."""
    generated_by: Mapped[str] = mapped_column(String(64))
    generated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    approved_by: Mapped[str | None] = mapped_column(String(64))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
