"""One demo account per role, in the first district's first town and village."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.auth import service as users
from yunong.core.auth.roles import Role
from yunong.core.regions.codes import CITY_CODE, Level
from yunong.core.regions.models import Region
from yunong.core.scope import Scope

DEMO_PASSWORD = "Yunong@2024"
DEMO_DISTRICT = "500101000000"  # 万州区

ACCOUNTS = (
    ("demo_city", Role.CITY_ADMIN, "city", "重庆市管理员"),
    ("demo_district", Role.DISTRICT_OFFICER, "district", "万州区干部"),
    ("demo_town", Role.TOWN_OFFICER, "town", "乡镇干部"),
    ("demo_village", Role.VILLAGE_CADRE, "village", "村干部"),
    ("demo_grid", Role.GRID_WORKER, "village", "网格员"),
    ("demo_accountant", Role.COLLECTIVE_ACCOUNTANT, "village", "集体会计"),
    ("demo_bank", Role.BANK_VIEWER, "district", "银行客户经理"),
)


def demo_regions(session: Session) -> dict[str, str]:
    """The city, the first district, its first town that has villages, and its first village."""
    village = session.scalars(
        select(Region)
        .where(
            Region.level == int(Level.VILLAGE),
            Region.code.startswith(DEMO_DISTRICT[:6]),
            Region.urban_rural_class == "220",
        )
        .order_by(Region.code)
    ).first()
    if village is None or village.parent_code is None:
        raise LookupError("演示区县中没有村")
    return {
        "city": CITY_CODE,
        "district": DEMO_DISTRICT,
        "town": village.parent_code,
        "village": village.code,
    }


def create_demo_users(session: Session) -> list[tuple[str, str, str, str]]:
    """Create the accounts; returns (name, password, role label, region code) for each."""
    places = demo_regions(session)
    scope = Scope.system("demo")
    created = []
    for name, role, level, full_name in ACCOUNTS:
        users.create(
            session,
            scope=scope,
            user_in=users.UserIn(
                name=name,
                role=role.value,
                region_code=places[level],
                password=DEMO_PASSWORD,
                full_name=full_name,
                phone="13800000000",
            ),
        )
        created.append((name, DEMO_PASSWORD, role.label, places[level]))
    return created
