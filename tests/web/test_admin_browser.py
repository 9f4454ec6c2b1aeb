"""User administration and 操作日志 in headless Chromium: a town officer adds a grid worker,
issues an API token and revokes it, and finds each of these actions in 操作日志."""

import pytest
from playwright.sync_api import expect

from tests.browser import DESKTOP, browser_page, log_in, served
from tests.factories import PASSWORD
from yunong.core.auth.roles import Role

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(module_db_url, world, tmp_path_factory):
    with served(module_db_url, tmp_path_factory.mktemp("var")) as address:
        yield address


def test_a_town_officer_adds_a_user_issues_and_revokes_a_token_and_finds_it_in_the_log(
    server, world
):
    with browser_page(server, DESKTOP) as page:
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        log_in(page, world.accounts[Role.TOWN_OFFICER].name, PASSWORD)
        page.get_by_role("link", name="用户管理").click()
        page.get_by_role("link", name="添加用户").click()
        page.get_by_label("用户名").fill("grid_shiping_browser")
        page.get_by_label("姓名").fill("向小红")
        page.get_by_label("角色").select_option(label="网格员")
        page.get_by_label("所属区划").select_option(label="石坪村")
        page.get_by_label("初始密码").fill("Shiping@Browser-2024")
        page.get_by_role("button", name="添加用户").click()
        expect(page.locator("#feedback")).to_contain_text("已添加用户 grid_shiping_browser")

        page.get_by_label("用途").fill("走访数据同步")
        page.get_by_role("button", name="签发令牌").click()
        expect(page.locator("#new-token code")).to_contain_text("yn_")
        page.get_by_role("button", name="吊销令牌").click()
        expect(page.locator("#feedback")).to_contain_text("已吊销 grid_shiping_browser 的 API 令牌")
        expect(page.locator("table.tokens")).to_contain_text("已吊销")

        page.get_by_role("link", name="操作日志", exact=True).click()
        page.get_by_label("操作类别").select_option(label="用户与令牌")
        page.get_by_role("button", name="查询").click()
        log = page.locator("table.audit tbody")
        for action in ("user.create", "token.create", "token.revoke"):
            expect(log.locator("tr", has_text=action).first).to_contain_text("town_officer_01")
        assert problems == []
