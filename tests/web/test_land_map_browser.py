"""The one map in headless Chromium: region outlines under the parcels, a layer switched, a
parcel's card beside the map on a desktop and as a bottom sheet on a phone, the list of the
parcels in view — as a district officer, and as a village cadre who sees only the village."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser import DESKTOP, PHONE, browser_page, log_in, served
from tests.factories import PASSWORD
from tests.land.map_world import build
from yunong.core.auth.roles import Role

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def scene(module_db_url, tmp_path_factory):
    return build(module_db_url, tmp_path_factory.mktemp("layers"))


@pytest.fixture(scope="module")
def server(module_db_url, scene, tmp_path_factory):
    with served(module_db_url, tmp_path_factory.mktemp("var")) as address:
        yield address


def open_map(page: Page, scene, role: Role) -> None:
    log_in(page, scene.world.accounts[role].name, PASSWORD)
    page.goto("/apps/land")
    # The page fits the map to the region's parcels: a village or a town is drawn parcel by parcel.
    expect(page.locator("#land-map")).to_have_attribute("data-mode", "parcels", timeout=20_000)


def drawn(page: Page) -> int:
    return int(page.locator("#land-map").get_attribute("data-drawn") or 0)


def click_parcel(page: Page, code: str) -> None:
    """A real click on the canvas where the parcel is drawn."""
    x, y = page.evaluate(
        """code => {
            const {map, parcels} = window.landMap;
            const shape = parcels.getLayers().find(l => l.feature.properties.code === code);
            const point = map.latLngToContainerPoint(shape.getBounds().getCenter());
            const box = document.getElementById("land-map").getBoundingClientRect();
            return [box.left + point.x, box.top + point.y];
        }""",
        code,
    )
    page.mouse.click(x, y)


def test_a_district_officer_sees_parcels_switches_layer_and_reads_a_card(server, scene):
    place = scene.world.place
    with browser_page(server, DESKTOP) as page:
        open_map(page, scene, Role.DISTRICT_OFFICER)

        assert drawn(page) == 18
        page.get_by_label("撂荒与复耕").check()
        expect(page.locator("#legend")).to_contain_text("已复耕")
        abandoned = scene.codes[place.other_town_village][2]
        click_parcel(page, abandoned)

        card = page.locator("#parcel-card")
        expect(card).to_be_visible()
        expect(card).to_contain_text(abandoned)
        expect(card).to_contain_text("下中村")
        expect(card).to_contain_text("撂荒")
        expect(page.locator("#view-stats")).to_contain_text("18")


def test_a_village_cadre_on_a_phone_sees_only_the_village(server, scene):
    place = scene.world.place
    with browser_page(server, PHONE) as page:
        open_map(page, scene, Role.VILLAGE_CADRE)

        assert drawn(page) == 6
        codes = page.evaluate(
            "() => window.landMap.parcels.getLayers().map(l => l.feature.properties.code)"
        )
        assert sorted(codes) == sorted(scene.codes[place.village])
        click_parcel(page, scene.codes[place.village][0])
        expect(page.locator("#parcel-card")).to_contain_text("石坪村")
        expect(page.locator("#parcel-card")).to_contain_text("0101 水田")


def test_region_outlines_are_drawn_under_the_parcels_with_their_names(server, scene):
    with browser_page(server, DESKTOP) as page:
        open_map(page, scene, Role.DISTRICT_OFFICER)

        expect(page.locator(".region-name", has_text="石坪村")).to_be_visible()
        expect(page.locator(".region-name", has_text="下中村")).to_be_visible()
        # The district frames its towns and villages, in a pane beneath the parcels'.
        levels = page.evaluate(
            "() => window.landMap.outlines.getLayers().map(l => l.feature.properties.level)"
        )
        assert sorted(set(levels)) == [2, 3, 4]
        below = page.evaluate(
            """() => Number(getComputedStyle(window.landMap.map.getPane("outlines")).zIndex)
                   < Number(getComputedStyle(window.landMap.map.getPane("overlayPane")).zIndex)"""
        )
        assert below


def test_on_a_desktop_the_card_opens_beside_the_map(server, scene):
    paddy = scene.codes[scene.world.place.village][0]
    with browser_page(server, DESKTOP) as page:
        open_map(page, scene, Role.DISTRICT_OFFICER)
        click_parcel(page, paddy)

        card = page.locator("#parcel-card")
        expect(card).to_contain_text(paddy)
        for label in ("地类", "面积（亩）", "坡度", "永久基本农田", "高标准农田", "承包方"):
            expect(card).to_contain_text(label)
        beside = card.bounding_box()
        map_box = page.locator("#land-map").bounding_box()
        assert beside and map_box
        assert beside["x"] >= map_box["x"] + map_box["width"]
        assert beside["y"] < map_box["y"] + map_box["height"]


def test_on_a_phone_the_card_is_a_sheet_at_the_foot_of_the_screen(server, scene):
    paddy = scene.codes[scene.world.place.village][0]
    with browser_page(server, PHONE) as page:
        open_map(page, scene, Role.VILLAGE_CADRE)
        click_parcel(page, paddy)

        card = page.locator("#parcel-card")
        expect(card).to_contain_text(paddy)
        sheet = card.bounding_box()
        assert sheet
        assert sheet["x"] == 0 and sheet["width"] == PHONE["width"]
        assert abs(sheet["y"] + sheet["height"] - PHONE["height"]) <= 1
        page.get_by_role("button", name="关闭").click()
        expect(card).to_be_hidden()


def test_the_list_under_the_map_pages_the_parcels_in_view_and_opens_their_cards(server, scene):
    other = scene.codes[scene.world.place.other_town_village][0]
    with browser_page(server, DESKTOP) as page:
        open_map(page, scene, Role.DISTRICT_OFFICER)
        page.get_by_text("视图内地块清单").click()

        listed = page.locator("#parcel-list")
        expect(listed).to_contain_text("第 1–18 条，共 18 条")
        expect(listed.locator("tbody tr")).to_have_count(18)
        listed.get_by_role("button", name=other).click()
        expect(page.locator("#parcel-card")).to_contain_text("下中村")
        export = page.locator("#export-xlsx").get_attribute("href") or ""
        assert export.startswith("/land/parcels.xlsx?bbox=")


def test_on_a_phone_a_village_cadre_lists_only_the_village(server, scene):
    village = scene.world.place.village
    with browser_page(server, PHONE) as page:
        open_map(page, scene, Role.VILLAGE_CADRE)
        page.get_by_text("视图内地块清单").click()

        listed = page.locator("#parcel-list")
        expect(listed).to_contain_text("共 6 条")
        codes = listed.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.code)")
        assert sorted(codes) == sorted(scene.codes[village])
