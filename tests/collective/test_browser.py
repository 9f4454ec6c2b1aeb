"""财务公开 in headless Chromium on a phone: the village's public page shows nothing until the
民主理财小组 approves the quarter the accountant generated, then shows its eight categories."""

import pytest
from playwright.sync_api import expect

from tests.browser import PHONE, browser_page, log_in, served
from tests.collective.factories import RULES, SYSTEM, make_org, write_book
from tests.factories import PASSWORD, make_world
from yunong.collective import disclosure, importer
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.store.db import make_engine, make_sessionmaker, transaction

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def world(module_db_url, tmp_path_factory):
    engine = make_engine(module_db_url)
    book = write_book(tmp_path_factory.mktemp("books") / "凭证.xlsx")
    with transaction(make_sessionmaker(engine)) as session:
        built = make_world(session)
        org = make_org(session, built.place.village)
        importer.import_vouchers(session, scope=SYSTEM, org=org, path=book, rules=RULES)
        accountant = Scope(
            actor="accountant",
            region_code=built.place.village,
            role=Role.COLLECTIVE_ACCOUNTANT.value,
        )
        disclosure.generate(session, scope=accountant, org=org, period="2024Q4", rules=RULES)
    engine.dispose()
    return built


@pytest.fixture(scope="module")
def server(module_db_url, world, tmp_path_factory):
    with served(module_db_url, tmp_path_factory.mktemp("var")) as address:
        yield address


def test_the_quarter_reaches_the_public_phone_page_only_after_the_group_approves(server, world):
    public = f"/collective/public/{world.place.village}"
    with browser_page(server, PHONE) as page:
        page.goto(public)
        expect(page.locator("#none")).to_be_visible()

        log_in(page, world.accounts[Role.FINANCE_GROUP].name, PASSWORD)
        page.goto("/collective/disclosures")
        page.get_by_role("link", name="石坪村股份经济合作联合社 2024Q4").click()
        expect(page.locator("#state")).to_have_text("待民主理财小组审核")
        page.get_by_role("button", name="审核通过并公开").click()
        expect(page.locator(".done")).to_have_text("已审核，财务公开已在村公开页发布")

        page.context.clear_cookies()
        page.goto(public)
        article = page.locator("#disclosure-2024Q4")
        expect(article.locator("h3")).to_have_text(
            ["财务计划", "收入", "支出", "资产", "资源", "债权债务", "收益分配", "其他"]
        )
        expect(article).to_contain_text("3,210.15")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"] + 1
