"""通知公告 in the browser's terms: the list with the 发布通知 form for the offices only, a
refused publisher answered 403 and recorded, per-field errors, and a notice's page that
signs for it and shows its office who has read it."""

import re

import pytest
from fastapi.testclient import TestClient

from tests.factories import make_world
from tests.monitor.factories import headers
from yunong.core.auth import service as users
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.web.app import create_app


@pytest.fixture(scope="module")
def world(module_db_url):
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        built = make_world(session)
    engine.dispose()
    return built


@pytest.fixture(scope="module")
def stranger(module_db_url, world) -> dict[str, str]:
    """The bearer header of the grid worker of 凤阳村, in 涪陵区."""
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        token = users.create_token(
            session, scope=Scope.system("factory"), user_id=world.user_other_district
        )
    engine.dispose()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def client(module_db_url, world, tmp_path_factory):
    app = create_app(Settings(db_url=module_db_url, var_dir=tmp_path_factory.mktemp("var")))
    with TestClient(app) as client:
        yield client


def publish(client, world, title: str, role: Role = Role.DISTRICT_OFFICER, **fields):
    form = {"title": title, "body": "请于月底前完成排查。", "due_on": ""} | fields
    return client.post("/notices", data=form, headers=headers(world, role), follow_redirects=False)


def published(client, world, title: str, **fields) -> str:
    """The address of a notice the district office published."""
    answer = publish(client, world, title, **fields)
    assert answer.status_code == 303, answer.text[:500]
    return answer.headers["location"].split("?")[0]


def signs_waiting(client, world, role: Role) -> list[str]:
    found = client.get("/api/me/todo", headers=headers(world, role)).json()
    return [item["subject"] for kind in found if kind["application"] == "notices"
            for item in kind["items"]]  # fmt: skip


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_every_role_has_the_notices_in_its_menu(client, world, role):
    page = client.get("/notices", headers=headers(world, role))
    assert page.status_code == 200
    assert '<a href="/notices"' in page.text


@pytest.mark.parametrize(
    ("role", "offered"),
    [(Role.DISTRICT_OFFICER, True), (Role.TOWN_OFFICER, True), (Role.VILLAGE_CADRE, False),
     (Role.BANK_VIEWER, False), (Role.COLLECTIVE_ACCOUNTANT, False)],
    ids=lambda value: value.value if isinstance(value, Role) else str(value),
)  # fmt: skip
def test_only_the_offices_are_offered_the_publish_form(client, world, role, offered):
    page = client.get("/notices", headers=headers(world, role)).text
    assert ('method="post" action="/notices"' in page) is offered
    assert ("发布通知" in page) is offered


def test_a_notice_sent_by_a_role_that_may_not_publish_is_refused_and_recorded(client, world):
    answer = publish(client, world, "银行发布的通知", role=Role.BANK_VIEWER)
    assert answer.status_code == 403
    trail = client.get(
        "/api/audit", params={"limit": 20}, headers=headers(world, Role.CITY_ADMIN)
    ).json()
    assert any(
        entry["action"] == "access.refused" and entry["actor"] == "bank_viewer_01"
        for entry in trail
    )
    listed = client.get("/notices", headers=headers(world, Role.CITY_ADMIN)).text
    assert "银行发布的通知" not in listed


def test_wrong_fields_are_named_beside_the_form_which_keeps_what_was_typed(client, world):
    answer = publish(client, world, "", body="正文照旧", due_on="2020-01-01")
    assert answer.status_code == 422
    assert 'id="title-error">请填写标题<' in answer.text
    assert re.search(r'id="due-error">2020-01-01 已经过去', answer.text)
    assert ">正文照旧</textarea>" in answer.text


def test_publishing_says_what_happened_and_shows_the_receipts(client, world):
    answer = publish(client, world, "关于开展冬季走访的通知")
    assert answer.headers["location"].endswith("?done=published")
    page = client.get(answer.headers["location"], headers=headers(world, Role.DISTRICT_OFFICER))
    assert "已发布：接收人打开通知即为签收" in page.text
    # The office's own reading is the first receipt; the other seven in 万州区 have not read.
    assert "已读 1 人，共 9 人" in page.text
    assert "grid_shiping_02" in page.text and "13912345678" not in page.text


def test_opening_a_notice_signs_for_it_and_the_office_counts_one_more(client, world):
    link = published(client, world, "关于核对集体资产台账的通知")
    office = headers(world, Role.DISTRICT_OFFICER)
    before = re.search(r"已读 (\d+) 人", client.get(link, headers=office).text).group(1)
    assert "关于核对集体资产台账的通知" in signs_waiting(client, world, Role.COLLECTIVE_ACCOUNTANT)

    opened = client.get(link, headers=headers(world, Role.COLLECTIVE_ACCOUNTANT)).text
    assert "已签收：本通知已从您的待办中移除。" in opened
    assert "签收情况" not in opened  # those who receive it do not follow it up
    assert "关于核对集体资产台账的通知" not in signs_waiting(
        client, world, Role.COLLECTIVE_ACCOUNTANT
    )
    after = re.search(r"已读 (\d+) 人", client.get(link, headers=office).text).group(1)
    assert int(after) == int(before) + 1


def test_a_read_only_role_signs_by_reading(client, world):
    link = published(client, world, "关于小额信贷风险排查的通知")
    page = client.get(link, headers=headers(world, Role.BANK_VIEWER)).text
    assert 'id="my-receipt"' in page
    assert "关于小额信贷风险排查的通知" not in signs_waiting(client, world, Role.BANK_VIEWER)


def test_the_text_is_shown_as_typed_never_as_markup(client, world):
    link = published(client, world, "<b>加粗</b>标题", body="<script>alert(1)</script>\n第二行")
    page = client.get(link, headers=headers(world, Role.GRID_WORKER)).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;加粗&lt;/b&gt;标题" in page


def test_a_notice_of_another_district_is_not_found(client, world, stranger):
    link = published(client, world, "万州区内部通知")
    answer = client.get(link, headers=stranger)
    assert answer.status_code == 404
    assert "万州区内部通知" not in answer.text
