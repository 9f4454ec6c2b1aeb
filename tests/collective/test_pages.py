"""渝农经管 pages and API by role: an accountant sees only the organisations of their village,
the trial balance of their books, members with personal data masked; a whole member record
is for roles allowed personal data, and every such view is audited."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.collective.factories import (
    RULES,
    SYSTEM,
    add_member,
    make_org,
    resident_id,
    write_book,
)
from tests.factories import make_world
from tests.monitor.factories import headers
from yunong.collective import importer
from yunong.core.audit.models import AuditRecord
from yunong.core.auth.roles import Role
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.web.app import create_app

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def world(module_db_url, tmp_path_factory):
    engine = make_engine(module_db_url)
    book = write_book(tmp_path_factory.mktemp("books") / "石坪村.xlsx")
    with transaction(make_sessionmaker(engine)) as session:
        built = make_world(session)
        org = make_org(session, built.place.village)
        importer.import_vouchers(session, scope=SYSTEM, org=org, path=book, rules=RULES)
        neighbour = make_org(session, built.place.neighbour_village, "复兴村股份经济合作社")
        member = add_member(session, org, "王德才", 1)
        codes = {"own": org.code, "neighbour": neighbour.code, "member": member.id}
    engine.dispose()
    return built, codes


@pytest.fixture(scope="module")
def client(module_db_url, world, tmp_path_factory):
    app = create_app(Settings(db_url=module_db_url, var_dir=tmp_path_factory.mktemp("var")))
    with TestClient(app) as client:
        yield client


def test_an_accountant_lists_only_the_organisations_of_their_village(client, world):
    built, codes = world
    found = client.get("/api/collective/orgs", headers=headers(built, Role.COLLECTIVE_ACCOUNTANT))
    assert found.status_code == 200
    assert [org["code"] for org in found.json()] == [codes["own"]]
    assert found.headers["X-Total-Count"] == "1"
    town = client.get("/api/collective/orgs", headers=headers(built, Role.TOWN_OFFICER))
    assert {org["code"] for org in town.json()} == {codes["own"], codes["neighbour"]}


def test_the_neighbouring_villages_books_are_not_found_for_the_accountant(client, world):
    built, codes = world
    path = f"/api/collective/orgs/{codes['neighbour']}/trial-balance"
    answer = client.get(path, headers=headers(built, Role.COLLECTIVE_ACCOUNTANT))
    assert answer.status_code == 404
    page = client.get(
        f"/collective/orgs/{codes['neighbour']}", headers=headers(built, Role.COLLECTIVE_ACCOUNTANT)
    )
    assert page.status_code == 404


def test_the_trial_balance_of_a_month_as_json_and_as_a_page(client, world):
    built, codes = world
    accountant = headers(built, Role.COLLECTIVE_ACCOUNTANT)
    answer = client.get(
        f"/api/collective/orgs/{built.place.village}/trial-balance?month=2024-11",
        headers=accountant,
    )
    assert answer.status_code == 200
    rows = {row["account"]: row for row in answer.json()["rows"]}
    assert (rows["152"]["side"], rows["152"]["closing"]) == ("credit", 130000.0)
    assert rows["102"]["opening"] == 420934.85
    page = client.get(f"/collective/orgs/{codes['own']}?month=2024-11", headers=accountant)
    assert page.status_code == 200
    assert "科目余额表" in page.text and "130,000.00" in page.text
    sheet = client.get(
        f"/api/collective/orgs/{codes['own']}/reports/balance-sheet?month=2024-12",
        headers=accountant,
    )
    assert sheet.json()["total_assets"] == 1102345.0


def test_a_grid_worker_may_not_open_the_books(client, world):
    built, _ = world
    answer = client.get("/api/collective/orgs", headers=headers(built, Role.GRID_WORKER))
    assert answer.status_code == 403


def test_members_are_listed_masked_and_a_whole_record_is_audited(client, world):
    built, codes = world
    listed = client.get(
        f"/collective/orgs/{codes['own']}/members",
        headers=headers(built, Role.COLLECTIVE_ACCOUNTANT),
    )
    assert listed.status_code == 200
    assert "王德才" in listed.text
    assert resident_id(1) not in listed.text
    assert resident_id(1)[:3] + "*" * 11 + resident_id(1)[-4:] in listed.text
    path = f"/collective/orgs/{codes['own']}/members/{codes['member']}"
    refused = client.get(path, headers=headers(built, Role.COLLECTIVE_ACCOUNTANT))
    assert refused.status_code == 403
    whole = client.get(path, headers=headers(built, Role.VILLAGE_CADRE))
    assert whole.status_code == 200 and resident_id(1) in whole.text
    with client.app.state.sessions() as session:
        actions = session.scalars(
            select(AuditRecord.action).where(AuditRecord.target_type == "collective_member")
        ).all()
    assert "collective.member.view" in actions


def test_the_accountant_closes_the_next_month_on_the_page(client, world):
    built, codes = world
    accountant = headers(built, Role.COLLECTIVE_ACCOUNTANT)
    page = client.get(f"/collective/orgs/{codes['own']}", headers=accountant)
    assert 'name="month" value="2024-01"' in page.text
    cadre = client.post(
        f"/collective/orgs/{codes['own']}/close",
        data={"month": "2024-01"},
        headers=headers(built, Role.VILLAGE_CADRE),
        follow_redirects=False,
    )
    assert cadre.status_code == 403
    done = client.post(
        f"/collective/orgs/{codes['own']}/close",
        data={"month": "2024-01"},
        headers=accountant,
        follow_redirects=False,
    )
    assert done.status_code == 303
    again = client.post(
        f"/collective/orgs/{codes['own']}/close", data={"month": "2024-01"}, headers=accountant
    )
    assert again.status_code == 422 and "下一个应结账的期间是 2024-02" in again.text
