"""Realistic test data, built through the same service functions the app uses."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from yunong.core.auth import service as users
from yunong.core.auth.roles import Role
from yunong.core.identity import service as identity
from yunong.core.identity.codes import Kind
from yunong.core.regions.codes import Level
from yunong.core.regions.importers import load_districts
from yunong.core.regions.models import Region
from yunong.core.scope import Scope


@dataclass(frozen=True)
class Place:
    """A district with two towns, each with villages, as real codes."""

    district: str = "500101000000"  # 万州区
    town: str = "500101108000"  # 龙沙镇
    village: str = "500101108201"  # 龙沙镇 石坪村
    neighbour_village: str = "500101108202"  # 龙沙镇 复兴村
    other_town: str = "500101109000"  # 武陵镇
    other_town_village: str = "500101109201"  # 武陵镇 下中村
    other_district_village: str = "500102101201"  # 涪陵区 蔺市镇 凤阳村


def add_region(session: Session, code: str, name: str, parent: str) -> None:
    level = Level.TOWN if code.endswith("000") else Level.VILLAGE
    session.add(Region(code=code, name=name, level=int(level), parent_code=parent))


def make_place(session: Session) -> Place:
    place = Place()
    load_districts(session)
    add_region(session, place.town, "龙沙镇", place.district)
    add_region(session, place.village, "石坪村", place.town)
    add_region(session, place.neighbour_village, "复兴村", place.town)
    add_region(session, place.other_town, "武陵镇", place.district)
    add_region(session, place.other_town_village, "下中村", place.other_town)
    add_region(session, "500102101000", "蔺市镇", "500102000000")
    add_region(session, place.other_district_village, "凤阳村", "500102101000")
    session.flush()
    return place


@dataclass
class Account:
    role: Role
    user_id: int
    name: str
    region: str
    token: str


@dataclass
class World:
    """The place, one account per role bound inside it, and rows inside and outside scopes."""

    place: Place
    accounts: dict[Role, Account]
    code_in_village: str
    code_other_district: str
    user_in_village: int
    user_other_district: int


PASSWORD = "Yunong@2024"

ROLE_PLACES = {
    Role.CITY_ADMIN: "500000000000",
    Role.DISTRICT_OFFICER: Place.district,
    Role.TOWN_OFFICER: Place.town,
    Role.VILLAGE_CADRE: Place.village,
    Role.GRID_WORKER: Place.village,
    Role.COLLECTIVE_ACCOUNTANT: Place.village,
    Role.FINANCE_GROUP: Place.village,
    Role.BANK_VIEWER: Place.district,
    Role.PRODUCER: Place.village,
    Role.FARMER: Place.village,
}


def add_user(
    session: Session,
    name: str,
    role: Role,
    region: str,
    phone: str | None = None,
    household: str | None = None,
):
    return users.create(
        session,
        scope=Scope.system("factory"),
        user_in=users.UserIn(
            name=name,
            role=role.value,
            region_code=region,
            password=PASSWORD,
            full_name=f"{role.label}{name[-2:]}",
            phone=phone,
            household_code=household,
        ),
    )


def make_world(session: Session) -> World:
    place = make_place(session)
    system = Scope.system("factory")
    inside = identity.create(
        session,
        scope=system,
        kind=Kind.SUBJECT,
        region_code=place.village,
        entity_type="household",
        entity_id="1",
    )
    outside = identity.create(
        session,
        scope=system,
        kind=Kind.SUBJECT,
        region_code=place.other_district_village,
        entity_type="household",
        entity_id="2",
    )
    accounts = {}
    for role, region in ROLE_PLACES.items():
        household = inside if role == Role.FARMER else None
        user = add_user(session, f"{role.value}_01", role, region, household=household)
        token = users.create_token(session, scope=system, user_id=user.id)
        accounts[role] = Account(role, user.id, user.name, region, token)
    neighbour = add_user(
        session, "grid_shiping_02", Role.GRID_WORKER, place.village, phone="13912345678"
    )
    stranger = add_user(
        session,
        "grid_fengyang_01",
        Role.GRID_WORKER,
        place.other_district_village,
        phone="13787654321",
    )
    session.flush()
    return World(place, accounts, inside, outside, neighbour.id, stranger.id)
