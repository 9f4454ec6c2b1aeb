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


class Project(Base):
    """A 帮扶项目: built with 衔接资金, 鲁渝协作 or social funds in a village, its assets handed
    to the village's collective once accepted and confirmed."""

    __tablename__ = "collective_project"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    """Its 全农码 (kind 事: an event)."""
    number: Mapped[str] = mapped_column(String(40), unique=True)
    """项目编号 of the district's 项目库."""
    name: Mapped[str] = mapped_column(String(100))
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    """A project kind of the pack (industry, infrastructure, public_service)."""
    year: Mapped[int] = mapped_column(Integer)
    """The year it was approved (立项): the year whose funds it counts in."""
    stage: Mapped[str] = mapped_column(String(12))
    """Its latest step (approved, built, accepted, confirmed, handed_over)."""
    households: Mapped[int] = mapped_column(Integer, default=0)
    """Households that benefit."""
    beneficiaries: Mapped[int] = mapped_column(Integer, default=0)
    """People who benefit."""
    monitored_households: Mapped[int] = mapped_column(Integer, default=0)
    """Of the households, those under 防返贫 monitoring."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ProjectFund(Base):
    """The amount one fund source gives a project (a project may have several)."""

    __tablename__ = "collective_project_fund"
    __table_args__ = (UniqueConstraint("project_id", "source"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("collective_project.id"), index=True)
    source: Mapped[str] = mapped_column(String(20))
    amount_fen: Mapped[int] = mapped_column(BigInteger)


class ProjectStep(Base):
    """A dated stage of a project; the stages follow one another in order."""

    __tablename__ = "collective_project_step"
    __table_args__ = (UniqueConstraint("project_id", "step"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("collective_project.id"), index=True)
    step: Mapped[str] = mapped_column(String(12))
    done_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ProjectIncome(Base):
    """What a project's assets earned in a year (rent, dividends …)."""

    __tablename__ = "collective_project_income"
    __table_args__ = (UniqueConstraint("project_id", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("collective_project.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(BigInteger)


class RegistryItem(Base):
    """One entry of the 三资 registry of an organisation: a fund, an asset or a resource."""

    __tablename__ = "collective_registry_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    """Its 全农码: kind 财 for funds and assets; a land resource keeps its parcel's 地 code."""
    org_id: Mapped[int] = mapped_column(ForeignKey("collective_org.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    category: Mapped[str] = mapped_column(String(20))
    """A registry category of the pack (cash, bank_account, fixed, land …)."""
    name: Mapped[str] = mapped_column(String(100))
    book_value_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    """Book value; for fixed assets their original value (account 151)."""
    acquired_on: Mapped[date | None] = mapped_column(Date)
    depreciation_method: Mapped[str] = mapped_column(String(20), default="")
    """straight_line or workload for fixed and biological assets; empty otherwise."""
    useful_life_years: Mapped[int | None] = mapped_column(Integer)
    area_m2: Mapped[int | None] = mapped_column(BigInteger)
    """Area of a resource, in whole square metres."""
    parcel_code: Mapped[str | None] = mapped_column(String(20))
    """The one map's parcel a land resource is."""
    project_id: Mapped[int | None] = mapped_column(ForeignKey("collective_project.id"), index=True)
    """The 帮扶项目 that formed it."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StockTake(Base):
    """A 清产核资: on a date, the registry's book values set against the books' balances."""

    __tablename__ = "collective_stock_take"
    __table_args__ = (UniqueConstraint("org_id", "taken_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("collective_org.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    taken_on: Mapped[date] = mapped_column(Date)
    content: Mapped[str] = mapped_column(Text)
    """Each category's registry and books figures (fen) and their difference, as JSON."""
    differences: Mapped[int] = mapped_column(Integer)
    taken_by: Mapped[str] = mapped_column(String(64))
    taken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Contract(Base):
    """A contract letting, leasing or investing a resource or an asset of the collective
    (发包, 租赁, 入股), with its term, price and payment schedule."""

    __tablename__ = "collective_contract"
    __table_args__ = (UniqueConstraint("org_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("collective_org.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    number: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(12))
    """letting (发包), lease (租赁) or equity (入股)."""
    counterparty: Mapped[str] = mapped_column(String(100))
    counterparty_code: Mapped[str | None] = mapped_column(String(20))
    """The counterparty's 全农码 (or national code) where known."""
    subject: Mapped[str] = mapped_column(String(200))
    """What is let: a resource or asset of the registry, by name."""
    subject_code: Mapped[str | None] = mapped_column(String(20))
    """Its 全农码 in the 三资 registry, where registered."""
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    price_fen: Mapped[int] = mapped_column(BigInteger)
    """The whole price over the term."""
    deposit_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ContractPayment(Base):
    """One instalment of a contract's payment schedule, paid or not."""

    __tablename__ = "collective_contract_payment"
    __table_args__ = (UniqueConstraint("contract_id", "due_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("collective_contract.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    paid_on: Mapped[date | None] = mapped_column(Date)
