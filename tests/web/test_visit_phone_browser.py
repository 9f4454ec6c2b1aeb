"""The grid worker on a phone, in headless Chromium: one tap from the home page to the visit
form, the task named by its household head and village, a visit sent with the phone's
position and a photo, a confirmation saying who acts next, and an empty form after it."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser import browser_page, log_in, served
from tests.factories import PASSWORD
from tests.monitor.factories import add_alert, add_household, family
from yunong.core.auth.roles import Role
from yunong.core.scope import Scope
from yunong.monitor import calendar, opening, visit_photos, visits
from yunong.monitor.models import Household, Visit, VisitPhoto
from yunong.policy import loader
from yunong.store.db import make_engine, make_sessionmaker, transaction

pytestmark = pytest.mark.browser
PACK = loader.get()
HOUSEHOLD = "王秀兰户（石坪村）"
WHERE = {"latitude": 30.80123, "longitude": 108.40456, "accuracy": 15}


@pytest.fixture(scope="module")
def household(module_db_url, world) -> str:
    """A household whose verification visit (入户核实) waits on the village's grid worker."""
    engine = make_engine(module_db_url)
    place = world.place
    with transaction(make_sessionmaker(engine)) as session:
        made = add_household(
            session, village=place.village, number="0701", members=family("王秀兰")
        )
        opening.open_case(
            session,
            scope=Scope(actor="cadre", region_code=place.village, role=Role.VILLAGE_CADRE.value),
            alert_id=add_alert(session, made).id,
            grid_worker=world.accounts[Role.GRID_WORKER].name,
            pack=PACK,
            today=calendar.today(),
        )
        code = made.household.code
    engine.dispose()
    return code


@pytest.fixture(scope="module")
def visited(module_db_url, world) -> str:
    """A household visited with the phone's position and a photo."""
    engine = make_engine(module_db_url)
    place = world.place
    grid = Scope(
        actor=world.accounts[Role.GRID_WORKER].name,
        region_code=place.village,
        role=Role.GRID_WORKER.value,
    )
    with transaction(make_sessionmaker(engine)) as session:
        made = add_household(
            session, village=place.village, number="0702", members=family("陈桂芳")
        )
        visit_in = visits.VisitIn(
            "browser-visited-0702",
            made.household.code,
            calendar.today(),
            note="房屋漏雨，已报乡镇",
            position=visits.Position(30.80234, 108.40567, 8),
        )
        visits.record_visit(session, scope=grid, visit_in=visit_in, pack=PACK)
        picture = io.BytesIO()
        Image.new("RGB", (800, 600), (150, 120, 90)).save(picture, "JPEG")
        photo = visit_photos.Photo(picture.getvalue(), 800, 600)
        visit_photos.attach(session, scope=grid, client_key="browser-visited-0702", photo=photo)
        code = made.household.code
    engine.dispose()
    return code


@pytest.fixture(scope="module")
def server(module_db_url, household, visited, tmp_path_factory):
    with served(module_db_url, tmp_path_factory.mktemp("var")) as address:
        yield address


@pytest.fixture
def phone(server, world):
    with browser_page(server) as page:
        page.context.grant_permissions(["geolocation"], origin=server)
        page.context.set_geolocation(WHERE)
        log_in(page, world.accounts[Role.GRID_WORKER].name, PASSWORD)
        yield page


def camera_photo() -> bytes:
    picture = io.BytesIO()
    Image.new("RGB", (2000, 1500), (110, 150, 80)).save(picture, "JPEG", quality=90)
    return picture.getvalue()


def stored_visits(module_db_url: str, household_code: str) -> list[tuple]:
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        query = (
            select(Visit.latitude, Visit.longitude, VisitPhoto.width, VisitPhoto.height)
            .join(Household, Household.id == Visit.household_id)
            .outerjoin(VisitPhoto, VisitPhoto.visit_id == Visit.id)
            .where(Household.code == household_code)
        )
        found = [tuple(row) for row in session.execute(query)]
    engine.dispose()
    return found


def test_a_todo_item_opens_the_visit_form_with_its_household_chosen(phone, household):
    phone.goto("/")
    phone.locator(".todo").get_by_role("link", name=HOUSEHOLD).click()
    expect(phone.locator("h1")).to_have_text("走访登记")
    expect(phone.get_by_label("农户")).to_have_value(household)
    expect(phone.get_by_label("这是派发给我的入户核实")).to_be_checked()


def test_the_grid_worker_sends_a_visit_with_a_position_and_a_photo_and_gets_an_empty_form(
    phone, household, module_db_url
):
    phone.goto("/")
    button = phone.locator(".shortcuts").get_by_role("link", name="登记走访")
    box = button.bounding_box()
    assert box is not None and box["width"] > 300  # the width of the phone, easy to tap
    button.click()
    expect(phone.locator("h1")).to_have_text("走访登记")
    expect(phone.get_by_label("农户")).to_have_value("")

    phone.locator("#visit-tasks").get_by_role("link", name=HOUSEHOLD).click()
    expect(phone.get_by_label("农户")).to_have_value(household)
    expect(phone.get_by_label("这是派发给我的入户核实")).to_be_checked()
    phone.get_by_label("人均纯收入估算（元/年）").fill("5200")
    phone.get_by_label("情况记录").fill("户主务工受伤，收入骤减，情况属实")
    phone.get_by_role("button", name="记录当前位置").click()
    expect(phone.locator("#position-text")).to_have_text("已记录位置 30.80123, 108.40456（±15 米）")
    phone.get_by_label("照片", exact=True).set_input_files(
        {"name": "IMG_0701.jpg", "mimeType": "image/jpeg", "buffer": camera_photo()}
    )
    expect(phone.locator("#photo-preview")).to_be_visible()
    phone.get_by_role("button", name="保存").click()

    # The first photo a server reads starts its reader process: on a busy machine, seconds.
    expect(phone.get_by_role("status")).to_have_text(
        f"已发送：{HOUSEHOLD}的走访，待村级评议公示", timeout=30_000
    )
    expect(phone.get_by_label("农户")).to_have_value("")
    expect(phone.get_by_label("这是派发给我的入户核实")).not_to_be_checked()
    expect(phone.get_by_label("情况记录")).to_have_value("")
    expect(phone.get_by_label("人均纯收入估算（元/年）")).to_have_value("")
    expect(phone.locator("#photo-preview")).to_be_hidden()
    expect(phone.locator("#position-text")).to_have_text("")
    expect(phone.locator("#visit-tasks li")).to_have_count(0)
    expect(phone.locator("#visit-queue li")).to_have_text("无")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert stored_visits(module_db_url, household) == [(30.80123, 108.40456, 1600, 1200)]


def test_the_household_page_shows_the_visits_photo_and_position(server, world, visited):
    with browser_page(server) as page:
        log_in(page, world.accounts[Role.VILLAGE_CADRE].name, PASSWORD)
        page.goto(f"/monitor/households/{visited}")
        entry = page.locator(".timeline .entry-visit")
        expect(entry.locator(".visit-position")).to_contain_text("30.80234,108.40567（±8 米）")
        expect(entry.get_by_role("link", name="在一张图上查看")).to_have_attribute(
            "href", "/apps/land?at=30.80234,108.40567"
        )
        photo = entry.get_by_role("img")
        photo.scroll_into_view_if_needed()
        expect(photo).to_have_js_property("complete", True)
        assert photo.evaluate("image => image.naturalWidth") == 800
