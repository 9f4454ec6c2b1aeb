"""Who may do what in monitoring: reading needs a monitoring role, each step its own role.

Region scope is checked by ``Scope`` as everywhere; these checks add the role. A role
that does not own a step is refused with 403 and the name of the role that does.
"""

from collections.abc import Iterable

from yunong.core.auth.roles import Role
from yunong.core.errors import Forbidden
from yunong.core.scope import Scope

READERS = frozenset(
    {
        Role.CITY_ADMIN,
        Role.DISTRICT_OFFICER,
        Role.TOWN_OFFICER,
        Role.VILLAGE_CADRE,
        Role.GRID_WORKER,
    }
)
"""Roles that work with monitored households; others never see them (personal data)."""

VISITORS = frozenset({Role.GRID_WORKER, Role.VILLAGE_CADRE, Role.TOWN_OFFICER})
"""Roles that visit households (走访) and record what they found."""


class WrongRole(Forbidden):
    """A step taken by a role that does not own it."""


def is_system(scope: Scope) -> bool:
    """Command-line maintenance and demo builds act without a role."""
    return scope.role is None


def require_reader(scope: Scope) -> None:
    if not is_system(scope) and scope.role not in READERS:
        raise WrongRole("您的角色不能查看防返贫监测数据")


def require_role(scope: Scope, owners: Iterable[Role], what: str) -> None:
    """Refuse unless the caller holds one of ``owners`` (or is the command line)."""
    allowed = list(owners)
    if is_system(scope) or scope.role in allowed:
        return
    names = "或".join(role.label for role in allowed)
    raise WrongRole("“{what}”由{names}办理，您的角色不能办理", what=what, names=names)
