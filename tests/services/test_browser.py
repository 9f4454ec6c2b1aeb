"""农事服务 in headless Chromium (issue 24's done-when): a farmer orders the harvest of two of
their parcels in 种粮宝 on a phone; the town's service centre moves its combine harvester to
where it stands, dispatches the day on the board and confirms it, and records the work done;
the farmer's page and the parcel events API then show the harvest on both parcels."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser import PHONE, browser_page, log_in, served
from tests.factories import PASSWORD, make_world
from tests.services.factories import add_machine, held_parcels
from yunong.core.auth.roles import Role
from yunong.store.db import make_engine, make_sessionmaker, transaction

pytestmark = pytest.mark.browser
DAY = date(2026, 9, 15)
WHERE = {"longitude": 108.4123, "latitude": 30.8012, "accuracy": 15}


@pytest.fixture(scope="module")
def world(module_db_url, tmp_path_factory):
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        built = make_world(session)
        built.parcels = held_parcels(  # type: ignore[attr-defined]
            session, built.place, built.code_in_village, tmp_path_factory.mktemp("parcels")
        )
        add_machine(session, "J-LS-01", built.place.village, lon=108.50, lat=30.85)
    engine.dispose()
    return built


@pytest.fixture(scope="module")
def server(module_db_url, world, tmp_path_factory):
    with served(module_db_url, tmp_path_factory.mktemp("var")) as address:
        yield address


def test_a_farmers_phone_order_for_two_parcels_is_dispatched_done_and_on_both(server, world):
    first, second, third = world.parcels
    with browser_page(server, PHONE) as page:
        log_in(page, world.accounts[Role.FARMER].name, PASSWORD)
        page.goto("/services/grower")
        page.get_by_label("作业类型").select_option("收获")
        page.get_by_label(first).check()
        page.get_by_label(second).check()
        page.get_by_label("最早日期").fill("2026-09-14")
        page.get_by_label("最晚日期").fill("2026-09-16")
        page.get_by_label("意向价格（元/亩，选填）").fill("80")
        page.get_by_role("button", name="提交订单").click()
        expect(page.get_by_role("status")).to_have_text("订单已提交，等待服务中心派单")
        expect(page.locator("td.order-state")).to_have_text(["待派单"])
        order = page.locator("#orders ~ div table tbody a").first.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    with browser_page(server, PHONE) as page:
        page.context.grant_permissions(["geolocation"], origin=server)
        page.context.set_geolocation(WHERE)
        log_in(page, world.accounts[Role.TOWN_OFFICER].name, PASSWORD)
        page.goto("/services/machines/J-LS-01")
        page.get_by_role("button", name="更新位置").click()
        expect(page.get_by_role("status")).to_have_text("机具位置已更新")
        expect(page.locator("#machine-position")).to_have_text("108.412300, 30.801200")

        page.goto(f"/services/dispatch?day={DAY.isoformat()}")
        page.get_by_role("button", name="求解派单").click()
        expect(page.locator("#plan-summary")).to_contain_text("已派 1 个订单")
        expect(page.locator(f'tr[data-order="{order}"]')).to_contain_text("J-LS-01")
        page.get_by_role("button", name="确认派单").click()
        expect(page.get_by_role("status")).to_have_text("派单已确认，机手和农户可以看到")
        expect(page.locator(f'tr[data-order="{order}"]')).to_contain_text("已确认")

        page.get_by_role("link", name=order).first.click()
        page.get_by_label("作业日期").fill(DAY.isoformat())
        page.get_by_role("button", name="作业完成").click()
        expect(page.get_by_role("status")).to_have_text("作业已登记，已记在订单的每块地上")
        expect(page.locator("#order-status")).to_have_text("已完成")

    with browser_page(server, PHONE) as page:
        log_in(page, world.accounts[Role.FARMER].name, PASSWORD)
        page.goto("/services/grower")
        expect(page.locator("td.order-state")).to_have_text(["已完成"])
        for parcel in (first, second):
            events = page.locator(f'section[data-parcel="{parcel}"] ul.events li')
            expect(events).to_have_count(1)
            expect(events).to_contain_text(f"{DAY.isoformat()} 收获 9.00 亩")
        expect(page.locator(f'section[data-parcel="{third}"] ul.events li')).to_have_count(0)
        for parcel in (first, second):
            answer = page.request.get(f"/api/services/parcels/{parcel}/events").json()
            assert [(e["operation"], e["done_on"], e["machine"]) for e in answer] == [
                ("收获", DAY.isoformat(), "J-LS-01")
            ]
