"""A village cadre in headless Chromium, on a phone-sized screen."""

import os
import subprocess
import sys
import time
import urllib.request

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.factories import PASSWORD
from tests.test_make_demo import free_port
from yunong.core.auth.roles import Role

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(module_db_url, world, tmp_path_factory):
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("YUNONG_")}
    env |= {
        "YUNONG_DB_URL": module_db_url,
        "YUNONG_PORT": str(port),
        "YUNONG_VAR_DIR": str(tmp_path_factory.mktemp("var")),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "yunong", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    address = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{address}/api/health", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield address
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def page(server):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=PHONE, base_url=server, locale="zh-CN")
        yield context.new_page()
        browser.close()


def log_in(page: Page, name: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_a_village_cadre_sees_only_the_village_switches_language_and_logs_out(page, world):
    log_in(page, world.accounts[Role.VILLAGE_CADRE].name, PASSWORD)
    expect(page.locator("h1")).to_have_text("石坪村")
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
    expect(page.get_by_role("alert")).to_have_text("用户名或密码错误")
