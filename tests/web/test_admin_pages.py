"""Administration pages: adding and editing users and their API tokens within the manager's
scope, 操作日志 as a filtered, paged list with an export, and the read-only dictionaries."""

import io
import re
from html import unescape

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.factories import PASSWORD, add_user
from tests.web.test_sessions import csrf_of, log_in
from yunong.core.audit import service as audit
from yunong.core.audit.models import AuditRecord
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.store.db import make_engine, make_sessionmaker, transaction

NEW_PASSWORD = "Shiping@Grid-2024x"
FEEDBACK = re.compile(r'id="feedback">(.*?)</p>', re.S)
ERROR = re.compile(r'id="form-error">(.*?)</p>', re.S)
COUNT = re.compile(r"第 (\d+)–(\d+) 条，共 (\d+) 条")


@pytest.fixture(scope="module")
def database(module_db_url, world):
    """Rows the tests add and read beside the app, in the app's own database."""
    engine = make_engine(module_db_url)
    yield make_sessionmaker(engine)
    engine.dispose()


def signed_in(app, name: str) -> TestClient:
    client = TestClient(app)
    assert log_in(client, name).status_code == 303
    return client


@pytest.fixture(scope="module")
def town(app, world) -> TestClient:
    return signed_in(app, world.accounts[Role.TOWN_OFFICER].name)


@pytest.fixture(scope="module")
def city(app, world) -> TestClient:
    return signed_in(app, world.accounts[Role.CITY_ADMIN].name)


def post(client: TestClient, path: str, data: dict[str, str], **options):
    token = csrf_of(client.get("/dictionaries").text)
    return client.post(path, data={"csrf_token": token, **data}, **options)


def added(database, name: str, role: Role, region: str) -> int:
    with transaction(database) as session:
        return add_user(session, name, role, region).id


def records(database, action: str) -> list[AuditRecord]:
    with transaction(database) as session:
        query = select(AuditRecord).where(AuditRecord.action == action)
        return list(session.scalars(query.order_by(AuditRecord.seq)))


def feedback(response) -> str:
    return " ".join(unescape(FEEDBACK.search(response.text).group(1)).split())


# Users ---------------------------------------------------------------------------------------


def test_a_town_officer_adds_a_grid_worker_in_a_village_of_the_town(town, world):
    response = post(
        town,
        "/users/new",
        {
            "name": "grid_shiping_new",
            "full_name": "王小明",
            "role": "grid_worker",
            "region_code": world.place.village,
            "password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert feedback(response).startswith(
        "已添加用户 grid_shiping_new（网格员，万州区 龙沙镇 石坪村）"
    )


def test_adding_a_taken_user_name_keeps_the_input_and_names_the_reason(town, world):
    response = post(
        town,
        "/users/new",
        {
            "name": world.accounts[Role.GRID_WORKER].name,
            "full_name": "李四",
            "role": "grid_worker",
            "region_code": world.place.village,
            "password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 409
    assert ERROR.search(response.text).group(1) == "用户名“grid_worker_01”已存在"
    assert 'value="李四"' in response.text


def test_adding_a_user_in_another_district_is_refused_and_audited(town, world, database):
    response = post(
        town,
        "/users/new",
        {
            "name": "grid_fengyang_new",
            "role": "grid_worker",
            "region_code": world.place.other_district_village,
            "password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 404
    refused = records(database, "scope.refused")
    assert any(r.actor == "town_officer_01" and r.target_id == "/users/new" for r in refused)


def test_a_town_officer_does_not_open_a_user_of_another_district(town, world):
    response = town.get(f"/users/{world.user_other_district}")
    assert response.status_code == 404
    assert "grid_fengyang_01" not in response.text


def test_a_town_officer_may_not_disable_a_fellow_town_officer(town, world, database):
    peer = added(database, "town_longsha_02", Role.TOWN_OFFICER, world.place.town)
    response = post(town, f"/users/{peer}/status", {"disabled": "1"})
    assert response.status_code == 403
    assert "不能管理同级的乡镇干部账号" in unescape(response.text)
    assert str(peer) not in [r.target_id for r in records(database, "user.disable")]


def test_a_refused_peer_action_is_in_the_audit_trail(town, world, database):
    peer = added(database, "town_longsha_03", Role.TOWN_OFFICER, world.place.town)
    post(town, f"/users/{peer}/password", {"password": NEW_PASSWORD})
    refused = records(database, "access.refused")
    assert any(r.target_id == f"/users/{peer}/password" for r in refused)


def test_changing_a_role_says_what_changed_and_that_the_user_signs_in_again(town, database, world):
    grid = added(database, "grid_shiping_role", Role.GRID_WORKER, world.place.village)
    response = post(
        town, f"/users/{grid}/role", {"role": "village_cadre", "region_code": world.place.village}
    )
    assert feedback(response) == (
        "已将 grid_shiping_role 改为村干部，所属万州区 龙沙镇 石坪村；其登录已结束，需重新登录。"
    )


def test_a_role_at_the_wrong_level_keeps_the_choice_and_says_which_level(town, database, world):
    grid = added(database, "grid_shiping_level", Role.GRID_WORKER, world.place.village)
    response = post(
        town, f"/users/{grid}/role", {"role": "grid_worker", "region_code": world.place.town}
    )
    assert response.status_code == 422
    assert ERROR.search(response.text).group(1) == "网格员应绑定到村级区划，龙沙镇是乡镇级"
    assert f'<option value="{world.place.town}" selected translate="no">' in response.text


def test_disabling_then_enabling_a_grid_worker(town, database, world):
    grid = added(database, "grid_shiping_off", Role.GRID_WORKER, world.place.village)
    disabled = post(town, f"/users/{grid}/status", {"disabled": "1"})
    assert feedback(disabled) == "已停用 grid_shiping_off：其登录已结束，API 令牌已全部吊销。"
    enabled = post(town, f"/users/{grid}/status", {"disabled": "0"})
    assert feedback(enabled).startswith("已启用 grid_shiping_off，可以重新登录")


def test_a_reset_password_lets_the_user_sign_in_with_it(app, town, database, world):
    grid = added(database, "grid_shiping_pw", Role.GRID_WORKER, world.place.village)
    response = post(town, f"/users/{grid}/password", {"password": NEW_PASSWORD})
    assert feedback(response).startswith("已重置 grid_shiping_pw 的密码")
    assert log_in(TestClient(app), "grid_shiping_pw", NEW_PASSWORD).status_code == 303


def test_a_too_short_password_is_refused_with_the_reason(town, database, world):
    grid = added(database, "grid_shiping_short", Role.GRID_WORKER, world.place.village)
    response = post(town, f"/users/{grid}/password", {"password": "abc"})
    assert response.status_code == 422
    assert ERROR.search(response.text).group(1).startswith("密码至少")


def test_an_issued_token_is_shown_once_and_works(app, town, database, world):
    grid = added(database, "grid_shiping_token", Role.GRID_WORKER, world.place.village)
    issued = post(town, f"/users/{grid}/tokens", {"label": "走访同步", "days": "30"})
    secret = re.search(r"<code>(yn_[^<]+)</code>", issued.text).group(1)
    assert issued.headers["cache-control"] == "no-store"
    again = town.get(f"/users/{grid}")
    assert secret not in again.text and "走访同步" in again.text
    with TestClient(app) as machine:
        me = machine.get("/api/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.json()["name"] == "grid_shiping_token"


def test_a_revoked_token_is_refused(app, town, database, world):
    grid = added(database, "grid_shiping_revoke", Role.GRID_WORKER, world.place.village)
    issued = post(town, f"/users/{grid}/tokens", {"label": "", "days": "90"})
    secret = re.search(r"<code>(yn_[^<]+)</code>", issued.text).group(1)
    number = re.search(r'id="token-(\d+)"', issued.text).group(1)
    revoked = post(town, f"/users/{grid}/tokens/revoke", {"token_id": number})
    assert feedback(revoked).startswith(f"已吊销 grid_shiping_revoke 的 API 令牌 #{number}")
    with TestClient(app) as machine:
        me = machine.get("/api/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 401


def test_a_town_officer_is_offered_only_roles_it_may_give(town):
    page = town.get("/users/new").text
    assert 'value="grid_worker"' in page and 'value="town_officer"' not in page


# 操作日志 ------------------------------------------------------------------------------------


def add_records(database, region: str, count: int, **fields: str) -> None:
    with transaction(database) as session:
        for number in range(count):
            audit.record(
                session,
                scope=Scope(actor=fields.get("actor", "clerk_longsha"), region_code=region),
                action=fields.get("action", "monitor.visit"),
                target_type="household",
                target_id=f"H{number:04d}",
                region_code=region,
                detail=fields.get("detail", ""),
            )


def test_the_audit_log_pages_with_a_count(town, database, world):
    add_records(database, world.place.village, 25, actor="clerk_paging")
    first = town.get("/audit", params={"q": "clerk_paging", "size": "20"})
    assert COUNT.search(first.text).groups() == ("1", "20", "25")
    second = town.get("/audit", params={"q": "clerk_paging", "size": "20", "page": "2"})
    assert COUNT.search(second.text).groups() == ("21", "25", "25")


def test_the_audit_log_finds_one_action(town, database, world):
    add_records(database, world.place.village, 2, action="trace.batch_create", actor="maker")
    page = town.get("/audit", params={"q": "trace.batch_create"})
    assert COUNT.search(page.text).groups()[2] == "2"


def test_the_audit_log_filters_by_region(town, database, world):
    add_records(database, world.place.neighbour_village, 3, actor="clerk_fuxing")
    inside = town.get("/audit", params={"q": "clerk_fuxing", "region": world.place.village})
    assert "没有符合条件的记录" in inside.text
    there = town.get(
        "/audit", params={"q": "clerk_fuxing", "region": world.place.neighbour_village}
    )
    assert COUNT.search(there.text).groups()[2] == "3"


def test_the_audit_log_filters_by_date_in_beijing_time(town, database, world):
    add_records(database, world.place.village, 1, actor="clerk_dated")
    past = town.get("/audit", params={"q": "clerk_dated", "from": "2020-01-01", "to": "2020-12-31"})
    assert "没有符合条件的记录" in past.text
    recent = town.get("/audit", params={"q": "clerk_dated", "from": "2024-01-01"})
    assert COUNT.search(recent.text).groups()[2] == "1"


def test_views_of_personal_data_are_highlighted(town, world):
    town.get(f"/api/users/{world.user_in_village}/personal")
    page = town.get("/audit", params={"category": "personal"}).text
    rows = re.findall(r"<tr class=\"personal\">.*?</tr>", page, re.S)
    assert rows and all("user.view_personal" in row or ".view" in row for row in rows)
    assert "个人信息</span>" in rows[0]


def test_the_town_audit_log_holds_nothing_of_another_district(town, database, world):
    add_records(database, world.place.other_district_village, 1, actor="clerk_fengyang")
    assert "clerk_fengyang" not in town.get("/audit", params={"size": "200"}).text
    assert (
        town.get("/audit", params={"region": world.place.other_district_village}).status_code == 404
    )


def test_the_export_neutralises_formulas_and_is_audited(town, database, world):
    add_records(database, world.place.village, 1, actor="clerk_formula", detail="=1+1")
    response = town.get("/audit.xlsx", params={"q": "clerk_formula"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [row[8] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["'=1+1"]
    exports = records(database, "audit.export")
    assert exports[-1].actor == "town_officer_01" and exports[-1].detail == "导出 1 行"


def test_a_grid_worker_is_refused_the_audit_log(app, world):
    grid = signed_in(app, world.accounts[Role.GRID_WORKER].name)
    assert grid.get("/audit").status_code == 403


# Menu and dictionaries -------------------------------------------------------------------------


def test_the_menu_offers_users_and_audit_to_managers_only(app, town, world):
    grid = signed_in(app, world.accounts[Role.GRID_WORKER].name)
    menu = grid.get("/dictionaries").text
    assert 'href="/dictionaries"' in menu
    assert 'href="/audit"' not in menu and 'href="/users"' not in menu
    assert 'href="/audit"' in town.get("/dictionaries").text


def test_the_dictionaries_show_the_pack_categories_risk_types_and_land_classes(app, world):
    page = signed_in(app, world.accounts[Role.BANK_VIEWER].name).get("/dictionaries").text
    assert "边缘易致贫户" in page and "因病" in page
    assert "<td>0101</td><td>水田</td><td>耕地</td>" in page
    # Signing out and the region switcher; nothing on the page itself is a form.
    assert page.count("<form") == 2


def test_city_admins_reach_users_in_every_district(city, world):
    assert city.get(f"/users/{world.user_other_district}").status_code == 200


def test_logging_in_as_the_new_user_works(app, town, world):
    post(
        town,
        "/users/new",
        {
            "name": "grid_shiping_login",
            "role": "grid_worker",
            "region_code": world.place.village,
            "password": PASSWORD + "x",
        },
    )
    assert log_in(TestClient(app), "grid_shiping_login", PASSWORD + "x").status_code == 303


def test_a_fellow_officers_page_offers_no_form_that_would_be_refused(town, database, world):
    peer = added(database, "town_longsha_04", Role.TOWN_OFFICER, world.place.town)
    page = town.get(f"/users/{peer}").text
    assert 'id="managed-above"' in page
    assert f'action="/users/{peer}/' not in page
