"""基层治理 tables: village affairs reported and routed by 三事分流, and the cadres stationed in
villages (第一书记、驻村工作队、乡村振兴指导员)."""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
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
    groups) or ``private`` (私事: the household's own, answered with guidance)."""
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
