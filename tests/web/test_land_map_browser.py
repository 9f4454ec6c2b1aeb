"""The one map in headless Chromium: parcels drawn, a layer switched, a parcel's card read —
as a district officer, and as a village cadre who sees only the village."""

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
