"""Login, logout, the session cookie, CSRF and lockout, through HTTP."""

import re
import time

import itsdangerous
from fastapi.testclient import TestClient
from itsdangerous import URLSafeTimedSerializer

from tests.factories import PASSWORD
from yunong.core.auth.roles import Role
from yunong.web.auth import COOKIE


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def region_heading(page: str) -> str:
    """The home page's heading: the name of the region it shows (data, not translated)."""
    return re.search(r'<h2 translate="no">(.*?)</h2>', page).group(1)


def log_in(client: TestClient, name: str, password: str = PASSWORD):
    token = csrf_of(client.get("/login").text)
    return client.post(
        "/login",
        data={"csrf_token": token, "name": name, "password": password, "next": "/"},
        follow_redirects=False,
    )


def audit_actions(app, world) -> list[dict]:
    with TestClient(app) as admin:
        admin.headers["Authorization"] = f"Bearer {world.accounts[Role.CITY_ADMIN].token}"
        return admin.get("/api/audit", params={"limit": 200}).json()


def test_login_sets_a_signed_httponly_samesite_cookie(anonymous, world):
    response = log_in(anonymous, world.accounts[Role.VILLAGE_CADRE].name)
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert anonymous.get("/api/me").json()["role"] == "village_cadre"


def test_a_wrong_password_shows_a_chinese_message(anonymous, world):
    response = log_in(anonymous, world.accounts[Role.GRID_WORKER].name, "not-the-password")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.text


def test_logout_ends_the_session(anonymous, world):
    log_in(anonymous, world.accounts[Role.TOWN_OFFICER].name)
    token = csrf_of(anonymous.get("/").text)
    anonymous.post("/logout", data={"csrf_token": token})
    assert anonymous.get("/api/me").status_code == 401


def test_logout_ends_the_session_for_a_copied_cookie(app, anonymous, world):
    log_in(anonymous, world.accounts[Role.TOWN_OFFICER].name)
    copied = anonymous.cookies.get(COOKIE)
    token = csrf_of(anonymous.get("/").text)
    anonymous.post("/logout", data={"csrf_token": token})
    with TestClient(app) as thief:
        thief.cookies.set(COOKIE, copied)
        assert thief.get("/api/me").status_code == 401


def test_the_cookie_carries_only_the_session_secret_and_the_csrf_token(app, anonymous, world):
    log_in(anonymous, world.accounts[Role.VILLAGE_CADRE].name)
    content = URLSafeTimedSerializer(app.state.settings.signing_key(), salt="session").loads(
        anonymous.cookies.get(COOKIE)
    )
    assert set(content) == {"sid", "csrf"}
    assert len(content["sid"]) >= 40


def test_disabling_an_account_ends_its_signed_in_sessions(app, anonymous, world):
    log_in(anonymous, world.accounts[Role.PRODUCER].name)
    assert anonymous.get("/api/me").status_code == 200
    with TestClient(app) as admin:
        admin.headers["Authorization"] = f"Bearer {world.accounts[Role.CITY_ADMIN].token}"
        producer = world.accounts[Role.PRODUCER].user_id
        assert admin.patch(f"/api/users/{producer}", json={"disabled": True}).status_code == 200
        admin.patch(f"/api/users/{producer}", json={"disabled": False})
    assert anonymous.get("/api/me").status_code == 401


def test_a_disabled_account_is_refused_with_the_same_message_as_a_wrong_password(
    app, anonymous, world
):
    with TestClient(app) as admin:
        admin.headers["Authorization"] = f"Bearer {world.accounts[Role.CITY_ADMIN].token}"
        admin.patch(f"/api/users/{world.user_other_district}", json={"disabled": True})
    right = log_in(anonymous, "grid_fengyang_01")
    wrong = log_in(anonymous, "grid_fengyang_01", "wrong-password")
    assert right.status_code == wrong.status_code == 401
    assert "用户名或密码错误，或账号已停用" in right.text and "停用，请联系" not in right.text


def test_a_form_with_a_forged_csrf_token_is_refused_recorded_and_changes_nothing(
    anonymous, world, app
):
    log_in(anonymous, world.accounts[Role.DISTRICT_OFFICER].name)
    response = anonymous.post("/region", data={"csrf_token": "forged", "code": world.place.town})
    assert response.status_code == 403
    assert "CSRF" in response.text
    assert region_heading(anonymous.get("/").text) == "万州区"
    assert any(entry["action"] == "csrf.refused" for entry in audit_actions(app, world))


def test_an_api_write_with_the_session_cookie_needs_the_csrf_header(anonymous, world):
    log_in(anonymous, world.accounts[Role.DISTRICT_OFFICER].name)
    patch = {"disabled": True}
    refused = anonymous.patch(f"/api/users/{world.user_in_village}", json=patch)
    assert refused.status_code == 403
    token = csrf_of(anonymous.get("/").text)
    allowed = anonymous.patch(
        f"/api/users/{world.user_in_village}",
        json={"disabled": False},
        headers={"X-CSRF-Token": token},
    )
    assert allowed.status_code == 200


def test_a_tampered_cookie_is_refused_and_recorded(anonymous, world, app):
    log_in(anonymous, world.accounts[Role.GRID_WORKER].name)
    forged = URLSafeTimedSerializer("not-our-key", salt="session").dumps(
        {"uid": world.accounts[Role.CITY_ADMIN].user_id, "epoch": 0, "csrf": "x"}
    )
    anonymous.cookies.set(COOKIE, forged)
    response = anonymous.get("/api/me")
    assert response.status_code == 401
    assert response.json()["detail"] == "会话无效，请重新登录"
    assert any(entry["action"] == "session.tampered" for entry in audit_actions(app, world))


def test_an_expired_session_asks_to_log_in_again(app, world, anonymous, monkeypatch):
    account = world.accounts[Role.GRID_WORKER]
    hours_ago = time.time() - (app.state.settings.session_hours + 1) * 3600
    with monkeypatch.context() as past:
        past.setattr(itsdangerous.timed.time, "time", lambda: hours_ago)
        cookie = URLSafeTimedSerializer(app.state.settings.signing_key(), salt="session").dumps(
            {"uid": account.user_id, "epoch": 0, "csrf": "x"}
        )
    anonymous.cookies.set(COOKIE, cookie)
    response = anonymous.get("/apps/monitor", follow_redirects=True)
    assert "会话已过期，请重新登录" in response.text


def test_pages_without_login_redirect_to_the_login_page(anonymous):
    response = anonymous.get("/apps/land", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=/apps/land")


def test_five_failed_logins_lock_the_name_for_this_client_through_the_login_page(anonymous, world):
    name = world.accounts[Role.COLLECTIVE_ACCOUNTANT].name
    for _ in range(5):
        log_in(anonymous, name, "wrong-password")
    response = log_in(anonymous, name)
    assert response.status_code == 401
    assert "登录失败次数过多，请稍后再试" in response.text


def test_a_revoked_or_invented_token_is_refused_and_recorded(anonymous, world, app):
    response = anonymous.get("/api/me", headers={"Authorization": "Bearer yn_invented"})
    assert response.status_code == 401
    assert any(entry["action"] == "token.refused" for entry in audit_actions(app, world))


def test_an_officer_drills_down_from_the_district_to_a_town(anonymous, world):
    log_in(anonymous, world.accounts[Role.DISTRICT_OFFICER].name)
    token = csrf_of(anonymous.get("/").text)
    anonymous.post("/region", data={"csrf_token": token, "code": world.place.town, "next": "/"})
    page = anonymous.get("/").text
    assert region_heading(page) == "龙沙镇"
    assert "石坪村" in page and "复兴村" in page


OFF_SITE_TARGETS = [
    "///evil.example",
    "//evil.example/path",
    "/\\evil.example",
    "/\\/evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "/%0d%0aSet-Cookie:x=1",
    "/\tevil",
    "\\\\evil.example",
]


def test_the_language_switch_redirects_only_within_the_site(anonymous):
    for target in OFF_SITE_TARGETS:
        response = anonymous.get("/lang/en", params={"next": target}, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/", target


def test_login_redirects_only_within_the_site(anonymous, world):
    for target in OFF_SITE_TARGETS:
        token = csrf_of(anonymous.get("/login").text)
        response = anonymous.post(
            "/login",
            data={
                "csrf_token": token,
                "name": world.accounts[Role.VILLAGE_CADRE].name,
                "password": PASSWORD,
                "next": target,
            },
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/", target


def test_a_same_site_path_with_its_query_is_kept_as_the_redirect_target(anonymous):
    response = anonymous.get(
        "/lang/en", params={"next": "/apps/monitor?page=2"}, follow_redirects=False
    )
    assert response.headers["location"] == "/apps/monitor?page=2"
