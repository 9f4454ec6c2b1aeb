"""Every role, through the HTTP API, against rows inside and outside its scope.

Outside gets 404 or 403 and never the data; inside gets the data where the role may see it.
"""

import pytest
from fastapi.testclient import TestClient

from tests.factories import World
from yunong.core.auth.roles import Role
from yunong.core.regions.codes import prefix_of

LOCAL_ROLES = [role for role in Role if role is not Role.CITY_ADMIN]
REFUSED = {403, 404}


def client_for(app, world: World, role: Role) -> TestClient:
    client = TestClient(app)
    client.headers["Authorization"] = f"Bearer {world.accounts[role].token}"
    return client


def outside_region(world: World, role: Role) -> str:
    """A region next door to the role's own, just outside its scope."""
    place = world.place
    return {
        Role.DISTRICT_OFFICER: place.other_district_village,
        Role.BANK_VIEWER: place.other_district_village,
        Role.TOWN_OFFICER: place.other_town_village,
    }.get(role, place.neighbour_village)


@pytest.mark.parametrize("role", LOCAL_ROLES, ids=lambda role: role.value)
def test_a_region_outside_scope_is_not_found(app, world, role):
    response = client_for(app, world, role).get(f"/api/regions/{outside_region(world, role)}")
    assert response.status_code == 404
    assert "name" not in response.json()


@pytest.mark.parametrize("role", LOCAL_ROLES, ids=lambda role: role.value)
def test_listing_regions_under_one_outside_scope_is_not_found(app, world, role):
    response = client_for(app, world, role).get(
        "/api/regions", params={"under": outside_region(world, role)}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_listing_regions_returns_only_regions_inside_scope(app, world, role):
    body = client_for(app, world, role).get("/api/regions").json()
    own = prefix_of(world.accounts[role].region)
    assert body, "every role sees at least its own region"
    assert all(region["code"].startswith(own) for region in body)


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_a_code_in_the_village_is_readable_by_every_role_covering_it(app, world, role):
    response = client_for(app, world, role).get(f"/api/codes/{world.code_in_village}")
    assert response.status_code == 200
    assert response.json()["region"]["code"] == world.place.village


@pytest.mark.parametrize("role", LOCAL_ROLES, ids=lambda role: role.value)
def test_a_code_in_another_district_is_not_found(app, world, role):
    response = client_for(app, world, role).get(f"/api/codes/{world.code_other_district}")
    assert response.status_code == 404
    assert "凤阳村" not in response.text


def test_the_city_administrator_reads_codes_in_every_district(app, world):
    response = client_for(app, world, Role.CITY_ADMIN).get(
        f"/api/codes/{world.code_other_district}"
    )
    assert response.json()["region"]["name"] == "凤阳村"


@pytest.mark.parametrize("role", LOCAL_ROLES, ids=lambda role: role.value)
def test_a_user_in_another_district_is_not_found(app, world, role):
    response = client_for(app, world, role).get(f"/api/users/{world.user_other_district}")
    assert response.status_code == 404
    assert "grid_fengyang_01" not in response.text


@pytest.mark.parametrize("role", LOCAL_ROLES, ids=lambda role: role.value)
def test_disabling_a_user_in_another_district_is_refused_and_changes_nothing(app, world, role):
    client = client_for(app, world, role)
    response = client.patch(f"/api/users/{world.user_other_district}", json={"disabled": True})
    assert response.status_code in REFUSED
    admin = client_for(app, world, Role.CITY_ADMIN)
    assert admin.get(f"/api/users/{world.user_other_district}").json()["disabled"] is False


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        (Role.CITY_ADMIN, True),
        (Role.DISTRICT_OFFICER, True),
        (Role.TOWN_OFFICER, True),
        (Role.VILLAGE_CADRE, False),
        (Role.GRID_WORKER, False),
        (Role.COLLECTIVE_ACCOUNTANT, False),
        (Role.BANK_VIEWER, False),
    ],
    ids=lambda value: value.value if isinstance(value, Role) else str(value),
)
def test_only_managers_covering_the_village_read_its_users(app, world, role, sees):
    response = client_for(app, world, role).get(f"/api/users/{world.user_in_village}")
    if sees:
        assert response.json()["name"] == "grid_shiping_02"
    else:
        assert response.status_code in REFUSED
        assert "grid_shiping_02" not in response.text


def test_user_lists_mask_phones(app, world):
    body = client_for(app, world, Role.TOWN_OFFICER).get("/api/users").json()
    neighbour = next(user for user in body if user["name"] == "grid_shiping_02")
    assert neighbour["phone"] == "139****5678"
    assert all(user["region_code"].startswith(world.place.town[:9]) for user in body)


def test_a_full_view_shows_the_whole_phone_to_a_manager(app, world):
    client = client_for(app, world, Role.TOWN_OFFICER)
    body = client.get(f"/api/users/{world.user_in_village}/personal").json()
    assert body["phone"] == "13912345678"


def test_a_bank_viewer_cannot_write_even_inside_its_scope(app, world):
    client = client_for(app, world, Role.BANK_VIEWER)
    response = client.post(
        "/api/users",
        json={
            "name": "bank_new",
            "role": "grid_worker",
            "region_code": world.place.village,
            "password": "Yunong@2024",
        },
    )
    assert response.status_code in REFUSED


def test_refusals_outside_scope_are_recorded_in_the_audit_trail(app, world):
    client_for(app, world, Role.GRID_WORKER).get(f"/api/codes/{world.code_other_district}")
    trail = client_for(app, world, Role.CITY_ADMIN).get("/api/audit", params={"limit": 50}).json()
    assert any(
        entry["action"] == "scope.refused"
        and entry["actor"] == world.accounts[Role.GRID_WORKER].name
        for entry in trail
    )
