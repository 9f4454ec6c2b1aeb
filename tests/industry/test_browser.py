"""产业大脑 in headless Chromium: the city's page draws its charts with the vendored ECharts;
a district officer on a phone opens a warning from 待办 and records what was done."""

import pytest
from playwright.sync_api import expect

from tests.browser import DESKTOP, PHONE, browser_page, log_in, served
from tests.factories import PASSWORD, make_world
from tests.industry.factories import ratio_rows, week, write_csv
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.industry import importers
from yunong.policy import loader
from yunong.store.db import make_engine, make_sessionmaker, transaction

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def world(module_db_url, tmp_path_factory):
    rows = ratio_rows([6.5, 5.8, 5.6, 5.4, 6.2])
    rows += [[week(1).isoformat(), "蔬菜价格", "万州区", 4.0, "元/公斤", ""],
             [week(2).isoformat(), "蔬菜价格", "万州区", 5.0, "元/公斤", ""],
             ["2024-01", "生猪出栏量", "万州区", 900_000, "头", ""]]  # fmt: skip
    path = write_csv(tmp_path_factory.mktemp("files") / "series.csv", rows)
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        built = make_world(session)
        importers.import_file(session, scope=Scope.system("t"), path=path, pack=loader.get())
    engine.dispose()
    return built


@pytest.fixture(scope="module")
def server(module_db_url, world, tmp_path_factory):
    with served(module_db_url, tmp_path_factory.mktemp("var")) as address:
        yield address


def test_the_city_page_draws_its_charts(server, world):
    with browser_page(server, DESKTOP) as page:
        log_in(page, world.accounts[Role.CITY_ADMIN].name, PASSWORD)
        page.get_by_role("link", name="产业大脑").first.click()
        expect(page.locator("#ratio-chart")).to_have_attribute("data-drawn", "true")
        expect(page.locator("#floors-chart")).to_have_attribute("data-drawn", "true")
        expect(page.locator("[data-chain='1']")).to_have_attribute("data-drawn", "true")
        page.get_by_role("link", name="生猪", exact=True).first.click()
        expect(page.locator("#districts-map")).to_have_attribute("data-drawn", "true")
        expect(page.locator("#districts-map svg")).to_contain_text("万州区")


def test_a_district_officer_handles_a_warning_from_todo_on_a_phone(server, world):
    with browser_page(server, PHONE) as page:
        log_in(page, world.accounts[Role.DISTRICT_OFFICER].name, PASSWORD)
        page.goto("/")
        page.get_by_role("link", name=f"蔬菜价格 {week(2).isoformat()}").click()
        row = page.locator("tr[id^='warning-']")
        expect(row).to_have_count(1)
        row.get_by_label("处置情况").fill("已组织蔬菜调运平抑价格")
        row.get_by_role("button", name="记录处置").click()
        expect(page.get_by_role("status")).to_contain_text("已记录处置情况")
        expect(page.locator("tr[id^='warning-']")).to_contain_text("已组织蔬菜调运平抑价格")
        width = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        assert width
        page.goto("/")
        expect(page.get_by_role("link", name=f"蔬菜价格 {week(2).isoformat()}")).to_have_count(0)
