"""The list component in headless Chromium on a phone: the next page and a sort replace the
list in place and the address follows; a filter chosen from its drop-down applies at once;
the figures of the queue arrive after its list; nothing is written to the console."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser import browser_page, log_in, served
from tests.factories import PASSWORD
from tests.monitor.factories import Member, add_alert, add_household
from yunong.core.auth.roles import Role
from yunong.store.db import make_engine, make_sessionmaker, transaction

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def scene(module_db_url, world):
    """Five households in 石坪村 and two in 复兴村, one of them with an alert."""
    engine = make_engine(module_db_url)
    place = world.place
    with transaction(make_sessionmaker(engine)) as session:
        for number, village in enumerate([place.village] * 5 + [place.neighbour_village] * 2):
            made = add_household(
                session,
                village=village,
                number=f"{number:04d}",
                members=[Member(f"户主{number}", date(1970, 3, 1 + number))],
            )
            if number == 6:
                add_alert(session, made)
    engine.dispose()


@pytest.fixture(scope="module")
def server(module_db_url, scene, tmp_path_factory):
    with served(module_db_url, tmp_path_factory.mktemp("var")) as address:
        yield address


@pytest.fixture
def officer(server, world):
    with browser_page(server) as page:
        errors: list[str] = []
        page.on(
            "console",
            lambda message: errors.append(message.text) if message.type == "error" else None,
        )
        page.on("pageerror", lambda error: errors.append(str(error)))
        log_in(page, world.accounts[Role.TOWN_OFFICER].name, PASSWORD)
        yield page, errors


def test_the_next_page_replaces_the_list_and_the_address_follows(officer):
    page, errors = officer
    page.goto("/monitor/households?size=2")
    expect(page.locator(".list-count").first).to_have_text("第 1–2 条，共 7 条")
    page.evaluate("window.stillThisPage = true")
    page.get_by_role("link", name="下一页").first.click()
    expect(page.locator(".list-count").first).to_have_text("第 3–4 条，共 7 条")
    expect(page).to_have_url(re.compile(r"page=2"))
    assert page.evaluate("window.stillThisPage === true")  # swapped in place, not reloaded
    assert errors == []


def test_a_second_click_on_a_column_sorts_it_the_other_way(officer):
    page, errors = officer
    page.goto("/monitor/households?size=2")
    page.get_by_role("link", name="全农码").click()
    expect(page).to_have_url(re.compile(r"sort=code"))
    page.get_by_role("link", name="全农码").click()
    expect(page).to_have_url(re.compile(r"sort=-code"))
    expect(page.locator("th[aria-sort=descending]")).to_have_count(1)
    assert errors == []


def test_choosing_a_village_in_the_region_filter_shows_only_its_households(officer, world):
    page, errors = officer
    page.goto("/monitor/households")
    page.locator("select[name=region]").select_option(world.place.neighbour_village)
    expect(page.locator(".list-count").first).to_have_text("第 1–2 条，共 2 条")
    assert "户主0" not in page.locator("table.households").inner_text()
    assert errors == []


def test_the_queue_shows_its_figures_after_its_list(officer):
    page, errors = officer
    page.goto("/apps/monitor")
    expect(page.locator("#overview #monitored")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert errors == []
