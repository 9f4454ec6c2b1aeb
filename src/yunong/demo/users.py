"""One demo account per role, in the first district's first town and village; and a grid
worker in every other village that the monitoring demo needs one in."""

from collections.abc import Iterable

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from yunong.core.audit import service as audit
from yunong.core.auth import service as users
from yunong.core.auth.models import User
from yunong.core.auth.passwords import hash_password
from yunong.core.auth.roles import Role
from yunong.core.regions.codes import CITY_CODE, Level
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.land.models import Parcel

DEMO_PASSWORD = "Yunong@2024"
DEMO_DISTRICT = "500101000000"  # 万州区

ACCOUNTS = (
    ("demo_city", Role.CITY_ADMIN, "city", "重庆市管理员"),
    ("demo_district", Role.DISTRICT_OFFICER, "district", "万州区干部"),
    ("demo_town", Role.TOWN_OFFICER, "town", "乡镇干部"),
    ("demo_village", Role.VILLAGE_CADRE, "village", "村干部"),
    ("demo_grid", Role.GRID_WORKER, "village", "网格员"),
    ("demo_accountant", Role.COLLECTIVE_ACCOUNTANT, "village", "集体会计"),
    ("demo_finance", Role.FINANCE_GROUP, "village", "民主理财小组"),
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


FARMER_NAME = "demo_farmer"


def create_demo_farmer(session: Session) -> tuple[str, str, str, str] | None:
    """A 农户 account for the demo village's household with the most grain parcels, so
    that 种粮宝 shows several fields; none when the village has no grain parcels."""
    village = demo_regions(session)["village"]
    holder = session.execute(
        select(Parcel.holder_code)
        .where(
            Parcel.village_code == village,
            Parcel.current_use == "grain",
            Parcel.holder_code.like("P%"),
        )
        .group_by(Parcel.holder_code)
        .order_by(func.count().desc(), Parcel.holder_code)
        .limit(1)
    ).scalar()
    if holder is None:
        return None
    users.create(
        session,
        scope=Scope.system("demo"),
        user_in=users.UserIn(
            name=FARMER_NAME,
            role=Role.FARMER.value,
            region_code=village,
            password=DEMO_PASSWORD,
            full_name="种粮农户",
            household_code=holder,
        ),
    )
    return (FARMER_NAME, DEMO_PASSWORD, Role.FARMER.label, village)


GRID_WORKER_NAME = "网格员"


def grid_worker_name(village: str) -> str:
    """The demo's grid worker of ``village`` (outside the demo village, whose is ``demo_grid``)."""
    return f"grid_{village}"


def create_grid_workers(session: Session, villages: Iterable[str]) -> None:
    """A grid worker account in each of ``villages`` that has none of that name yet.

    Thousands of villages would take minutes through :func:`users.create`, which hashes
    each password on its own; these rows are what it writes (tests/demo/test_writers_match
    compares them), with the demo password hashed once for all of them.
    """
    wanted = sorted({grid_worker_name(village) for village in villages})
    taken = set(session.scalars(select(User.name).where(User.name.in_(wanted))))
    new = [name for name in wanted if name not in taken]
    if not new:
        return
    password_hash = hash_password(DEMO_PASSWORD)
    session.execute(
        insert(User),
        [
            {
                "name": name,
                "full_name": GRID_WORKER_NAME,
                "role": Role.GRID_WORKER.value,
                "region_code": name.removeprefix("grid_"),
                "phone": None,
                "password_hash": password_hash,
                "disabled": False,
            }
            for name in new
        ],
    )
    audit.record(
        session,
        scope=Scope.system("demo"),
        action="user.create",
        target_type="user",
        target_id=f"{new[0]}..{new[-1]}",
        region_code=None,
        after={"names": new},
        detail=f"演示网格员账号 {len(new)} 个",
    )
