"""The public scan page on a phone, and a producer recording events and issuing the
certificate, in headless Chromium."""

import pytest
from playwright.sync_api import expect

from tests.browser import browser_page, log_in, served
from tests.factories import PASSWORD
from tests.trace.factories import SYSTEM, add_batch, grow_and_harvest, make_trace_world, record
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.trace import certificates

pytestmark = pytest.mark.browser
PERSONAL = ("张建国", "13912345678")


@pytest.fixture(scope="module")
def codes(module_db_url):
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        world = make_trace_world(session)
        sold = add_batch(session, world.product)
        grow_and_harvest(session, sold)
        record(session, sold, "shipping", "2024-11-08 08:00", partner="张建国的货车")
        certificates.issue(session, scope=SYSTEM, code=sold.code)
        growing = add_batch(session, world.plain_product, lot="G1")
        record(session, growing, "planting", "2024-03-05 08:00")
        fresh = add_batch(session, world.plain_product, lot="F1")
        record(session, fresh, "planting", "2024-03-05 08:00")
        found = {"sold": sold.code, "growing": growing.code, "fresh": fresh.code}
    engine.dispose()
    return found


@pytest.fixture(scope="module")
def server(module_db_url, codes, tmp_path_factory):
    with served(module_db_url, tmp_path_factory.mktemp("var")) as address:
        yield address


@pytest.fixture
def page(server):
    with browser_page(server) as page:
        yield page


def test_the_scan_page_shows_the_chain_of_events_on_a_phone_without_personal_data(page, codes):
    page.goto(f"/c/{codes['sold']}")
    expect(page.locator("h1")).to_have_text("石坪脐橙")
    steps = page.locator("#chain li")
    expect(steps).to_have_count(5)
    assert [item.get_attribute("data-step") for item in steps.all()] == [
        "planting",
        "input_use",
        "harvest",
        "inspection",
        "shipping",
    ]
    expect(page.locator("#chain")).to_contain_text("安全间隔期 14 天")
    expect(page.locator("#inspections")).to_contain_text("合格")
    expect(page.locator("#origin")).to_have_text("万州区 › 龙沙镇 › 石坪村")
    expect(page.locator("#status")).to_have_attribute("data-status", "green")
    content = page.content()
    assert not any(text in content for text in PERSONAL)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_batch_still_growing_shows_yellow(page, codes):
    page.goto(f"/c/{codes['growing']}")
    expect(page.locator("#status")).to_have_attribute("data-status", "yellow")
    expect(page.locator("#status")).to_contain_text("尚未采收/出栏")


def test_a_producer_records_a_harvest_on_a_phone_and_sees_it_in_the_chain(page, codes):
    page.goto("/login")
    page.get_by_label("用户名").fill("coop_shiping")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto("/apps/trace")
    page.get_by_role("link", name=codes["growing"]).click()
    page.locator("select[name=step]").select_option("harvest")
    page.locator("input[name=event_time]").fill("2024-11-05T07:00")
    page.get_by_role("button", name="记录").click()
    expect(page.locator("table").first).to_contain_text("采收/出栏")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_producer_is_told_what_is_missing_kept_their_input_and_led_to_the_certificate(
    page, codes
):
    log_in(page, "coop_shiping", PASSWORD)
    page.goto(f"/trace/batches/{codes['fresh']}")
    expect(page.locator("#certificate-missing")).to_contain_text("尚未记录采收/出栏")
    expect(page.locator("#certificate-form")).to_have_count(0)
    form = page.locator("#event-form")
    form.locator("select[name=step]").select_option("packing")
    form.locator("input[name=event_time]").fill("2024-11-06T07:00")
    form.locator("input[name=note]").fill("试装二十箱")
    form.get_by_role("button", name="记录").click()
    expect(page.locator("#event-error")).to_contain_text("须先记录采收/出栏")
    expect(form.locator("select[name=step]")).to_have_value("packing")
    expect(form.locator("input[name=note]")).to_have_value("试装二十箱")
    form.locator("select[name=step]").select_option("harvest")
    form.locator("input[name=event_time]").fill("2024-11-05T07:00")
    form.locator("input[name=note]").fill("")
    form.get_by_role("button", name="记录").click()
    expect(page.locator("#feedback")).to_have_text("已记录采收/出栏。下一步：开具承诺达标合格证。")
    page.locator("#certificate-form").get_by_role("button", name="开具合格证").click()
    expect(page.locator("#feedback")).to_contain_text("已开具承诺达标合格证")
    expect(page.locator("#print-label")).to_be_visible()
    label = page.locator("#qr-label img")
    expect(label).to_have_js_property("complete", True)
    assert label.evaluate("image => image.naturalWidth > 0")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
