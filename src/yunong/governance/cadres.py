"""Cadres stationed in villages (第一书记、驻村工作队、乡村振兴指导员), and the coverage per
district against the seed's full coverage (（三十四）：常态化全覆盖选派驻村第一书记或
乡村振兴工作指导员).

A village counts as covered on a day when a first secretary or an instructor is stationed
there that day (a work-team member alone does not cover it: the seed names the first
secretary or the instructor). Villages are the administrative villages (村民委员会, codes
200–399 in the village part), not the neighbourhood committees of towns.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.auth.roles import Role
from yunong.core.errors import Forbidden, InvalidValue
from yunong.core.parsing import parse_date
from yunong.core.regions import codes as region_codes
from yunong.core.regions import service as regions
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.governance.models import StationedCadre

ROLE_LABELS = {
    "first_secretary": "第一书记",
    "work_team": "驻村工作队员",
    "instructor": "乡村振兴指导员",
}
COVERING = ("first_secretary", "instructor")
STATIONING = frozenset({Role.CITY_ADMIN, Role.DISTRICT_OFFICER})


@dataclass
class CadreIn:
    village: str
    name: str
    role: str
    unit: str
    starts_on: str
    ends_on: str = ""


def is_administrative_village(code: str) -> bool:
    return region_codes.level_of(code) is region_codes.Level.VILLAGE and 200 <= int(code[9:]) <= 399


def station(session: Session, *, scope: Scope, cadre_in: CadreIn) -> StationedCadre:
    """Record who is stationed in which village, from which unit, from when to when."""
    if not scope.can_write or (scope.role is not None and Role(scope.role) not in STATIONING):
        raise Forbidden("驻村干部由区县登记")
    village = regions.get_visible(session, scope=scope, code=cadre_in.village)
    if not is_administrative_village(village.code):
        raise InvalidValue("“{code}”不是行政村", code=cadre_in.village)
    role = next(
        (key for key, label in ROLE_LABELS.items() if cadre_in.role.strip() in (key, label)), None
    )
    if role is None:
        raise InvalidValue(
            "身份“{role}”应为 第一书记、驻村工作队员 或 乡村振兴指导员", role=cadre_in.role
        )
    name, unit = cadre_in.name.strip(), cadre_in.unit.strip()
    if not name or not unit:
        raise InvalidValue("请写明姓名和派出单位")
    starts = parse_date(cadre_in.starts_on)
    ends = parse_date(cadre_in.ends_on) if cadre_in.ends_on.strip() else None
    if ends is not None and ends < starts:
        raise InvalidValue("驻村结束日期早于开始日期")
    cadre = StationedCadre(
        village_code=village.code, name=name[:40], role=role, unit=unit[:100],
        starts_on=starts, ends_on=ends,
    )  # fmt: skip
    session.add(cadre)
    session.flush()
    audit.record(
        session,
        scope=scope,
        action="governance.cadre_station",
        target_type="governance_cadre",
        target_id=cadre.id,
        region_code=village.code,
    )
    return cadre


@dataclass(frozen=True)
class DistrictCoverage:
    district: str
    name: str
    villages: int
    covered: int

    @property
    def share(self) -> float:
        return 100.0 * self.covered / self.villages if self.villages else 0.0


def covered_villages(session: Session, *, scope: Scope, on: date) -> set[str]:
    query = scope.filter(
        select(StationedCadre.village_code).where(
            StationedCadre.role.in_(COVERING),
            StationedCadre.starts_on <= on,
            (StationedCadre.ends_on.is_(None)) | (StationedCadre.ends_on >= on),
        ),
        StationedCadre.village_code,
    )
    return set(session.scalars(query))


def administrative_villages(session: Session, *, scope: Scope) -> list[str]:
    query = scope.filter(
        select(Region.code).where(Region.level == int(region_codes.Level.VILLAGE)), Region.code
    )
    return [code for code in session.scalars(query) if is_administrative_village(code)]


def coverage(session: Session, *, scope: Scope, on: date) -> list[DistrictCoverage]:
    """Per district in scope: administrative villages, and those covered on ``on``."""
    covered = covered_villages(session, scope=scope, on=on)
    villages = administrative_villages(session, scope=scope)
    totals: dict[str, list[int]] = {}
    for code in villages:
        district = code[:6].ljust(12, "0")
        entry = totals.setdefault(district, [0, 0])
        entry[0] += 1
        entry[1] += int(code in covered)
    names = {
        region.code: region.name
        for region in regions.get_all(session, scope=scope, level=region_codes.Level.DISTRICT)
    }
    return [
        DistrictCoverage(district, names.get(district, district), total, hit)
        for district, (total, hit) in sorted(totals.items())
    ]
