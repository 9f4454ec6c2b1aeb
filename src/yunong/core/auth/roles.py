"""Roles: who a user is, at which level they work and what they may do there."""

from enum import StrEnum

from yunong.core.errors import InvalidValue
from yunong.core.regions.codes import Level


class Role(StrEnum):
    CITY_ADMIN = "city_admin"
    DISTRICT_OFFICER = "district_officer"
    TOWN_OFFICER = "town_officer"
    VILLAGE_CADRE = "village_cadre"
    GRID_WORKER = "grid_worker"
    COLLECTIVE_ACCOUNTANT = "collective_accountant"
    FINANCE_GROUP = "finance_group"
    BANK_VIEWER = "bank_viewer"
    PRODUCER = "producer"
    FARMER = "farmer"

    @property
    def label(self) -> str:
        return LABELS[self]

    @property
    def levels(self) -> frozenset[Level]:
        """The region levels a user of this role may be bound to."""
        return LEVELS[self]

    @property
    def can_write(self) -> bool:
        """Whether the role may change rows of its region; a producer changes only its own
        products and a farmer only their own household's orders and consents, which the
        applications check themselves."""
        return self not in (Role.BANK_VIEWER, Role.PRODUCER, Role.FARMER)

    @property
    def can_view_personal_data(self) -> bool:
        """Whether the role may open a person's whole record (every such view is audited)."""
        return self in PERSONAL_DATA_ROLES

    @property
    def can_manage_users(self) -> bool:
        return self in USER_MANAGERS

    @classmethod
    def from_name(cls, name: str) -> "Role":
        """A role by its English id or its Chinese name."""
        key = name.strip()
        for role in cls:
            if key in (role.value, role.label):
                return role
        choices = "、".join(f"{role.label}（{role.value}）" for role in cls)
        raise InvalidValue(f"角色“{name}”不存在，可选：{choices}")


LABELS = {
    Role.CITY_ADMIN: "市级管理员",
    Role.DISTRICT_OFFICER: "区县干部",
    Role.TOWN_OFFICER: "乡镇干部",
    Role.VILLAGE_CADRE: "村干部",
    Role.GRID_WORKER: "网格员",
    Role.COLLECTIVE_ACCOUNTANT: "集体会计",
    Role.FINANCE_GROUP: "民主理财小组",
    Role.BANK_VIEWER: "银行查看",
    Role.PRODUCER: "生产经营主体",
    Role.FARMER: "农户",
}

LEVELS = {
    Role.CITY_ADMIN: frozenset({Level.CITY}),
    Role.DISTRICT_OFFICER: frozenset({Level.DISTRICT}),
    Role.TOWN_OFFICER: frozenset({Level.TOWN}),
    Role.VILLAGE_CADRE: frozenset({Level.VILLAGE}),
    Role.GRID_WORKER: frozenset({Level.VILLAGE}),
    # Many towns keep the villages' books centrally (村账乡代管).
    Role.COLLECTIVE_ACCOUNTANT: frozenset({Level.TOWN, Level.VILLAGE}),
    # Members elected to check the village's accounts before each disclosure (财务公开).
    Role.FINANCE_GROUP: frozenset({Level.VILLAGE}),
    Role.BANK_VIEWER: frozenset({Level.CITY, Level.DISTRICT, Level.TOWN}),
    # Farms and co-ops are registered in a village or town, companies often in a district.
    Role.PRODUCER: frozenset({Level.DISTRICT, Level.TOWN, Level.VILLAGE}),
    # A farmer's account acts for one household of its village (User.household_code).
    Role.FARMER: frozenset({Level.VILLAGE}),
}

PERSONAL_DATA_ROLES = frozenset(
    {
        Role.CITY_ADMIN,
        Role.DISTRICT_OFFICER,
        Role.TOWN_OFFICER,
        Role.VILLAGE_CADRE,
        Role.GRID_WORKER,
    }
)
USER_MANAGERS = frozenset({Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.TOWN_OFFICER})
