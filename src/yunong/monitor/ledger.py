"""The ledger of the lowest-income households (最低收入农户台账), section (二十六) of the seed."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from yunong.core.audit import service as audit
from yunong.core.masking import mask_id_number
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.monitor.models import Alert, Household, HouseholdYear, Person
from yunong.policy.schema import Pack
from yunong.store.bulk import chunks

HEADERS = [
    "区县",
    "乡镇",
    "村",
    "户编号",
    "农户全农码",
    "户主",
    "户主证件号码",
    "家庭人口",
    "家庭年纯收入（元）",
    "人均纯收入（元）",
    "识别线（元）",
    "监测预警",
]


@dataclass(frozen=True)
class LedgerEntry:
    district: str
    town: str
    village: str
    number: str
    code: str
    head: str
    head_id_number: str
    members: int
    net_income: Decimal | None
    per_capita_income: Decimal
    line: Decimal
    risks: str

    def as_row(self) -> list[object]:
        return [
            self.district,
            self.town,
            self.village,
            self.number,
            self.code,
            self.head,
            self.head_id_number,
            self.members,
            self.net_income,
            self.per_capita_income,
            self.line,
            self.risks,
        ]


def get_all(session: Session, *, scope: Scope, pack: Pack, year: int) -> list[LedgerEntry]:
    """Households in scope whose per-capita income is below the year's identification line.

    ID numbers are masked: the ledger is a list. Exporting it is audited.
    """
    line = Decimal(str(pack.monitoring.lowest_line_for(year)))
    village, town, district = aliased(Region), aliased(Region), aliased(Region)
    query = (
        select(HouseholdYear, Household, Person, village.name, town.name, district.name)
        .join(Household, Household.id == HouseholdYear.household_id)
        .join(
            Person,
            (Person.household_id == Household.id)
            & (Person.relation == "户主")
            & Person.left_year.is_(None),
        )
        .join(village, village.code == Household.village_code)
        .join(town, town.code == village.parent_code)
        .join(district, district.code == town.parent_code)
        .where(HouseholdYear.year == year, HouseholdYear.per_capita_income < line)
        .order_by(Household.village_code, Household.number)
    )
    rows = session.execute(scope.filter(query, Household.village_code)).all()
    risks = risks_by_household(session, [row[1].id for row in rows], year)
    audit.record(
        session,
        scope=scope,
        action="monitor.ledger_export",
        target_type="year",
        target_id=year,
        region_code=scope.region_code,
        detail=f"{len(rows)} 户",
    )
    return [
        LedgerEntry(
            district_name,
            town_name,
            village_name,
            household.number,
            household.code,
            head.name,
            mask_id_number(head.id_number),
            figures.members,
            figures.net_income,
            figures.per_capita_income,
            line,
            risks.get(household.id, ""),
        )
        for figures, household, head, village_name, town_name, district_name in rows
    ]


def risks_by_household(session: Session, ids: list[int], year: int) -> dict[int, str]:
    found: dict[int, list[str]] = {}
    for chunk in chunks(ids):
        for hid, risk in session.execute(
            select(Alert.household_id, Alert.risk_type)
            .where(Alert.household_id.in_(chunk), Alert.year == year)
            .order_by(Alert.risk_type)
        ):
            found.setdefault(hid, []).append(risk)
    return {hid: "、".join(risks) for hid, risks in found.items()}
