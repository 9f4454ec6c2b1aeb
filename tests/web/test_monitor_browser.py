"""防返贫监测 pages in headless Chromium: the offline visit form on a phone, the household
page, the zeroing page and the map of open alerts."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.browser import browser_page, log_in, served
from tests.factories import PASSWORD
from tests.monitor.factories import add_alert, add_household, add_village_centre, family
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.monitor import opening, workflow
from yunong.monitor.models import Visit
from yunong.policy import loader
from yunong.store.db import make_engine, make_sessionmaker, transaction

pytestmark = pytest.mark.browser
PACK = loader.get()
SHIPING = (108.4, 30.8)
"""Where 石坪村 is drawn on the map."""


@pytest.fixture(scope="module")
def scene(module_db_url, world):
    """A household at town review since June 2024, one never verified, one to visit."""
    engine = make_engine(module_db_url)
    place = world.place
    grid = world.accounts[Role.GRID_WORKER].name
    with transaction(make_sessionmaker(engine)) as session:
        reviewed = add_household(session, village=place.village, number="0601", members=family())
        case = opening.open_case(
            session,
            scope=Scope(actor="cadre", region_code=place.village, role=Role.VILLAGE_CADRE.value),
            alert_id=add_alert(session, reviewed).id,
            grid_worker=grid,
            pack=PACK,
            today=date(2024, 6, 3),
        )
        for name, role, actor in (
            ("verify", Role.GRID_WORKER, grid),
            ("village_review", Role.VILLAGE_CADRE, "cadre"),
        ):
            workflow.take_step(
                session,
                scope=Scope(actor=actor, region_code=place.village, role=role.value),
                case=case,
                step_name=name,
                pack=PACK,
                today=date(2024, 6, 5),
            )
        # Never verified: a visit overdue since June 2024, whatever the other tests do.
        forgotten = add_household(
            session, village=place.village, number="0603", members=family("周平")
        )
        opening.open_case(
            session,
            scope=Scope(actor="cadre", region_code=place.village, role=Role.VILLAGE_CADRE.value),
            alert_id=add_alert(session, forgotten).id,
            grid_worker=grid,
            pack=PACK,
            today=date(2024, 6, 3),
        )
        visited = add_household(
            session, village=place.village, number="0602", members=family("刘大山")
        )
        add_village_centre(session, place.village, *SHIPING)
        codes = (reviewed.household.code, visited.household.code)
    engine.dispose()
    return codes


@pytest.fixture(scope="module")
def server(module_db_url, scene, tmp_path_factory):
    with served(module_db_url, tmp_path_factory.mktemp("var")) as address:
        yield address


@pytest.fixture
def phone(server):
    with browser_page(server) as page:
        yield page.context, page


def visits_of(module_db_url: str) -> int:
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        found = session.scalar(select(func.count()).select_from(Visit))
    engine.dispose()
    return int(found or 0)


def test_a_visit_filled_in_offline_is_sent_once_when_the_phone_is_back_online(
    phone, world, scene, module_db_url
):
    context, page = phone
    log_in(page, world.accounts[Role.GRID_WORKER].name, PASSWORD)
    page.goto("/monitor/visit")
    expect(page.locator("h1")).to_have_text("走访登记")
    page.evaluate("navigator.serviceWorker.ready")
    before = visits_of(module_db_url)

    context.set_offline(True)
    page.reload()  # the form itself opens without signal
    page.get_by_label("农户").select_option(scene[1])
    page.get_by_label("人均纯收入估算（元/年）").fill("6800")
    page.get_by_label("因病").check()
    page.get_by_label("情况记录").fill("户主腰伤，暂不能外出务工")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已保存在手机上，联网后自动发送")
    expect(page.locator("#visit-queue li")).to_have_count(1)
    assert visits_of(module_db_url) == before
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    context.set_offline(False)
    expect(page.get_by_role("status")).to_have_text(
        "已发送：刘大山户（石坪村）的走访，发现的风险已记为信号，筛查后由村干部派发核实"
    )
    expect(page.locator("#visit-queue li")).to_have_text("无")
    page.reload()
    page.evaluate("new Promise(resolve => setTimeout(resolve, 500))")
    assert visits_of(module_db_url) == before + 1


def test_the_household_page_shows_the_record_and_the_town_officer_reviews_it(phone, world, scene):
    _, page = phone
    log_in(page, world.accounts[Role.TOWN_OFFICER].name, PASSWORD)
    page.goto(f"/monitor/households/{scene[0]}")
    expect(page.locator("h1")).to_have_text("农户档案")
    expect(page.locator("#case-state")).to_have_text("待乡镇审核")
    expect(page.locator(".light-red")).to_contain_text("已超时")
    expect(page.locator("td.id-number").first).to_have_text(re.compile(r"^\d{3}\*+\d{3}[\dX]$"))
    expect(page.locator(".timeline")).to_contain_text("村级民主评议并公示：同意")
    page.get_by_label("意见").fill("材料齐全，同意上报")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#case-state")).to_have_text("待区县审批")
    expect(page.locator(".timeline")).to_contain_text("乡镇审核：同意（town_officer_01）")


def test_the_zeroing_page_shows_problems_by_region_and_age(phone, world, scene):
    _, page = phone
    log_in(page, world.accounts[Role.DISTRICT_OFFICER].name, PASSWORD)
    page.goto("/monitor/zeroing")
    expect(page.locator("h1")).to_have_text("问题动态清零")
    row = page.locator("table.by-region tbody tr").filter(has_text="龙沙镇")
    expect(row.locator("td").nth(3)).not_to_have_text("0")
    expect(page.locator("table.problems")).to_contain_text("入户核实超时")
    expect(page.locator("table.problems")).to_contain_text("万州区 龙沙镇 石坪村")
    expect(page.locator("#zeroing-rate")).to_contain_text("%")


def test_the_map_draws_the_village_with_open_alerts_and_opens_its_queue(phone, world, scene):
    _, page = phone
    log_in(page, world.accounts[Role.TOWN_OFFICER].name, PASSWORD)
    with page.expect_response(lambda response: "/monitor/alert-map.json" in response.url) as sent:
        page.goto("/monitor/map")
    points = sent.value.json()["points"]
    assert [(point["name"], point["identifying"]) for point in points] == [("石坪村", 2)]
    assert points[0]["overdue"] >= 1  # the visit never made since June 2024
    chart = page.locator("#alert-map")
    expect(chart).to_have_attribute("data-drawn", "true")
    expect(chart.locator("canvas")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    x, y = page.evaluate(f"window.monitorMap.convertToPixel({{geoIndex: 0}}, {list(SHIPING)})")
    box = chart.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + x, box["y"] + y)
    expect(page).to_have_url(re.compile(rf"/apps/monitor\?village={world.place.village}$"))
    expect(page.locator("#village-filter")).to_contain_text("石坪村")
