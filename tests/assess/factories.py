"""Data sets for assessment tests: scopes of each level and values filled through the service."""

from sqlalchemy.orm import Session

from yunong.assess import datasets
from yunong.assess.catalogue import items
from yunong.assess.datasets import Entry
from yunong.core.auth.roles import Role
from yunong.core.regions import codes
from yunong.core.scope import Scope
from yunong.policy import loader as policy
from yunong.policy.schema import Pack

PACK = policy.get()
CITY = codes.CITY_CODE
WANZHOU = "500101000000"
FULING = "500102000000"

city = Scope(actor="city_admin_01", region_code=CITY, role=Role.CITY_ADMIN.value)


def officer(region_code: str) -> Scope:
    """A district (or town, or village) officer bound to ``region_code``."""
    role = {
        codes.Level.CITY: Role.CITY_ADMIN,
        codes.Level.DISTRICT: Role.DISTRICT_OFFICER,
        codes.Level.TOWN: Role.TOWN_OFFICER,
        codes.Level.VILLAGE: Role.VILLAGE_CADRE,
    }[codes.level_of(region_code)]
    return Scope(actor=f"officer_{region_code}", region_code=region_code, role=role.value)


def complete_values(pack: Pack, region_code: str, period: int, **overrides: float) -> list[Entry]:
    """A value for every item the unit reports: the middle of its valid range, 是 for flags."""
    found = []
    for item in items(pack, codes.level_of(region_code), period, region_code):
        if item.key in overrides:
            value = overrides[item.key]
        elif item.is_flag:
            value = 1
        else:
            value = (item.valid[0] + item.valid[1]) / 2
        text = ("是" if value else "否") if item.is_flag else f"{value:g}"
        found.append(Entry(item=item.key, value=text))
    return found


def approved(
    session: Session, region_code: str, period: int, pack: Pack = PACK, **values: float
) -> None:
    """The unit's data set filled (``values`` over the defaults), submitted and approved."""
    unit = officer(region_code)
    datasets.save(
        session,
        scope=unit,
        pack=pack,
        period=period,
        region_code=region_code,
        entries=complete_values(pack, region_code, period, **values),
    )
    datasets.submit(session, scope=unit, pack=pack, period=period, region_code=region_code)
    above = Scope.system("approver")
    datasets.approve(session, scope=above, period=period, region_code=region_code)
