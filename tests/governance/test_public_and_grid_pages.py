"""On the pages: a resident's public report gets a reference, arrives unclassed in the
village cadre's 待办, is classed (which routes it), closed by the place it went to, and its
reporter follows it to the feedback; a grid's page and the grid worker's own page list the
grid worker's 待办 across applications; a grid's households are a paged list; a household's
points page shows the balance, and a village cadre reverses a ledger row there with a reason."""

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from tests.factories import make_world
from tests.governance.factories import SYSTEM
from tests.monitor.factories import Member, add_household, headers
from yunong.core.auth.roles import Role
from yunong.fishery import fishers
from yunong.governance import grids, points
from yunong.policy import loader
from yunong.settings import Settings
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.web.app import create_app

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def world(module_db_url):
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        built = make_world(session)
        village = built.place.village
        made = add_household(
            session, village=village, number="001", members=[Member("向德明", date(1966, 3, 8))]
        )
        grid = grids.create(
            session,
            scope=SYSTEM,
            grid_in=grids.GridIn(village, "一组", built.accounts[Role.GRID_WORKER].name),
        )
        second = add_household(
            session, village=village, number="002", members=[Member("谭明珍", date(1970, 5, 2))]
        )
        grids.assign(
            session, scope=SYSTEM, grid=grid, keys=[made.household.code, second.household.code]
        )
        # Published points of the second household, for its page's reversal form.
        entry = points.record(
            session, scope=SYSTEM, rules=loader.get().governance,
            entry_in=points.EntryIn("002", "yard_clean", "庭院整洁", date(2024, 5, 6), village),
        )  # fmt: skip
        points.review(session, scope=SYSTEM, entry_id=entry.id, approve=True)
        points.publish(session, scope=SYSTEM, village=village, month="2024-05")
        # A retired fisher of the household, due for the grid worker's yearly visit: work of
        # 长江治渔 in the grid worker's 待办.
        fishers.register(
            session, scope=SYSTEM, fisher_in=fishers.FisherIn(made.persons[0].code, "2020-12-31")
        )
        built.grid_id = grid.id  # type: ignore[attr-defined]
        built.household = made.household.code  # type: ignore[attr-defined]
        built.earner = second.household.code  # type: ignore[attr-defined]
    engine.dispose()
    return built


@pytest.fixture(scope="module")
def client(module_db_url, world, tmp_path_factory):
    app = create_app(Settings(db_url=module_db_url, var_dir=tmp_path_factory.mktemp("var")))
    with TestClient(app) as client:
        yield client


def todo_links(client, world, role: Role) -> list[str]:
    kinds = client.get("/api/me/todo", headers=headers(world, role)).json()
    return [item["link"] for kind in kinds for item in kind["items"]]


def test_a_public_report_is_classed_routed_closed_and_followed(client, world):
    form = client.get(f"/governance/public/report?district={world.place.district}")
    assert form.status_code == 200 and "石坪村" in form.text
    sent = client.post(
        "/governance/public/report",
        data={
            "village": world.place.village,
            "text": "村口桥面有裂缝，雨天很危险",
            "reporter": "向",
        },
    )
    assert sent.status_code == 200
    reference = re.search(r'id="matter-reference"[^>]*>(\w+)<', sent.text).group(1)
    followed = client.get(f"/governance/public/report/follow?reference={reference}")
    assert "待村里分类" in followed.text

    cadre, town = headers(world, Role.VILLAGE_CADRE), headers(world, Role.TOWN_OFFICER)
    link = next(
        link for link in todo_links(client, world, Role.VILLAGE_CADRE) if "/matters/" in link
        and "分类" in client.get(link, headers=cadre).text
    )  # fmt: skip
    number = link.rsplit("/", 1)[1]
    unclassed = client.get("/governance?category=pending", headers=cadre).text
    assert number in unclassed and "待分类" in unclassed
    classed = client.post(
        f"/governance/matters/{number}/class",
        data={"kind": "big", "sector": "民生服务"},
        headers=cadre,
        follow_redirects=False,
    )
    assert classed.status_code == 303
    assert link not in todo_links(client, world, Role.VILLAGE_CADRE)
    assert link in todo_links(client, world, Role.TOWN_OFFICER)  # a 大事 goes to the town
    client.post(
        f"/governance/matters/{number}/close",
        data={"feedback": "已设置警示并安排维修"},
        headers=town,
    )
    followed = client.get(f"/governance/public/report/follow?reference={reference}")
    assert "已办结" in followed.text and "已设置警示并安排维修" in followed.text
    assert "大事" in followed.text and "向" not in followed.text.split('id="matter-status"')[1]


def test_a_public_report_without_a_village_is_refused_on_the_form(client):
    refused = client.post("/governance/public/report", data={"text": "路灯坏了好几天"})
    assert refused.status_code == 422
    assert "请选择事项所在的村（社区）" in refused.text and "路灯坏了好几天" in refused.text


def test_a_grid_page_lists_the_grid_workers_todo_by_application(client, world):
    cadre, grid = headers(world, Role.VILLAGE_CADRE), headers(world, Role.GRID_WORKER)
    page = client.get(f"/governance/grids/{world.grid_id}", headers=cadre).text
    mine = client.get("/governance/grids/mine", headers=grid).text
    worker_todo = todo_links(client, world, Role.GRID_WORKER)
    assert any(link.startswith("/fishery/fishers/") for link in worker_todo)
    for link in worker_todo:
        assert f'href="{link}"' in mine and f'href="{link}"' not in page
    assert "长江治渔" in page
    households = page.split('class="grid-households"')[1]
    assert "向**" in households and "向德明" not in households
    assert "一组" in mine and "长江治渔" in mine


def test_a_households_points_page_shows_its_balance(client, world):
    cadre = headers(world, Role.VILLAGE_CADRE)
    page = client.get(f"/governance/points/households/{world.household}", headers=cadre)
    assert page.status_code == 200
    assert re.search(r'id="points-held">0<', page.text)
    refused = client.post(
        f"/governance/points/households/{world.household}/redeem",
        data={"item": "洗衣粉", "points": "3"},
        headers=cadre,
    )
    assert refused.status_code == 422 and "积分不足" in refused.text


def test_a_grids_households_are_a_paged_list_sorted_and_searched(client, world):
    cadre = headers(world, Role.VILLAGE_CADRE)
    path = f"/governance/grids/{world.grid_id}"
    first = client.get(path, params={"size": "1", "sort": "-number"}, headers=cadre).text
    assert "第 1–1 条，共 2 条" in first and "谭**" in first and "向**" not in first
    assert 'rel="next"' in first
    found = client.get(path, params={"q": world.earner}, headers=cadre).text
    assert "第 1–1 条，共 1 条" in found and "谭**" in found


def test_a_village_cadre_reverses_a_ledger_row_on_the_household_page_with_a_reason(client, world):
    cadre = headers(world, Role.VILLAGE_CADRE)
    path = f"/governance/points/households/{world.earner}"
    form = client.get(path, headers=cadre).text.split('id="points-reverse"')[1]
    row = re.search(r'<option value="(\d+)"', form).group(1)
    unexplained = client.post(f"{path}/reverse", data={"ledger": row}, headers=cadre)
    assert unexplained.status_code == 422 and "请写明冲正的原因" in unexplained.text
    reversed_ = client.post(
        f"{path}/reverse", data={"ledger": row, "note": "登记错户"}, headers=cadre,
        follow_redirects=False,
    )  # fmt: skip
    assert reversed_.status_code == 303
    page = client.get(path, headers=cadre).text
    assert re.search(r'id="points-held">0<', page) and 'id="points-reverse"' not in page
