"""A village cadre in headless Chromium, on a phone-sized screen."""

import pytest
from playwright.sync_api import expect

from tests.browser import browser_page, log_in, served
from tests.factories import PASSWORD
from yunong.core.auth.roles import Role

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(module_db_url, world, tmp_path_factory):
    with served(module_db_url, tmp_path_factory.mktemp("var")) as address:
        yield address


@pytest.fixture
def page(server):
    with browser_page(server) as page:
        yield page


def test_a_village_cadre_sees_only_the_village_switches_language_and_logs_out(page, world):
    log_in(page, world.accounts[Role.VILLAGE_CADRE].name, PASSWORD)
    expect(page.locator("h1")).to_have_text("我的待办")
    expect(page.locator("h2")).to_have_text("石坪村")
    options = page.locator("#region-switcher option")
    expect(options).to_have_count(1)
    expect(options.first).to_have_text("石坪村")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.get_by_role("link", name="中文").click()
    expect(page.get_by_role("button", name="退出")).to_be_visible()

    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(f"{page.url.split('/login')[0]}/login")
    expect(page.get_by_role("button", name="登录")).to_be_visible()


def test_a_failed_login_shows_a_chinese_message(page, world):
    log_in(page, world.accounts[Role.GRID_WORKER].name, "not-the-password")
    expect(page.get_by_role("alert")).to_have_text("用户名或密码错误，或账号已停用")
