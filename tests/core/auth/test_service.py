"""Users: roles bound to the right level, passwords, lockout, tokens, scope."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import PASSWORD, add_user, make_place, make_world
from yunong.core.auth import service as users
from yunong.core.auth.models import ApiToken
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, Forbidden, InvalidValue, NotFound
from yunong.core.scope import Scope
from yunong.store.base import utcnow

SYSTEM = Scope.system("test")


def test_a_role_is_found_by_its_chinese_name_or_english_id():
    assert Role.from_name("村干部") is Role.from_name("village_cadre") is Role.VILLAGE_CADRE


def test_an_unknown_role_lists_the_choices():
    with pytest.raises(InvalidValue, match="可选：市级管理员（city_admin）"):
        Role.from_name("村长")


def test_a_user_is_bound_to_a_region_of_the_level_its_role_works_at(session):
    place = make_place(session)
    with pytest.raises(InvalidValue, match="村干部应绑定到村级区划，龙沙镇是乡镇级"):
        add_user(session, "cadre", Role.VILLAGE_CADRE, place.town)


def test_passwords_are_stored_as_argon2_hashes(session):
    place = make_place(session)
    user = add_user(session, "cadre", Role.VILLAGE_CADRE, place.village)
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_user_names_are_unique(session):
    place = make_place(session)
    add_user(session, "cadre", Role.VILLAGE_CADRE, place.village)
    with pytest.raises(Conflict, match="用户名“cadre”已存在"):
        add_user(session, "cadre", Role.GRID_WORKER, place.village)


def test_a_town_officer_cannot_create_users_in_another_town(session):
    world = make_world(session)
    town_officer = users.scope_of(
        users.get(session, scope=SYSTEM, user_id=world.accounts[Role.TOWN_OFFICER].user_id)
    )
    with pytest.raises(NotFound):
        users.create(
            session,
            scope=town_officer,
            user_in=users.UserIn(
                name="x",
                role="grid_worker",
                region_code=world.place.other_town_village,
                password=PASSWORD,
            ),
        )


def test_a_village_cadre_cannot_manage_users(session):
    world = make_world(session)
    cadre = users.scope_of(
        users.get(session, scope=SYSTEM, user_id=world.accounts[Role.VILLAGE_CADRE].user_id)
    )
    with pytest.raises(Forbidden, match="不能管理用户"):
        users.get_all(session, scope=cadre)


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(session):
    place = make_place(session)
    add_user(session, "cadre", Role.VILLAGE_CADRE, place.village)
    for _ in range(users.MAX_FAILED_LOGINS):
        with pytest.raises(users.LoginRefused, match="用户名或密码错误"):
            users.authenticate(session, name="cadre", password="wrong-password")
    with pytest.raises(users.LoginRefused, match="已锁定"):
        users.authenticate(session, name="cadre", password=PASSWORD)


def test_the_lock_lifts_after_its_time(session):
    place = make_place(session)
    add_user(session, "cadre", Role.VILLAGE_CADRE, place.village)
    for _ in range(users.MAX_FAILED_LOGINS):
        with pytest.raises(users.LoginRefused):
            users.authenticate(session, name="cadre", password="wrong-password")
    later = utcnow() + users.LOCKOUT + timedelta(seconds=1)
    assert users.authenticate(session, name="cadre", password=PASSWORD, now=later).name == "cadre"


def test_a_disabled_user_cannot_log_in(session):
    world = make_world(session)
    users.set_disabled(session, scope=SYSTEM, user_id=world.user_in_village, disabled=True)
    with pytest.raises(users.LoginRefused, match="已停用"):
        users.authenticate(session, name="grid_shiping_02", password=PASSWORD)


def test_a_token_finds_its_user_and_stops_working_when_the_user_is_disabled(session):
    world = make_world(session)
    token = users.create_token(session, scope=SYSTEM, user_id=world.user_in_village)
    assert users.get_by_token(session, token=token).id == world.user_in_village
    users.set_disabled(session, scope=SYSTEM, user_id=world.user_in_village, disabled=True)
    assert users.get_by_token(session, token=token) is None


def test_changing_the_password_ends_open_sessions(session):
    world = make_world(session)
    user = users.get(session, scope=SYSTEM, user_id=world.user_in_village)
    epoch = user.session_epoch
    users.set_password(session, scope=SYSTEM, user_id=user.id, password="another-Secret1")
    assert user.session_epoch == epoch + 1


def test_a_token_use_is_recorded_at_most_once_in_a_few_minutes(session):
    place = make_place(session)
    user = add_user(session, "town_token", Role.TOWN_OFFICER, place.town)
    token = users.create_token(session, scope=SYSTEM, user_id=user.id)
    stored = session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).one()

    users.record_token_use(session, token=token)
    session.refresh(stored)
    first = stored.last_used_at
    users.record_token_use(session, token=token)
    session.refresh(stored)

    assert first is not None
    assert stored.last_used_at == first
