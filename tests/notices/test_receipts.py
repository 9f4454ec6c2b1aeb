"""A notice reaches every user of its roles inside the publishing office's region; opening it
is the receipt: the reader's 待办 item goes and the office's count of readers rises."""

import pytest

from tests.factories import add_user, make_world
from tests.notices.factories import TITLE, TODAY, published, scope_of
from yunong.core.auth import service as users
from yunong.core.auth.roles import Role
from yunong.core.errors import NotFound
from yunong.core.scope import Scope
from yunong.notices import receipts, service
from yunong.notices.todo import todo

DISTRICT_ROLES = [role for role in service.ADDRESSED if role is not Role.CITY_ADMIN]
"""Every account of the world bound inside 万州区 that notices are sent to."""


def waiting(session, scope) -> dict[str, list[str]]:
    return {kind.action: [item.subject for item in kind.items] for kind in todo(session, scope)}


def summary(session, world, notice) -> receipts.Receipts:
    office = scope_of(session, world, Role.DISTRICT_OFFICER)
    roles = service.audience(session, notice)
    return receipts.summarise(session, scope=office, notice=notice, roles=roles)


@pytest.mark.parametrize("role", DISTRICT_ROLES, ids=lambda role: role.value)
def test_a_district_notice_to_all_roles_waits_to_be_signed_by_every_account_in_the_district(
    session, role
):
    world = make_world(session)
    published(session, world)
    assert waiting(session, scope_of(session, world, role))["签收通知"] == [TITLE]


def test_a_district_notice_does_not_reach_the_city_or_another_district(session):
    world = make_world(session)
    published(session, world)
    assert waiting(session, scope_of(session, world, Role.CITY_ADMIN))["签收通知"] == []
    stranger = users.scope_of(
        users.get(session, scope=Scope.system(), user_id=world.user_other_district)
    )
    assert waiting(session, stranger)["签收通知"] == []


def test_opening_the_notice_signs_for_it_and_the_item_leaves_the_readers_list(session):
    world = make_world(session)
    notice = published(session, world)
    accountant = scope_of(session, world, Role.COLLECTIVE_ACCOUNTANT)
    opened = service.open_notice(session, scope=accountant, notice_id=notice.id)
    assert opened.first_read and opened.read_at is not None
    assert waiting(session, accountant)["签收通知"] == []


def test_each_reading_raises_the_offices_count_of_readers(session):
    world = make_world(session)
    notice = published(session, world)
    before = summary(session, world, notice)
    assert (before.read, before.total) == (0, 9)
    service.open_notice(
        session, scope=scope_of(session, world, Role.BANK_VIEWER), notice_id=notice.id
    )
    after = summary(session, world, notice)
    assert (after.read, after.total) == (1, 9)
    assert "bank_viewer_01" not in [person.name for person in after.unread]


def test_opening_it_again_keeps_the_first_receipt(session):
    world = make_world(session)
    notice = published(session, world)
    grid = scope_of(session, world, Role.GRID_WORKER)
    first = service.open_notice(session, scope=grid, notice_id=notice.id)
    again = service.open_notice(session, scope=grid, notice_id=notice.id)
    assert not again.first_read and again.read_at == first.read_at
    assert summary(session, world, notice).read == 1


def test_the_office_opening_its_own_notice_signs_for_it_as_a_recipient(session):
    world = make_world(session)
    notice = published(session, world)
    office = scope_of(session, world, Role.DISTRICT_OFFICER)
    assert service.open_notice(session, scope=office, notice_id=notice.id).recipient
    assert summary(session, world, notice).read == 1


def test_receipts_are_counted_by_town_and_name_who_has_not_read_without_phones(session):
    world = make_world(session)
    notice = published(session, world)
    service.open_notice(
        session, scope=scope_of(session, world, Role.TOWN_OFFICER), notice_id=notice.id
    )
    found = summary(session, world, notice)
    by_region = {row.name: (row.read, row.total) for row in found.by_region}
    # The district officer and the bank viewer are bound to the district itself; the other
    # six work in 龙沙镇 (the town officer and the five accounts of 石坪村).
    assert by_region == {"万州区": (0, 2), "龙沙镇": (1, 7)}
    unread = {person.name: person for person in found.unread}
    assert "town_officer_01" not in unread and "grid_shiping_02" in unread
    assert unread["grid_shiping_02"].region_name == "龙沙镇"
    assert not any("1391234" in str(vars(person)) for person in found.unread)


def test_a_notice_for_chosen_roles_waits_only_on_those_roles(session):
    world = make_world(session)
    published(session, world, roles=(Role.GRID_WORKER.value, Role.VILLAGE_CADRE.value))
    assert waiting(session, scope_of(session, world, Role.GRID_WORKER))["签收通知"] == [TITLE]
    assert waiting(session, scope_of(session, world, Role.BANK_VIEWER))["签收通知"] == []
    office = scope_of(session, world, Role.DISTRICT_OFFICER)
    assert waiting(session, office)["签收通知"] == []


def test_a_disabled_account_is_no_longer_waited_for(session):
    world = make_world(session)
    notice = published(session, world)
    users.set_disabled(session, scope=Scope.system(), user_id=world.user_in_village, disabled=True)
    assert summary(session, world, notice).total == 8


def test_an_account_created_after_publishing_receives_the_notice_too(session):
    world = make_world(session)
    notice = published(session, world)
    newcomer = add_user(session, "grid_shiping_03", Role.GRID_WORKER, world.place.village)
    assert waiting(session, users.scope_of(newcomer))["签收通知"] == [TITLE]
    assert summary(session, world, notice).total == 10


def test_a_notice_without_a_deadline_is_to_be_read_rather_than_signed(session):
    world = make_world(session)
    published(session, world, due_on="")
    grid = waiting(session, scope_of(session, world, Role.GRID_WORKER))
    assert grid["阅读通知"] == [TITLE] and grid["签收通知"] == []


@pytest.mark.parametrize(
    ("due_on", "level"), [("2024-11-30", "green"), ("2024-11-19", "yellow"), (None, "red")]
)
def test_the_item_warns_as_the_deadline_nears_and_passes(session, monkeypatch, due_on, level):
    world = make_world(session)
    published(session, world, due_on=due_on or "2024-11-18")
    if due_on is None:
        monkeypatch.setattr(service, "today", lambda: TODAY.replace(day=25))
    else:
        monkeypatch.setattr(service, "today", lambda: TODAY)
    [sign] = [kind for kind in todo(session, scope_of(session, world, Role.GRID_WORKER))
              if kind.kind == "sign"]  # fmt: skip
    assert sign.items[0].level == level


def test_a_town_notice_is_not_found_from_another_town(session):
    world = make_world(session)
    notice = published(session, world, by=Role.TOWN_OFFICER)
    other_town = add_user(session, "town_wuling_01", Role.TOWN_OFFICER, world.place.other_town)
    with pytest.raises(NotFound):
        service.open_notice(session, scope=users.scope_of(other_town), notice_id=notice.id)


def test_the_city_follows_a_districts_notice_without_receiving_it(session):
    world = make_world(session)
    notice = published(session, world)
    city = scope_of(session, world, Role.CITY_ADMIN)
    opened = service.open_notice(session, scope=city, notice_id=notice.id)
    assert not opened.recipient and receipts.may_follow(city, notice)
    assert summary(session, world, notice).read == 0


def test_those_who_only_receive_a_notice_do_not_see_its_receipts(session):
    world = make_world(session)
    notice = published(session, world)
    for role in (Role.TOWN_OFFICER, Role.VILLAGE_CADRE, Role.BANK_VIEWER):
        assert not receipts.may_follow(scope_of(session, world, role), notice), role
