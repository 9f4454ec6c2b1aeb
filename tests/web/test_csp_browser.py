"""The content security policy in headless Chromium: the pages that run scripts (the shell's
menu and region switcher, the charts, the maps, the self-report form, the API docs) run them
all, and the browser refuses nothing (issue 20, finding 15)."""

import pytest

from tests.browser import DESKTOP, PHONE, browser_page, log_in, served
from tests.factories import PASSWORD
from yunong.core.auth.roles import Role

pytestmark = pytest.mark.browser
SIGNED_IN_PAGES = ["/", "/apps/assess", "/apps/land", "/apps/monitor", "/api/docs"]


@pytest.fixture(scope="module")
def server(module_db_url, world, tmp_path_factory):
    with served(module_db_url, tmp_path_factory.mktemp("var")) as address:
        yield address


def watched(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_signed_in_pages_run_their_scripts_with_nothing_refused(server, world):
    with browser_page(server, DESKTOP) as page:
        problems = watched(page)
        log_in(page, world.accounts[Role.DISTRICT_OFFICER].name, PASSWORD)
        for path in SIGNED_IN_PAGES:
            page.goto(path)
            page.wait_for_load_state("networkidle")
        # The region switcher submits itself from /static/app.js, not from an onchange.
        page.goto("/")
        with page.expect_navigation():
            page.select_option("#region-switcher", world.place.town)
        assert "龙沙镇" in page.locator(".breadcrumb").inner_text()
        # Swagger UI drew the operations from /static/api-docs.js.
        page.goto("/api/docs")
        page.wait_for_selector(".opblock")
    assert problems == []


def test_the_phone_menu_starts_folded_and_the_self_report_form_suggests_villages(server, world):
    with browser_page(server, PHONE) as page:
        problems = watched(page)
        log_in(page, world.accounts[Role.GRID_WORKER].name, PASSWORD)
        page.goto("/")
        assert page.locator("#menu").get_attribute("open") is None
        page.goto("/report")
        page.get_by_label("所在村").fill("石坪")
        # (A string of JavaScript to wait on would be eval, which the policy refuses too.)
        page.locator("#village-list option").first.wait_for(state="attached")
    assert problems == []
