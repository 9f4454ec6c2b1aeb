"""Every role, through the HTTP API and the pages, against rows inside and outside its scope.

Outside gets 404 or 403 and never the data; inside gets the data where the role may see it.
The named cases come first; then the generated matrix, which takes every route of every
application from ``create_app()`` and fills it with rows of :mod:`tests.web.scope_world`.
"""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import World
from tests.web import route_matrix, route_samples
from tests.web.route_matrix import Route, Where
from tests.web.scope_world import ScopeWorld, build
from yunong import exchange
from yunong.core.auth.roles import Role
from yunong.core.regions.codes import prefix_of

LOCAL_ROLES = [role for role in Role if role is not Role.CITY_ADMIN]
REFUSED = {403, 404}


@pytest.fixture(scope="module")
def scope_world(module_db_url, tmp_path_factory) -> ScopeWorld:
    return build(module_db_url, tmp_path_factory.mktemp("layers"))


@pytest.fixture(scope="module")
def world(scope_world) -> World:
    return scope_world.world


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


# The generated matrix: every route of every application, every role, inside and outside.

UNSCOPED: dict[str, str] = {
    # The service itself, the same for everyone.
    "GET /api/health": "liveness probe, no rows",
    "GET /api/openapi.json": "the API's description",
    "HEAD /api/openapi.json": "the API's description",
    "GET /api/docs": "the API's documentation page",
    "GET /static": "stylesheets, scripts and fonts",
    "GET /monitor/visit-sw.js": "the offline visit form's service worker script",
    "GET /lang/{language}": "sets the language cookie",
    "GET /ogc": "OGC API landing page: links only",
    "GET /ogc/conformance": "OGC API conformance classes",
    "GET /ogc/api": "OGC API service description",
    # Signing in and out happen before and after there is a scope.
    "GET /login": "the sign-in form",
    "POST /login": "signing in",
    "POST /logout": "signing out",
    # Public by the seed's design, without signing in: scanning a product code (一码通) and a
    # household's own report of hardship (自主申报), with the village search it uses.
    "GET /c/{code}": "public scan page of a product code",
    "GET /01/{gtin}/10/{lot}": "public GS1 Digital Link scan page",
    "GET /01/{gtin}/10/{lot}/{rest:path}": "public GS1 Digital Link scan page",
    "GET /api/trace/public/{code}": "public scan data of a product code",
    "POST /api/trace/public/{code}/place": "a scanner's coarse place, for counterfeit checks",
    "GET /report": "public self-report form",
    "POST /report": "public self-report",
    "POST /api/monitor/self-reports": "public self-report",
    "GET /api/monitor/villages": "village names for the public self-report form",
    # Public tip-offs about illegal fishing (长江治渔), followed by their reference number.
    "GET /fishery/tip-off": "public tip form",
    "POST /fishery/tip-off": "public tip",
    "GET /fishery/tip-off/follow": "public follow-up of a tip by its reference, nothing personal",
    # 基层治理: residents report a matter without signing in and follow it by its reference;
    # a village's published points (积分公示) are public, the heads' names masked.
    "GET /governance/public/report": "public form to report a matter",
    "POST /governance/public/report": "public report of a matter",
    "GET /governance/public/report/follow": "public follow-up by reference, nothing personal",
    "GET /governance/public/points/{village}": "a village's published points board (积分公示)",
    # 财务公开: what a village's 民主理财小组 approved is public by the disclosure rules.
    "GET /collective/public/{village}": "a village's approved financial disclosures (财务公开)",
    # 产权交易: a listing is announced to the public, its bidders shown only by number.
    "GET /api/exchange/listings/{listing_id}": "an announced listing and its bids by number",
    "GET /exchange/certificates/{code}": "public verification of a deal's 鉴证书 by its code",
    "GET /exchange/index": "the quarterly price index of each district is published to everyone",
    "GET /exchange/listings/{listing_id}": "an announced listing and its bids by number",
}
"""Routes that cannot be scoped, with why. Any other route must be one that
:mod:`tests.web.route_samples` can fill."""

MANAGERS = frozenset({Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.TOWN_OFFICER})
VISITORS = frozenset({Role.TOWN_OFFICER, Role.VILLAGE_CADRE, Role.GRID_WORKER})
FARMLAND_ENTRY = frozenset({Role.CITY_ADMIN, Role.DISTRICT_OFFICER})
SERVICE_OFFICERS = frozenset(
    {Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE}
)
EXCHANGE_READERS = exchange.READERS

READ_LIMITS: dict[str, frozenset[Role]] = {
    # Users and the audit trail are for the officers who manage accounts.
    "GET /api/users": MANAGERS,
    "GET /users": MANAGERS,
    "GET /api/users/{user_id}": MANAGERS,
    "GET /api/users/{user_id}/personal": MANAGERS,
    "GET /api/audit": MANAGERS,
    "GET /users/new": MANAGERS,
    "GET /users/{user_id}": MANAGERS,
    "GET /audit": MANAGERS,
    "GET /audit.xlsx": MANAGERS,
    # The phone form of those who visit households (走访).
    "GET /monitor/visit": VISITORS,
    # The figures waiting for approval, for those who approve them.
    "GET /assess/{period}/approvals": MANAGERS,
    # The entry forms of high-standard farmland, for the district's farmland office.
    "GET /farmland/new": FARMLAND_ENTRY,
    "GET /farmland/projects/{number}/entry": FARMLAND_ENTRY,
    # Public tips are answered by the district (长江治渔); the matrix's tip has no photo.
    "GET /fishery/tips/{tip_id}": frozenset({Role.CITY_ADMIN, Role.DISTRICT_OFFICER}),
    "GET /fishery/tips/{tip_id}/photo": frozenset(),
    "GET /fishery/patrols/{patrol_id}/photo": frozenset(),
    # The matrix's matter and points entry have no photo (基层治理).
    "GET /governance/matters/{number}/photo": frozenset(),
    "GET /governance/points/entries/{entry_id}/photo": frozenset(),
    # A member's whole record (ID number, phone) is for the roles allowed personal data.
    "GET /collective/orgs/{code}/members/{member_id}": frozenset(
        {Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE}
    ),
    # 农事服务: the officer pages are the service centres' and the village cadres'; a farmer
    # opens 种粮宝 and the orders of their own household (the matrix's order is no farmer's).
    **dict.fromkeys(
        [
            "GET /apps/services",
            "GET /services/machines",
            "GET /services/machines/{code}",
            "GET /services/providers/{provider_id}",
            "GET /services/orders",
            "GET /services/orders/new",
            "GET /services/orders/{code}",
            "GET /services/trusteeships",
            "GET /services/drying",
            "GET /services/dispatch",
        ],
        SERVICE_OFFICERS,
    ),
    "GET /services/grower": frozenset({Role.FARMER}),
    # 产权交易: the officers', banks' and buyers' pages; a farmer opens the 地票 of their own
    # household. The matrix has no 地票 case (tests/exchange/test_ticket_pages.py opens real
    # ones, the household's own and another's).
    "GET /exchange/prices": EXCHANGE_READERS,
    "GET /exchange/listings": EXCHANGE_READERS,
    "GET /exchange/my-tickets": frozenset({Role.FARMER}),
    "GET /exchange/tickets/{case_id}": frozenset(),
    # The matrix has no sold listing (tests/exchange/test_contracts.py opens real contracts).
    "GET /exchange/listings/{listing_id}/contract": frozenset(),
    "GET /exchange/listings/{listing_id}/contract.pdf": frozenset(),
}
"""Routes read by fewer roles than their application's menu admits."""

PUBLISHED: dict[str, str] = {
    "GET /assess/{period}/districts/{code}": "another district's card of the published "
    "ranking (赛马比拼): score and rank, without its figures",
}
"""Routes that answer about rows outside the scope with what is published about them;
the answer must still show nothing of the rows themselves."""

ECHOED: dict[str, str] = {
    "GET /api/audit": "each refusal is recorded with the code the caller asked for",
    "GET /audit": "each refusal is recorded with the code the caller asked for",
    "GET /audit.xlsx": "each refusal is recorded with the code the caller asked for",
}
"""Routes whose answer may repeat codes outside the scope that callers asked for; only
names of people, producers and users are looked for in them."""


def may_read(route: Route, role: Role) -> bool:
    return role in READ_LIMITS.get(route.key, route_matrix.application_roles(route))


ROUTES = route_matrix.listed_routes()
SCOPED_ROUTES = [route for route in ROUTES if route.key not in UNSCOPED]


@pytest.fixture(scope="module")
def clients(app) -> dict[Role, TestClient]:
    return {role: TestClient(app) for role in Role}


def test_the_matrix_covers_routes_of_every_application():
    packages = {route.module.split(".")[:2][-1] for route in SCOPED_ROUTES}
    assert {"monitor", "land", "assess", "trace", "web"} <= packages


def test_every_unscoped_route_exists():
    assert sorted(set(UNSCOPED) - {route.key for route in ROUTES}) == []


@pytest.mark.parametrize("route", SCOPED_ROUTES, ids=str)
def test_every_role_sees_only_its_scope_through_the_route(route, scope_world, clients):
    missing = route_samples.unfilled(route)
    assert not missing, (
        f"{route.key}: 无法填写 {missing}；请在 tests/web/route_samples.py 中补充，"
        "或列入 UNSCOPED 并说明原因"
    )
    problems = [
        problem
        for role in Role
        for problem in check(route, role, scope_world, clients[role], headers(scope_world, role))
    ]
    assert problems == [], "\n".join(problems)


def headers(world: ScopeWorld, role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.world.accounts[role].token}"}


def check(
    route: Route, role: Role, world: ScopeWorld, client: TestClient, sent: dict[str, str]
) -> list[str]:
    hidden = world.markers_outside(role, names_only=route.key in ECHOED)
    inside = route_samples.request_for(route, world, Where.inside(world, role))
    where_outside = Where.outside(world, role)
    outside = route_samples.request_for(route, world, where_outside) if where_outside else None
    problems = []
    if outside is not None and outside != inside:
        response, failure = answer(client, outside, sent)
        label = f"{role.value} 范围外 {outside['url']}"
        allowed = REFUSED | ({200} if route.key in PUBLISHED else set())
        if response is None or response.status_code not in allowed:
            problems.append(f"{label}：{failure or response.status_code}，应拒绝")
        problems += leaks(label, outside, response, hidden)
    if inside is not None:
        response, failure = answer(client, inside, sent)
        label = f"{role.value} 范围内 {inside['url']}"
        if response is None or response.status_code >= 500:
            problems.append(f"{label}：{failure or response.status_code}")
        elif route.method == "GET" and may_read(route, role) and response.status_code != 200:
            problems.append(f"{label}：{response.status_code}，应为 200")
        problems += leaks(label, inside, response, hidden)
    return problems


def answer(client: TestClient, request: dict[str, Any], sent: dict[str, str]) -> tuple[Any, str]:
    """The response, or None and the server's exception when it failed."""
    try:
        return client.request(**request, headers=sent, follow_redirects=False), ""
    except Exception as error:  # raised by the app: a 500 a user would have seen
        return None, f"{type(error).__name__}: {error}"


def leaks(label: str, request: dict[str, Any], response: Any, hidden: list[str]) -> list[str]:
    """Markers of rows outside the scope in the answer, other than those the request named
    (a refusal may repeat the code it was asked for)."""
    if response is None:
        return []
    asked = str(request)
    text = route_matrix.text_of(response)
    shown = [marker for marker in hidden if marker in text and marker not in asked]
    return [f"{label} 显示了范围外的 {'、'.join(shown)}"] if shown else []
