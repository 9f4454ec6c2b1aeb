"""长江治渔 in headless Chromium: a member of the public reports illegal fishing on a phone,
with a photo, and gets a reference; the tip reaches the 待办 of 万州区's district officer,
who opens a case from it and takes it to closure step by step; the reporter, following the
reference, reads that a case was opened."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser import PHONE, browser_page, log_in, served
from tests.factories import PASSWORD, make_world
from tests.fishery.factories import SYSTEM
from yunong.core.auth.roles import Role
from yunong.fishery import teams
from yunong.store.db import make_engine, make_sessionmaker, transaction

pytestmark = pytest.mark.browser
PLACE = "龙沙镇码头下游"


@pytest.fixture(scope="module")
def world(module_db_url):
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        built = make_world(session)
        teams.create(session, scope=SYSTEM, name="万州区护渔队", region_code=built.place.district)
    engine.dispose()
    return built


@pytest.fixture(scope="module")
def server(module_db_url, world, tmp_path_factory):
    with served(module_db_url, tmp_path_factory.mktemp("var")) as address:
        yield address


def picture(path):
    image = io.BytesIO()
    Image.new("RGB", (160, 120), "navy").save(image, "JPEG")
    path.write_bytes(image.getvalue())
    return path


def test_a_public_tip_on_a_phone_becomes_a_case_the_district_closes(server, world, tmp_path):
    with browser_page(server, PHONE) as page:
        page.goto("/fishery/tip-off")
        page.get_by_label("发生地所在区县").select_option(label="万州区")
        page.get_by_label("地点（河段、码头、村名等）").fill(PLACE)
        page.get_by_label("看到的情况").fill("夜里两个人开小船在江边电鱼")
        page.get_by_label("现场照片（选填）").set_input_files(picture(tmp_path / "tip.jpg"))
        page.get_by_role("button", name="提交举报").click()
        reference = page.locator("#tip-reference")
        expect(reference).to_have_text(re.compile(r"^JB\d{8}[2-9A-Z]{6}$"))
        number = reference.inner_text()

    with browser_page(server, PHONE) as page:
        log_in(page, world.accounts[Role.DISTRICT_OFFICER].name, PASSWORD)
        page.goto("/")
        item = page.get_by_role("link", name=PLACE)
        expect(item).to_have_count(1)
        item.click()
        expect(page.locator("img.photo")).to_have_count(1)
        page.get_by_role("button", name="核实属实，立案").click()
        expect(page.locator("#case-step")).to_have_text("发现立案")
        for field, text, step in (
            ("收缴的渔具", "电鱼器 1 套、小船 1 艘", "收缴渔具"),
            ("移交的执法机关", "万州区农业综合行政执法支队", "移交执法"),
            ("办理结果", "移送公安机关立案侦查", "办结"),
        ):
            page.get_by_label(field).fill(text)
            page.get_by_role("button", name=step).click()
            expect(page.locator("#case-step")).to_have_text(step)
        expect(page.locator("ol.history li")).to_have_count(4)
        page.goto("/")
        expect(page.get_by_role("link", name=PLACE)).to_have_count(0)

    with browser_page(server, PHONE) as page:
        page.goto("/fishery/tip-off/follow")
        page.get_by_label("举报编号").fill(number)
        page.get_by_role("button", name="查询").click()
        expect(page.locator("#tip-status")).to_contain_text("已立案")
        expect(page.locator("#tip-status")).not_to_contain_text("139")
