"""管护 in headless Chromium: a grid worker reports damage on a phone with a photo; it
reaches the 待办 of the village cadre, whose village keeps the project up, who closes it
with a photo of the repair, and it leaves the 待办."""

import io
from datetime import date

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser import PHONE, browser_page, log_in, served
from tests.factories import PASSWORD, make_world
from tests.farmland.factories import SYSTEM, column_span, parcel_layer, ready_project
from tests.land.factories import write
from yunong.core.auth.roles import Role
from yunong.farmland import boundaries, maintenance, steps
from yunong.policy import loader
from yunong.store.db import make_engine, make_sessionmaker, transaction

pytestmark = pytest.mark.browser
DAMAGE = "机耕路边沟垮塌约 6 米"


@pytest.fixture(scope="module")
def world(module_db_url, tmp_path_factory):
    """An accepted project over 石坪村 with the village collective responsible for it."""
    from tests.farmland.factories import boundary_frame, feature

    engine = make_engine(module_db_url)
    directory = tmp_path_factory.mktemp("farmland")
    with transaction(make_sessionmaker(engine)) as session:
        built = make_world(session)
        parcel_layer(session, built.place.village, directory)
        ready_project(session, "WZ-A")
        path = write(boundary_frame([feature("WZ-A", column_span(1, 3))]), directory / "a.geojson")
        boundaries.import_file(session, scope=SYSTEM, path=path)
        for day, step in enumerate(steps.STEPS[:6], start=1):
            steps.take(
                session,
                scope=SYSTEM,
                pack=loader.get(),
                number="WZ-A",
                step_in=steps.StepIn(step.value, date(2024, 1, day)),
                today=date(2024, 12, 1),
            )
        maintenance.add_duty(
            session,
            scope=SYSTEM,
            number="WZ-A",
            duty_in=maintenance.DutyIn(
                built.place.village, "collective", "石坪村股份经济合作社", "机耕路、灌溉渠",
                date(2030, 12, 31),
            ),
        )  # fmt: skip
    engine.dispose()
    return built


@pytest.fixture(scope="module")
def server(module_db_url, world, tmp_path_factory):
    with served(module_db_url, tmp_path_factory.mktemp("var")) as address:
        yield address


def picture(path, colour):
    image = io.BytesIO()
    Image.new("RGB", (120, 90), colour).save(image, "JPEG")
    path.write_bytes(image.getvalue())
    return path


def test_a_damage_report_from_a_phone_reaches_the_keepers_todo_and_is_closed_with_a_photo(
    server, world, tmp_path
):
    with browser_page(server, PHONE) as page:
        log_in(page, world.accounts[Role.GRID_WORKER].name, PASSWORD)
        page.goto("/farmland/reports/new")
        page.get_by_label("损毁报告").check()
        page.get_by_label("发现的情况").fill(DAMAGE)
        page.get_by_role("button", name="提交").click()
        expect(page.locator("#feedback")).to_have_text("已登记：损毁报告已进入管护责任方的待办。")
        page.get_by_label("现场照片").set_input_files(picture(tmp_path / "found.jpg", "brown"))
        page.get_by_role("button", name="添加照片").click()
        expect(page.locator("#feedback")).to_have_text("已添加现场照片。")
        expect(page.locator("img.report-photo")).to_have_count(1)

    with browser_page(server, PHONE) as page:
        log_in(page, world.accounts[Role.VILLAGE_CADRE].name, PASSWORD)
        page.goto("/")
        item = page.get_by_role("link", name="WZ-A项目")
        expect(item).to_have_count(1)
        item.click()
        expect(page.locator("#report-state")).to_have_text("待整改")
        page.get_by_label("整改照片").set_input_files(picture(tmp_path / "fixed.jpg", "green"))
        page.get_by_role("button", name="办结").click()
        expect(page.locator("#feedback")).to_have_text("已办结：本报告已从待办中移除。")
        expect(page.locator("#report-state")).to_have_text("已办结")
        page.goto("/")
        expect(page.get_by_role("link", name="WZ-A项目")).to_have_count(0)
