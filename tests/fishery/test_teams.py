"""Patrol team members: added from the command line with their role and joining day, listed
on the team's page with the phone masked, and removed there."""

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.factories import make_place, make_world
from tests.fishery.factories import SYSTEM
from tests.monitor.factories import headers
from yunong.cli import app
from yunong.core.auth.roles import Role
from yunong.core.errors import Conflict, InvalidValue
from yunong.fishery import teams
from yunong.settings import Settings, get_settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.web.app import create_app

pytestmark = pytest.mark.db
runner = CliRunner()


@pytest.fixture(scope="module")
def world(module_db_url):
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        built = make_world(session)
        team = teams.create(
            session, scope=SYSTEM, name="龙沙镇护渔队", region_code=built.place.town
        )
        built.team_id = team.id  # type: ignore[attr-defined]
    engine.dispose()
    return built


@pytest.fixture(scope="module")
def client(module_db_url, world, tmp_path_factory):
    app = create_app(Settings(db_url=module_db_url, var_dir=tmp_path_factory.mktemp("var")))
    with TestClient(app) as client:
        yield client


def test_a_member_added_from_the_command_line_is_listed_with_the_phone_masked(
    module_db_url, world, client, monkeypatch
):
    monkeypatch.setenv("YUNONG_DB_URL", module_db_url)
    get_settings.cache_clear()
    command = ["fishery", "teams", "member", "add", "龙沙镇护渔队", "--name", "谭德军"]
    added = runner.invoke(
        app, [*command, "--phone", "13912345678", "--role", "队长", "--from", "2024-03-01"]
    )
    get_settings.cache_clear()
    assert added.exit_code == 0, added.output
    page = client.get(f"/fishery/teams/{world.team_id}", headers=headers(world, Role.TOWN_OFFICER))
    members = page.text.split('id="team-members"')[1]
    assert "谭德军" in members and "队长" in members and "2024-03-01" in members
    assert "139****5678" in members and "13912345678" not in members


def test_a_member_is_added_and_removed_on_the_team_page(client, world):
    town = headers(world, Role.TOWN_OFFICER)
    added = client.post(
        f"/fishery/teams/{world.team_id}/members",
        data={"name": "冉光明", "phone": "13800001111", "role": "member"},
        headers=town,
        follow_redirects=False,
    )
    assert added.status_code == 303
    again = client.post(
        f"/fishery/teams/{world.team_id}/members", data={"name": "冉光明"}, headers=town
    )
    assert again.status_code == 422 and "队员“冉光明”已在队中" in again.text
    client.post(
        f"/fishery/teams/{world.team_id}/members/remove", data={"name": "冉光明"}, headers=town
    )
    page = client.get(f"/fishery/teams/{world.team_id}", headers=town).text
    assert "冉光明" not in page.split('id="team-members"')[1]


def test_a_member_role_is_captain_or_member(session):
    place = make_place(session)
    team = teams.create(session, scope=SYSTEM, name="石坪村护渔队", region_code=place.village)
    with pytest.raises(InvalidValue, match="队内职务“教练”应为 队长 或 队员"):
        teams.add_member(
            session, scope=SYSTEM, team=team, member_in=teams.MemberIn("王五", role="教练")
        )
    teams.add_member(session, scope=SYSTEM, team=team, member_in=teams.MemberIn("王五"))
    with pytest.raises(Conflict):
        teams.add_member(session, scope=SYSTEM, team=team, member_in=teams.MemberIn("王五"))
