"""产业大脑 tables: dated observations of the pack's series, and the warnings raised on them."""

from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from yunong.store.base import Base, utcnow


class Observation(Base):
    """One value of a series for a region and period, as one source reported it.

    ``period`` is the week's Monday for weekly series and the month's first day for monthly
    ones; ``value`` is in the series' unit from the pack (元/公斤, 万头, 万吨 …)."""

    __tablename__ = "industry_observation"
    __table_args__ = (
        UniqueConstraint("series", "region_code", "period", "source"),
        Index("ix_industry_observation_series_region", "series", "region_code", "period"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series: Mapped[str] = mapped_column(String(40))
    """The pack's key of the series (``pig_price``, ``sow_stock`` …)."""
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    period: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(100), default="")
    value: Mapped[float] = mapped_column(Float)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Warning(Base):
    """One warning: a rule's condition held for a region in one week or month.

    ``level`` is 1, 2 or 3 for the price rules (1 the most severe) and 绿, 黄 or 红 for the
    breeding-sow zones. A warning stays on the 待办 of the officers covering its region until
    one of them marks it handled."""

    __tablename__ = "industry_warning"
    __table_args__ = (UniqueConstraint("rule", "indicator", "region_code", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule: Mapped[str] = mapped_column(String(20), index=True)
    indicator: Mapped[str] = mapped_column(String(40))
    """The series' (or the ratio's) name as the pack gives it: 猪粮比价, 能繁母猪存栏 …"""
    chain: Mapped[str | None] = mapped_column(String(20), index=True)
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    period: Mapped[date] = mapped_column(Date, index=True)
    level: Mapped[str] = mapped_column(String(4))
    value: Mapped[float] = mapped_column(Float)
    """The figure the rule judged: the ratio, the percentage or the projected year-end."""
    evidence: Mapped[str] = mapped_column(Text, default="")
    """The evidence series, as JSON: ``[["2024-03-04", 5.8], …]``."""
    raised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    handled_by: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
