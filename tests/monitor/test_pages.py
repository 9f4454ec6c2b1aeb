"""The monitoring pages render for the roles that use them; exports are xlsx with masked IDs;
the public report page works without login and is rate-limited."""

import io

import openpyxl
import pytest
from fastapi.testclient import TestClient

from tests.factories import make_world
from tests.monitor.factories import add_alert, add_household, family, headers
from yunong.core.auth.roles import Role
from yunong.monitor import queue
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.web.app import create_app


@pytest.fixture(scope="module")
def world(module_db_url):
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        world = make_world(session)
        made = add_household(session, village=world.place.village, number="0501", members=family())
        add_alert(session, made)
        world.household = made.household.code  # type: ignore[attr-defined]
        world.head_id = made.persons[0].id_number  # type: ignore[attr-defined]
    engine.dispose()
    return world


def test_the_alert_list_shows_the_alert_and_offers_assignment_to_the_village_cadre(client, world):
    page = client.get("/monitor/alerts", headers=headers(world, Role.VILLAGE_CADRE))
    assert page.status_code == 200
    assert "张建国" in page.text and 'action="/monitor/alerts/' in page.text


def test_the_alert_list_offers_no_assignment_to_a_town_officer(client, world):
    page = client.get("/monitor/alerts", headers=headers(world, Role.TOWN_OFFICER))
    assert page.status_code == 200 and 'action="/monitor/alerts/' not in page.text


def test_a_bank_viewer_is_refused_the_monitoring_pages(client, world):
    assert client.get("/apps/monitor", headers=headers(world, Role.BANK_VIEWER)).status_code == 403


def test_the_household_page_masks_id_numbers(client, world):
    page = client.get(
        f"/monitor/households/{world.household}", headers=headers(world, Role.GRID_WORKER)
    )
    assert page.status_code == 200
    assert world.head_id not in page.text and world.head_id[-4:] in page.text


def test_the_zeroing_page_and_the_visit_form_render(client, world):
    assert (
        client.get("/monitor/zeroing", headers=headers(world, Role.TOWN_OFFICER)).status_code == 200
    )
    form = client.get("/monitor/visit", headers=headers(world, Role.GRID_WORKER))
    assert form.status_code == 200 and "monitor-visit.js" in form.text


def test_a_visit_form_over_more_households_than_a_phone_list_offers_a_search(
    client, world, monkeypatch
):
    monkeypatch.setattr(queue, "PICKER_ALL", 0)
    town = headers(world, Role.TOWN_OFFICER)
    unsearched = client.get("/monitor/visit", headers=town)
    searched = client.get("/monitor/visit", params={"q": "张建国"}, headers=town)
    assert 'name="q"' in unsearched.text and "0501" not in unsearched.text
    assert "找到 1 户" in searched.text and f'value="{world.household}"' in searched.text


@pytest.mark.parametrize("name", ["alerts", "cases", "problems", "self-reports", "measures"])
def test_every_list_exports_as_xlsx(client, world, name):
    response = client.get(f"/monitor/export/{name}.xlsx", headers=headers(world, Role.TOWN_OFFICER))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None and sheet.max_row >= 1 and sheet["A1"].value


def test_the_public_report_page_needs_no_login_and_gives_a_reference(client, world):
    assert client.get("/report").status_code == 200
    done = client.post(
        "/report",
        data={
            "name": "张建国",
            "id_number": world.head_id,
            "village": "万州区龙沙镇石坪村",
            "what_happened": "家中房屋被洪水冲毁",
            "risk_type": "因自然灾害",
        },
    )
    assert done.status_code == 200 and "受理编号" in done.text
    listed = client.get("/api/monitor/self-reports", headers=headers(world, Role.VILLAGE_CADRE))
    assert listed.json()[0]["id_number"].startswith(world.head_id[:3] + "***")


def test_a_bad_report_comes_back_with_a_chinese_message_and_the_form_kept(client):
    page = client.post(
        "/report",
        data={"name": "李四", "id_number": "123", "village": "石坪村", "what_happened": "生病住院"},
    )
    assert page.status_code == 422
    assert "证件号码“123”应为 18 位" in page.text and 'value="李四"' in page.text


def test_reports_are_rate_limited_per_client(module_db_url, tmp_path):
    client = TestClient(create_app(Settings(db_url=module_db_url, var_dir=tmp_path)))
    body = {"name": "李四", "id_number": "1", "village": "x", "what_happened": "生病住院"}
    codes = [client.post("/api/monitor/self-reports", json=body).status_code for _ in range(4)]
    assert codes == [422, 422, 422, 429]


def test_villages_are_found_by_part_of_their_name_without_login(client):
    found = client.get("/api/monitor/villages", params={"q": "石坪"}).json()
    assert found == [{"code": "500101108201", "name": "万州区龙沙镇石坪村"}]
