"""产权交易 tables: the deals."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Integer, Numeric, String
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
    price_yuan: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    deal_date: Mapped[date] = mapped_column(Date, index=True)
    buyer: Mapped[str] = mapped_column(String(100), default="")
    source: Mapped[str] = mapped_column(String(20), default="import")
    """``import`` for deals recorded before the platform."""
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
