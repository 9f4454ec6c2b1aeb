"""考核驾驶舱 tables: reported data sets per period and unit, their values, and stored scores."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    DateTime,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from yunong.store.base import Base, utcnow


class DataSet(Base):
    """One unit's reported values for one period (DHIS2's data set registration and approval).

    ``state``: draft → submitted → approved (locked), or submitted → returned → submitted.
    """

    __tablename__ = "assess_data_set"
    __table_args__ = (UniqueConstraint("period", "region_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[int] = mapped_column(SmallInteger, index=True)
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    state: Mapped[str] = mapped_column(String(16), default="draft")
    comment: Mapped[str] = mapped_column(String(400), default="")
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_by: Mapped[str | None] = mapped_column(String(64))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Value(Base):
    """A reported value of an indicator (or of a 达标村 checklist item) in a data set."""

    __tablename__ = "assess_value"
    __table_args__ = (UniqueConstraint("data_set_id", "item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    data_set_id: Mapped[int] = mapped_column(ForeignKey("assess_data_set.id"), index=True)
    item: Mapped[str] = mapped_column(String(64))
    """An indicator id of the pack, or ``model_village.<item>`` for a checklist item."""
    value: Mapped[Decimal] = mapped_column(Numeric(18, 4))


class Score(Base):
    """A district's weighted score and rank for a period (赛马比拼), as last computed."""

    __tablename__ = "assess_score"
    __table_args__ = (UniqueConstraint("period", "region_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[int] = mapped_column(SmallInteger, index=True)
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"))
    score: Mapped[float] = mapped_column(Float)
    rank: Mapped[int] = mapped_column(Integer)
    previous_rank: Mapped[int | None] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Figure(Base):
    """An indicator's value, target and progress for the city or a district in a period."""

    __tablename__ = "assess_figure"
    __table_args__ = (UniqueConstraint("period", "region_code", "indicator"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[int] = mapped_column(SmallInteger, index=True)
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    indicator: Mapped[str] = mapped_column(String(64))
    value: Mapped[float | None] = mapped_column(Float)
    target: Mapped[float | None] = mapped_column(Float)
    target_year: Mapped[int | None] = mapped_column(SmallInteger)
    """The year of the target: this period's, or for the city the next year that has one."""
    progress: Mapped[float | None] = mapped_column(Float)
    colour: Mapped[str] = mapped_column(String(8), default="")
    """green, yellow or red; empty when there is no target to compare with."""
    points: Mapped[float | None] = mapped_column(Float)
    """Weight × progress, the indicator's part of the district's score."""
    origin: Mapped[str] = mapped_column(String(200), default="")
    """Where the value came from, in Chinese: a data set, a roll-up or a module's function."""
