"""Users: roles bound to the right level, passwords, lockout, sessions, tokens, scope."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import PASSWORD, add_user, make_place, make_world
from yunong.core.auth import passwords, sessions, throttle
from yunong.core.auth import service as users
from yunong.core.auth.models import ApiToken
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, Forbidden, InvalidValue, NotFound
from yunong.core.scope import Scope
from yunong.demo.users import DEMO_PASSWORD
from yunong.store.base import utcnow

SYSTEM = Scope.system("test")
GUESSER = "203.0.113.9"
OWNER = "198.51.100.20"


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


def test_five_wrong_passwords_lock_the_name_for_that_client_only(session):
    place = make_place(session)
    add_user(session, "cadre", Role.VILLAGE_CADRE, place.village)
    for _ in range(throttle.FREE_FAILURES):
        with pytest.raises(users.LoginRefused, match="用户名或密码错误"):
            users.authenticate(session, name="cadre", password="wrong-password", client=GUESSER)
    with pytest.raises(users.LoginRefused, match="登录失败次数过多") as refused:
        users.authenticate(session, name="cadre", password=PASSWORD, client=GUESSER)
    assert refused.value.retry_minutes == 1
    assert (
        users.authenticate(session, name="cadre", password=PASSWORD, client=OWNER).name == "cadre"
    )


def test_the_lock_lifts_after_its_time(session):
    place = make_place(session)
    add_user(session, "cadre", Role.VILLAGE_CADRE, place.village)
    for _ in range(throttle.FREE_FAILURES):
        with pytest.raises(users.LoginRefused):
            users.authenticate(session, name="cadre", password="wrong-password", client=GUESSER)
    later = utcnow() + throttle.FIRST_LOCK + timedelta(seconds=1)
    found = users.authenticate(session, name="cadre", password=PASSWORD, client=GUESSER, now=later)
    assert found.name == "cadre"


def test_each_further_failure_doubles_the_lock_up_to_a_day():
    assert [throttle.lock_for(n) for n in (4, 5, 6, 7)] == [
        timedelta(0), timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)
    ]  # fmt: skip
    assert throttle.lock_for(40) == timedelta(days=1)


def test_a_failure_after_the_lock_ran_out_locks_for_twice_as_long(session):
    place = make_place(session)
    add_user(session, "cadre", Role.VILLAGE_CADRE, place.village)
    moment = utcnow()
    for _ in range(throttle.FREE_FAILURES):
        with pytest.raises(users.LoginRefused):
            users.authenticate(
                session, name="cadre", password="wrong-password", client=GUESSER, now=moment
            )
    moment += throttle.FIRST_LOCK + timedelta(seconds=1)
    with pytest.raises(users.LoginRefused, match="用户名或密码错误"):
        users.authenticate(
            session, name="cadre", password="wrong-password", client=GUESSER, now=moment
        )
    with pytest.raises(users.LoginRefused, match="登录失败次数过多") as refused:
        users.authenticate(session, name="cadre", password=PASSWORD, client=GUESSER, now=moment)
    assert refused.value.retry_minutes == 2


def test_an_unknown_name_is_answered_and_locked_like_a_known_one(session):
    answers = []
    for _ in range(throttle.FREE_FAILURES + 1):
        with pytest.raises(users.LoginRefused) as refused:
            users.authenticate(session, name="nobody", password="wrong-password", client=GUESSER)
        answers.append(refused.value.message)
    assert answers == [users.LOGIN_REFUSED] * throttle.FREE_FAILURES + [users.LOGIN_LOCKED]


class CountingHasher:
    """The real hasher, noting which hash each check was against."""

    def __init__(self, hasher):
        self.hasher, self.checked = hasher, []

    def verify(self, hash_, password):
        self.checked.append(hash_)
        return self.hasher.verify(hash_, password)


def test_an_unknown_name_costs_one_password_check_like_a_known_one(session, monkeypatch):
    counting = CountingHasher(passwords.HASHER)
    monkeypatch.setattr(passwords, "HASHER", counting)
    with pytest.raises(users.LoginRefused):
        users.authenticate(session, name="nobody", password="wrong-password", client=GUESSER)
    assert counting.checked == [passwords.DUMMY_HASH]


def test_a_disabled_account_gets_the_same_answer_for_a_right_and_a_wrong_password(session):
    world = make_world(session)
    users.set_disabled(session, scope=SYSTEM, user_id=world.user_in_village, disabled=True)
    answers = set()
    for password in (PASSWORD, "wrong-password"):
        with pytest.raises(users.LoginRefused) as refused:
            users.authenticate(session, name="grid_shiping_02", password=password, client=OWNER)
        answers.add(refused.value.message)
    assert answers == {users.LOGIN_REFUSED}


@pytest.mark.parametrize("password", ["12345678", "123456789", "Yunong@24"])
def test_a_password_shorter_than_ten_characters_is_refused(password):
    with pytest.raises(InvalidValue, match="密码至少 10 位"):
        passwords.check_policy(password)


@pytest.mark.parametrize("password", ["1234567890", "qwertyuiop", "password123", "PASSWORD123"])
def test_a_common_password_is_refused(password):
    with pytest.raises(InvalidValue, match="过于常见"):
        passwords.check_policy(password)


@pytest.mark.parametrize(
    "password", ["Another@2024", "chongqing123", "liming123456", "aaaaaaaaaaaa"]
)
def test_an_easily_guessed_password_is_refused(password):
    with pytest.raises(InvalidValue, match="太容易猜到"):
        passwords.check_policy(password, user_inputs=("liming",))


def test_the_demo_and_test_passwords_meet_the_policy():
    for password in {PASSWORD, DEMO_PASSWORD}:
        passwords.check_policy(password)


def test_a_new_user_with_a_common_password_is_refused(session):
    place = make_place(session)
    with pytest.raises(InvalidValue, match="密码至少 10 位"):
        users.create(
            session,
            scope=SYSTEM,
            user_in=users.UserIn(
                name="weak", role="village_cadre", region_code=place.village, password="12345678"
            ),
        )


def test_a_disabled_user_cannot_log_in(session):
    world = make_world(session)
    users.set_disabled(session, scope=SYSTEM, user_id=world.user_in_village, disabled=True)
    with pytest.raises(users.LoginRefused, match="用户名或密码错误"):
        users.authenticate(session, name="grid_shiping_02", password=PASSWORD)


def test_a_token_finds_its_user_and_stops_working_when_the_user_is_disabled(session):
    world = make_world(session)
    token = users.create_token(session, scope=SYSTEM, user_id=world.user_in_village)
    assert users.get_by_token(session, token=token).id == world.user_in_village
    users.set_disabled(session, scope=SYSTEM, user_id=world.user_in_village, disabled=True)
    assert users.get_by_token(session, token=token) is None


def open_sessions_of(session, user) -> list[str]:
    return [sessions.open_session(session, user=user, hours=8) for _ in range(2)]


def test_changing_the_password_ends_every_open_session(session):
    world = make_world(session)
    user = users.get(session, scope=SYSTEM, user_id=world.user_in_village)
    secrets = open_sessions_of(session, user)
    users.set_password(session, scope=SYSTEM, user_id=user.id, password="another-Secret1")
    assert [sessions.find(session, secret=secret) for secret in secrets] == [None, None]


def test_disabling_a_user_ends_every_open_session(session):
    world = make_world(session)
    user = users.get(session, scope=SYSTEM, user_id=world.user_in_village)
    secrets = open_sessions_of(session, user)
    users.set_disabled(session, scope=SYSTEM, user_id=user.id, disabled=True)
    users.set_disabled(session, scope=SYSTEM, user_id=user.id, disabled=False)
    assert [sessions.find(session, secret=secret) for secret in secrets] == [None, None]


def test_a_role_change_ends_every_open_session(session):
    world = make_world(session)
    user = users.get(session, scope=SYSTEM, user_id=world.user_in_village)
    secrets = open_sessions_of(session, user)
    users.set_role(session, scope=SYSTEM, user_id=user.id, role="村干部")
    assert user.role == Role.VILLAGE_CADRE.value
    assert [sessions.find(session, secret=secret) for secret in secrets] == [None, None]


def test_logging_out_ends_only_that_session(session):
    world = make_world(session)
    user = users.get(session, scope=SYSTEM, user_id=world.user_in_village)
    first, second = open_sessions_of(session, user)
    sessions.end(session, secret=first)
    assert sessions.find(session, secret=first) is None
    assert sessions.find(session, secret=second)[1].id == user.id


def test_a_session_ends_when_its_hours_are_over(session):
    world = make_world(session)
    user = users.get(session, scope=SYSTEM, user_id=world.user_in_village)
    secret = sessions.open_session(session, user=user, hours=8)
    later = utcnow() + timedelta(hours=8, seconds=1)
    assert sessions.find(session, secret=secret, now=later) is None


def test_a_token_use_is_recorded_at_most_once_a_minute(session):
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
    assert timedelta(minutes=1) == users.TOKEN_USE_STEP


def test_a_token_stops_working_when_its_days_are_over(session):
    world = make_world(session)
    token = users.create_token(session, scope=SYSTEM, user_id=world.user_in_village, days=30)
    assert users.get_by_token(session, token=token, now=utcnow() + timedelta(days=29))
    assert (
        users.get_by_token(session, token=token, now=utcnow() + timedelta(days=30, hours=1)) is None
    )


def test_a_token_lasts_ninety_days_unless_told_otherwise(session):
    world = make_world(session)
    users.create_token(session, scope=SYSTEM, user_id=world.user_in_village, label="报表同步")
    stored = users.get_tokens(session, scope=SYSTEM, user_id=world.user_in_village)[0]
    lasts = throttle.as_aware(stored.expires_at) - throttle.as_aware(stored.created_at)
    assert lasts == timedelta(days=90)
    assert stored.label == "报表同步"


def test_one_token_is_revoked_and_the_others_keep_working(session):
    world = make_world(session)
    kept = users.create_token(session, scope=SYSTEM, user_id=world.user_in_village)
    dropped = users.create_token(session, scope=SYSTEM, user_id=world.user_in_village)
    newest = users.get_tokens(session, scope=SYSTEM, user_id=world.user_in_village)[0]
    users.revoke_token(session, scope=SYSTEM, user_id=world.user_in_village, token_id=newest.id)
    assert users.get_by_token(session, token=dropped) is None
    assert users.get_by_token(session, token=kept).id == world.user_in_village
    assert users.token_state(newest) == "已吊销"


def test_a_token_of_another_user_cannot_be_revoked_through_this_one(session):
    world = make_world(session)
    users.create_token(session, scope=SYSTEM, user_id=world.user_other_district)
    theirs = users.get_tokens(session, scope=SYSTEM, user_id=world.user_other_district)[0]
    with pytest.raises(NotFound, match="没有编号为"):
        users.revoke_token(session, scope=SYSTEM, user_id=world.user_in_village, token_id=theirs.id)


def test_a_password_reset_revokes_every_token(session):
    world = make_world(session)
    token = users.create_token(session, scope=SYSTEM, user_id=world.user_in_village)
    users.set_password(
        session, scope=SYSTEM, user_id=world.user_in_village, password="another-Secret1"
    )
    assert users.get_by_token(session, token=token) is None


def test_enabling_a_disabled_user_again_does_not_revive_their_tokens(session):
    world = make_world(session)
    token = users.create_token(session, scope=SYSTEM, user_id=world.user_in_village)
    users.set_disabled(session, scope=SYSTEM, user_id=world.user_in_village, disabled=True)
    users.set_disabled(session, scope=SYSTEM, user_id=world.user_in_village, disabled=False)
    assert users.get_by_token(session, token=token) is None


def test_a_user_cannot_issue_tokens_for_a_peer(session):
    world = make_world(session)
    peer = add_user(session, "town_peer", Role.TOWN_OFFICER, world.place.town)
    with pytest.raises(Forbidden, match="同级"):
        users.create_token(
            session, scope=scope_for(session, world, Role.TOWN_OFFICER), user_id=peer.id
        )


def scope_for(session, world, role: Role) -> Scope:
    return users.scope_of(users.get(session, scope=SYSTEM, user_id=world.accounts[role].user_id))


def test_a_town_officer_cannot_disable_a_peer_officer_of_the_same_town(session):
    world = make_world(session)
    peer = add_user(session, "town_peer", Role.TOWN_OFFICER, world.place.town)
    with pytest.raises(Forbidden, match="同级"):
        users.set_disabled(
            session, scope=scope_for(session, world, Role.TOWN_OFFICER), user_id=peer.id,
            disabled=True,
        )  # fmt: skip
    assert not peer.disabled


def test_a_district_officer_cannot_disable_a_peer_officer_of_the_same_district(session):
    world = make_world(session)
    peer = add_user(session, "district_peer", Role.DISTRICT_OFFICER, world.place.district)
    with pytest.raises(Forbidden, match="同级"):
        users.set_disabled(
            session, scope=scope_for(session, world, Role.DISTRICT_OFFICER), user_id=peer.id,
            disabled=True,
        )  # fmt: skip


def test_a_district_officer_cannot_create_a_peer_officer(session):
    world = make_world(session)
    with pytest.raises(Forbidden, match="同级"):
        users.create(
            session,
            scope=scope_for(session, world, Role.DISTRICT_OFFICER),
            user_in=users.UserIn(
                name="district_new", role="district_officer",
                region_code=world.place.district, password=PASSWORD,
            ),
        )  # fmt: skip


def test_a_town_officer_cannot_reset_a_peer_officers_password(session):
    world = make_world(session)
    peer = add_user(session, "town_peer", Role.TOWN_OFFICER, world.place.town)
    with pytest.raises(Forbidden, match="同级"):
        users.set_password(
            session, scope=scope_for(session, world, Role.TOWN_OFFICER), user_id=peer.id,
            password="Another-Secret-2024",
        )  # fmt: skip


def test_a_town_officer_disables_a_grid_worker_of_a_village_below(session):
    world = make_world(session)
    scope = scope_for(session, world, Role.TOWN_OFFICER)
    user = users.set_disabled(session, scope=scope, user_id=world.user_in_village, disabled=True)
    assert user.disabled


def test_a_district_officer_manages_the_bank_viewer_bound_at_the_district(session):
    world = make_world(session)
    scope = scope_for(session, world, Role.DISTRICT_OFFICER)
    bank = world.accounts[Role.BANK_VIEWER].user_id
    assert users.set_disabled(session, scope=scope, user_id=bank, disabled=True).disabled


def test_the_city_admin_may_disable_another_city_admin(session):
    world = make_world(session)
    other = add_user(session, "city_other", Role.CITY_ADMIN, "500000000000")
    scope = scope_for(session, world, Role.CITY_ADMIN)
    assert users.set_disabled(session, scope=scope, user_id=other.id, disabled=True).disabled
