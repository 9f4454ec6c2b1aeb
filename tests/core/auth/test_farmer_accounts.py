"""A 农户 account acts for one registered household of its own village, and for nobody else."""

import pytest

from tests.factories import add_user, make_world
from yunong.core.auth import service as users
from yunong.core.auth.roles import Role
from yunong.core.errors import InvalidValue
from yunong.core.scope import Scope

SYSTEM = Scope.system("test")


def test_a_farmer_account_carries_its_household_into_its_scope(session):
    world = make_world(session)
    farmer = users.get(session, scope=SYSTEM, user_id=world.accounts[Role.FARMER].user_id)
    scope = users.scope_of(farmer)
    assert scope.household_code == world.code_in_village
    assert not scope.can_write
    assert not scope.can_view_personal_data


def test_a_farmer_account_needs_a_household(session):
    world = make_world(session)
    with pytest.raises(InvalidValue, match="农户账号须填写所代表农户的全农码"):
        add_user(session, "farmer_02", Role.FARMER, world.place.village)


def test_a_farmer_account_is_refused_a_household_of_another_village(session):
    world = make_world(session)
    with pytest.raises(InvalidValue, match=f"全农码“{world.code_other_district}”不是"):
        add_user(
            session, "farmer_02", Role.FARMER, world.place.village,
            household=world.code_other_district,
        )  # fmt: skip


def test_a_staff_account_is_bound_to_no_household(session):
    world = make_world(session)
    with pytest.raises(InvalidValue, match="只有农户账号绑定农户的全农码"):
        add_user(
            session, "grid_02", Role.GRID_WORKER, world.place.village,
            household=world.code_in_village,
        )  # fmt: skip


def test_a_farmer_account_never_becomes_a_staff_account(session):
    world = make_world(session)
    with pytest.raises(InvalidValue, match="农户账号不能改变角色或区划"):
        users.set_role(
            session, scope=SYSTEM, user_id=world.accounts[Role.FARMER].user_id,
            role=Role.GRID_WORKER.value,
        )  # fmt: skip
