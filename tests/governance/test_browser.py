"""基层治理 in headless Chromium on a phone: a resident reports a matter on the public page
with a photo, choosing the district and then the village, gets a reference and follows it."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser import PHONE, browser_page, served
from tests.factories import make_world
from yunong.store.db import make_engine, make_sessionmaker, transaction

pytestmark = pytest.mark.browser


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


def picture(path):
    image = io.BytesIO()
    Image.new("RGB", (160, 120), "olive").save(image, "JPEG")
    path.write_bytes(image.getvalue())
    return path


def test_a_resident_reports_a_matter_on_a_phone_and_follows_it(server, world, tmp_path):
    with browser_page(server, PHONE) as page:
        page.goto("/governance/public/report")
        page.get_by_label("所在区县").select_option(label="万州区")
        page.get_by_role("button", name="选择村（社区）").click()
        page.get_by_label("所在村（社区）").select_option(label="石坪村")
        page.get_by_label("反映的事项").fill("组上的堰塘堤坎垮了一段，需要修补")
        page.get_by_label("现场照片（选填）").set_input_files(picture(tmp_path / "pond.jpg"))
        page.get_by_role("button", name="提交").click()
        reference = page.locator("#matter-reference")
        expect(reference).to_have_text(re.compile(r"^FY\d{8}[2-9A-Z]{6}$"))
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.get_by_role("link", name="查询办理结果").click()
        expect(page.locator("#matter-status")).to_contain_text("待村里分类")
