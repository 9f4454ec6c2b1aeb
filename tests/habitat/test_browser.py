"""改厕走访 in headless Chromium on a phone: the grid worker opens a household's application
from 待办, records the visit that finds the toilet built, and the town officer then finds it
to accept on a desktop."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser import DESKTOP, PHONE, browser_page, log_in, served
from tests.factories import PASSWORD, make_world
from tests.habitat.factories import HABITAT
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.habitat import toilets
from yunong.store.db import make_engine, make_sessionmaker, transaction

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def world(module_db_url):
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        built = make_world(session)
        cadre = Scope(actor="cadre", region_code=built.place.village, role=Role.VILLAGE_CADRE)
        application = toilets.ApplicationIn(built.place.village, "0088", "罗永福", "三格式")
        toilets.apply(session, scope=cadre, application_in=application,
                      rules=HABITAT.toilets, on=date(2024, 8, 1))  # fmt: skip
    engine.dispose()
    return built


@pytest.fixture(scope="module")
def server(module_db_url, world, tmp_path_factory):
    with served(module_db_url, tmp_path_factory.mktemp("var")) as address:
        yield address


def test_the_grid_worker_records_a_built_toilet_on_a_phone_from_todo(server, world):
    with browser_page(server, PHONE) as page:
        log_in(page, world.accounts[Role.GRID_WORKER].name, PASSWORD)
        page.goto("/")
        page.get_by_role("link", name="罗永福户（0088）").click()
        expect(page.get_by_label("户编号")).to_have_value("0088")
        page.get_by_label("厕所类型").select_option("三格式")
        page.get_by_role("button", name="提交走访").click()
        expect(page.locator(".done")).to_have_text("走访已记录，改厕已建成，待乡镇验收")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"] + 1

    with browser_page(server, DESKTOP) as page:
        log_in(page, world.accounts[Role.TOWN_OFFICER].name, PASSWORD)
        page.goto("/")
        page.get_by_role("link", name="罗永福户（0088）").click()
        page.get_by_role("button", name="验收合格").click()
        expect(page.locator(".done")).to_have_text("已验收，待区县发放补助")
