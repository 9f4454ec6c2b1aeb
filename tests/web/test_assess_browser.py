"""考核驾驶舱 in headless Chromium: the city cockpit draws its charts without a JavaScript
error, reads on a phone, and drills into a district."""

import pytest
from playwright.sync_api import expect

from tests.assess.factories import CITY, FULING, PACK, WANZHOU, approved
from tests.browser import DESKTOP, PHONE, browser_page, log_in, served
from tests.factories import PASSWORD
from yunong.assess import scoring
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.store.db import make_engine, make_sessionmaker, transaction

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def scored(module_db_url, world):
    """2024 values of the city, 万州 and 涪陵, approved and scored."""
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        approved(session, CITY, 2024)
        approved(session, WANZHOU, 2024, rural_income_growth=7.5)
        approved(session, FULING, 2024, rural_income_growth=3.0)
    with transaction(make_sessionmaker(engine)) as session:
        scoring.compute(session, scope=Scope.system("test"), pack=PACK, period=2024)
    engine.dispose()


@pytest.fixture(scope="module")
def server(module_db_url, scored, tmp_path_factory):
    with served(module_db_url, tmp_path_factory.mktemp("var")) as address:
        yield address


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def cockpit_page(server, request):
    with browser_page(server, request.param) as page:
        problems: list[str] = []
        page.on(
            "console", lambda message: message.type == "error" and problems.append(message.text)
        )
        page.on("pageerror", lambda error: problems.append(str(error)))
        yield page, problems


def test_the_city_cockpit_draws_its_charts_and_drills_into_a_district(cockpit_page, world):
    page, problems = cockpit_page
    log_in(page, world.accounts[Role.CITY_ADMIN].name, PASSWORD)
    page.goto("/apps/assess")
    expect(page.locator("h1")).to_have_text("考核驾驶舱 · 2024")
    expect(page.locator("#ranking-chart[data-drawn=true] svg")).to_have_count(1)
    expect(page.locator("#score-map[data-drawn=true] svg path").first).to_be_attached()
    expect(page.locator(".gauge[data-drawn=true] svg")).not_to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.locator("table.ranking").get_by_role("link", name="万州区").click()
    expect(page.locator("#district-name")).to_have_text("万州区 · 2024")
    expect(page.locator("#progress-chart[data-drawn=true] svg")).to_have_count(1)
    expect(page.get_by_role("link", name="农村常住居民人均可支配收入增速")).to_be_visible()
    assert problems == []
