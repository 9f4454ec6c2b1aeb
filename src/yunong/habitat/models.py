"""人居环境 tables: water bodies and their tests and remediation, settlements and their sewage
facilities, household toilets and their 先改后补 subsidies.

Measurements are kept as decimals, so a threshold such as 40 % of a depth of 24.5 cm is
compared exactly (9.8 cm is not below it).
"""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from yunong.store.base import Base, utcnow

Measured = Numeric(10, 3)
"""A measurement (cm or mg/L) as written in the test report."""


class WaterBody(Base):
    """A rural water body under watch (排查): a pond, ditch or river section of a village."""

    __tablename__ = "habitat_water_body"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    """水体编号, as the district's register writes it."""
    name: Mapped[str] = mapped_column(String(100))
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    """A key of the pack's ``habitat.black_odorous.kinds`` (pond, ditch, river)."""
    area_m2: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    longitude: Mapped[float | None] = mapped_column(Float)
    latitude: Mapped[float | None] = mapped_column(Float)
    tested_on: Mapped[date | None] = mapped_column(Date)
    """The date of its latest test; None before the first."""
    black: Mapped[bool | None] = mapped_column(Boolean, index=True)
    """Whether its latest test found it black and odorous; None before the first test."""


class WaterTest(Base):
    """One test of a water body on one day, with the classification the pack gave it."""

    __tablename__ = "habitat_water_test"
    __table_args__ = (UniqueConstraint("body_id", "tested_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("habitat_water_body.id"), index=True)
    tested_on: Mapped[date] = mapped_column(Date)
    transparency_cm: Mapped[Decimal] = mapped_column(Measured)
    depth_cm: Mapped[Decimal | None] = mapped_column(Measured)
    dissolved_oxygen: Mapped[Decimal] = mapped_column(Measured)
    ammonia_nitrogen: Mapped[Decimal] = mapped_column(Measured)
    black: Mapped[bool] = mapped_column(Boolean)
    reasons: Mapped[str] = mapped_column(String(200), default="")
    """Which thresholds it failed, in Chinese; empty when it is not black and odorous."""


class Remediation(Base):
    """The remediation (整治) of one water body, through the pack's stages in order."""

    __tablename__ = "habitat_remediation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("habitat_water_body.id"), unique=True)
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    stage: Mapped[str] = mapped_column(String(16))
    stage_on: Mapped[date] = mapped_column(Date)
    """The day it reached its stage."""
    surveyed: Mapped[int | None] = mapped_column(Integer)
    """公众满意度调查: people asked at acceptance."""
    satisfied: Mapped[int | None] = mapped_column(Integer)
    accepted_on: Mapped[date | None] = mapped_column(Date)


class RemediationStep(Base):
    """A stage a remediation reached: who moved it, when."""

    __tablename__ = "habitat_remediation_step"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    remediation_id: Mapped[int] = mapped_column(ForeignKey("habitat_remediation.id"), index=True)
    stage: Mapped[str] = mapped_column(String(16))
    on: Mapped[date] = mapped_column(Date)
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(String(200), default="")


class SewageFacility(Base):
    """A rural sewage treatment facility (污水处理设施) with its capacity and standard grade."""

    __tablename__ = "habitat_sewage_facility"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    capacity_m3: Mapped[Decimal] = mapped_column(Numeric(10, 1))
    """Design capacity, m³ a day."""
    grade: Mapped[str] = mapped_column(String(8))
    """A grade of the pack's discharge standard (DB 50/848): 一级, 二级, 三级."""
    network: Mapped[bool] = mapped_column(Boolean, default=True)
    """Whether its collection network (配套管网) is built."""


class FacilityInspection(Base):
    """One inspection of a facility's effluent, against the limits of its grade."""

    __tablename__ = "habitat_facility_inspection"
    __table_args__ = (UniqueConstraint("facility_id", "inspected_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("habitat_sewage_facility.id"), index=True)
    inspected_on: Mapped[date] = mapped_column(Date)
    running: Mapped[bool] = mapped_column(Boolean, default=True)
    cod: Mapped[Decimal | None] = mapped_column(Measured)
    ammonia_nitrogen: Mapped[Decimal | None] = mapped_column(Measured)
    total_phosphorus: Mapped[Decimal | None] = mapped_column(Measured)
    suspended_solids: Mapped[Decimal | None] = mapped_column(Measured)
    passed: Mapped[bool] = mapped_column(Boolean)
    reasons: Mapped[str] = mapped_column(String(200), default="")


class Settlement(Base):
    """A rural settlement (聚居点) with its households and residents."""

    __tablename__ = "habitat_settlement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    households: Mapped[int] = mapped_column(Integer)
    residents: Mapped[int] = mapped_column(Integer)
    facility_id: Mapped[int | None] = mapped_column(
        ForeignKey("habitat_sewage_facility.id"), index=True
    )
    """The treatment facility its sewage goes to; None where there is none."""
    refuse_collected: Mapped[bool] = mapped_column(Boolean, default=False)
    """Whether it is inside the refuse collection system (生活垃圾收运处置体系)."""


class Toilet(Base):
    """A household's toilet (户厕) as the village records it."""

    __tablename__ = "habitat_toilet"
    __table_args__ = (UniqueConstraint("region_code", "household_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    household_number: Mapped[str] = mapped_column(String(20))
    """户编号 within the village."""
    head_name: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(16))
    """A type of the pack's ``habitat.toilets.types``."""
    sanitary: Mapped[bool] = mapped_column(Boolean)
    recorded_on: Mapped[date] = mapped_column(Date)


class ToiletSubsidy(Base):
    """A household's 先改后补 subsidy: applied, built, accepted, paid, each by its role."""

    __tablename__ = "habitat_toilet_subsidy"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    household_number: Mapped[str] = mapped_column(String(20))
    head_name: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(16))
    """The sanitary type the household is to build."""
    state: Mapped[str] = mapped_column(String(16), index=True)
    applied_on: Mapped[date] = mapped_column(Date)
    built_on: Mapped[date | None] = mapped_column(Date)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    paid_on: Mapped[date | None] = mapped_column(Date)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    note: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ToiletVisit(Base):
    """A grid worker's visit (走访) to a household's toilet, from the phone form."""

    __tablename__ = "habitat_toilet_visit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"), index=True)
    household_number: Mapped[str] = mapped_column(String(20))
    visited_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    in_use: Mapped[bool] = mapped_column(Boolean, default=True)
    """Whether the toilet is in normal use (正常使用)."""
    note: Mapped[str] = mapped_column(String(200), default="")
    actor: Mapped[str] = mapped_column(String(64))
