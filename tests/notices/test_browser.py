"""通知公告 in headless Chromium: a district officer publishes a notice on a desktop; the bank
viewer, who may change nothing, signs for it on a phone by opening it from 待办; the office
sees one more reader."""

import pytest
from playwright.sync_api import expect

from tests.browser import DESKTOP, PHONE, browser_page, log_in, served
from tests.factories import PASSWORD, make_world
from yunong.core.auth.roles import Role
from yunong.store.db import make_engine, make_sessionmaker, transaction

pytestmark = pytest.mark.browser
TITLE = "关于做好冬季防火安全检查的通知"


@pytest.fixture(scope="module")
def world(module_db_url):
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        built = make_world(session)
    engine.dispose()
    return built


@pytest.fixture(scope="module")
def server(module_db_url, world, tmp_path_factory):
    with served(module_db_url, tmp_path_factory.mktemp("var")) as address:
        yield address


def test_a_notice_published_on_a_desktop_is_signed_for_on_a_phone_by_opening_it(server, world):
    with browser_page(server, DESKTOP) as page:
        log_in(page, world.accounts[Role.DISTRICT_OFFICER].name, PASSWORD)
        page.get_by_role("link", name="通知公告").first.click()
        page.locator("summary", has_text="发布通知").click()
        page.get_by_label("标题").fill(TITLE)
        page.get_by_label("正文").fill("各乡镇、村：\n请于本月底前完成冬季防火安全检查。")
        page.get_by_role("button", name="发布", exact=True).click()
        expect(page.locator("#feedback")).to_contain_text("已发布")
        expect(page.locator("#receipt-count")).to_have_text("已读 1 人，共 9 人")
        notice = page.url.split("?")[0]

    with browser_page(server, PHONE) as page:
        log_in(page, world.accounts[Role.BANK_VIEWER].name, PASSWORD)
        page.goto("/")
        page.get_by_role("link", name=TITLE).click()
        expect(page.locator("#feedback")).to_have_text("已签收：本通知已从您的待办中移除。")
        expect(page.locator(".notice-text .body")).to_contain_text("冬季防火安全检查")
        expect(page.get_by_role("button", name="发布", exact=True)).to_have_count(0)
        page.goto("/")
        expect(page.get_by_role("link", name=TITLE)).to_have_count(0)

    with browser_page(server, DESKTOP) as page:
        log_in(page, world.accounts[Role.DISTRICT_OFFICER].name, PASSWORD)
        page.goto(notice)
        expect(page.locator("#receipt-count")).to_have_text("已读 2 人，共 9 人")
        expect(page.locator("#unread")).not_to_contain_text("bank_viewer_01")
