"""The one map's API: what is drawn for a view, the statistics beside it, a parcel's card
and the picture of the view — each inside the caller's scope."""

from io import BytesIO

import pytest
from PIL import Image

from yunong.core.auth.roles import Role
from yunong.land.geometry import to_mu

TOWN_ZOOM = 15
CITY_ZOOM = 9


def get(client, scene, role: Role, path: str, **query):
    token = scene.world.accounts[role].token
    return client.get(path, params=query, headers={"Authorization": f"Bearer {token}"})


def bbox(box) -> str:
    return ",".join(f"{value:.6f}" for value in box)


def test_at_town_zoom_the_parcels_of_the_view_are_drawn(client, scene):
    place = scene.world.place
    box = bbox(scene.box_around(place.village, place.other_town_village))

    body = get(
        client, scene, Role.DISTRICT_OFFICER, "/api/land/map", bbox=box, zoom=TOWN_ZOOM
    ).json()

    assert body["mode"] == "parcels"
    assert len(body["features"]["features"]) == 18
    assert body["zones"]["features"][0]["properties"]["kind"] == "permanent_farmland"


def test_a_village_cadre_sees_only_the_parcels_of_the_village(client, scene):
    place = scene.world.place
    box = bbox(scene.box_around(place.village, place.other_town_village))

    body = get(client, scene, Role.VILLAGE_CADRE, "/api/land/map", bbox=box, zoom=TOWN_ZOOM).json()

    drawn = {f["properties"]["code"] for f in body["features"]["features"]}
    assert drawn == set(scene.codes[place.village])


def test_parcels_carry_what_each_layer_colours_by(client, scene):
    box = bbox(scene.box_around(scene.world.place.village))

    body = get(client, scene, Role.VILLAGE_CADRE, "/api/land/map", bbox=box, zoom=TOWN_ZOOM).json()

    by_code = {f["properties"]["code"]: f["properties"] for f in body["features"]["features"]}
    paddy, dry, abandoned, non_grain, homestead, _ = scene.codes[scene.world.place.village]
    assert by_code[paddy]["protection"] == "permanent"
    assert by_code[dry]["protection"] == "high_standard"
    assert by_code[abandoned]["state"] == "abandoned"
    assert by_code[non_grain]["use"] == "cash_crop"
    assert by_code[homestead]["kind"] == "homestead"


def test_zoomed_out_the_map_shows_one_marker_per_village(client, scene):
    body = get(
        client, scene, Role.TOWN_OFFICER, "/api/land/map", bbox="105,28,111,33", zoom=CITY_ZOOM
    ).json()

    assert body["mode"] == "villages"
    markers = {f["properties"]["name"]: f["properties"] for f in body["features"]["features"]}
    assert set(markers) == {"石坪村", "复兴村"}
    assert markers["石坪村"]["parcels"] == 6


def test_the_region_filter_narrows_the_view_inside_the_scope(client, scene):
    place = scene.world.place
    box = bbox(scene.box_around(place.village, place.other_town_village))

    body = get(
        client,
        scene,
        Role.DISTRICT_OFFICER,
        "/api/land/map",
        bbox=box,
        zoom=TOWN_ZOOM,
        region=place.other_town,
    ).json()

    drawn = {f["properties"]["code"] for f in body["features"]["features"]}
    assert drawn == set(scene.codes[place.other_town_village])


def test_a_region_outside_the_scope_is_refused(client, scene):
    response = get(
        client,
        scene,
        Role.VILLAGE_CADRE,
        "/api/land/map",
        bbox="105,28,111,33",
        zoom=CITY_ZOOM,
        region=scene.world.place.other_town,
    )

    assert response.status_code == 404


def test_statistics_add_up_the_villages_in_the_view(client, scene):
    body = get(client, scene, Role.TOWN_OFFICER, "/api/land/map/stats", bbox="105,28,111,33").json()

    # Per village: four cultivated 6,000 m² patches farmed or abandoned, one homestead.
    assert body["villages"] == 2
    assert body["parcels"] == 12
    assert body["cultivated"] == pytest.approx(2 * float(to_mu(5 * 6000)), abs=0.05)
    assert body["abandoned"] == pytest.approx(2 * float(to_mu(6000)), abs=0.05)
    assert body["high_standard_share"] == 0


def test_the_parcel_card_names_village_class_area_and_protection(client, scene):
    code = scene.codes[scene.world.place.village][0]

    card = get(client, scene, Role.VILLAGE_CADRE, f"/api/land/parcels/{code}").json()

    assert card["village"] == "石坪村"
    assert card["land_class"] == "0101 水田"
    assert card["area_mu"] == 9.0
    assert card["permanent_farmland"] is True


def test_a_parcel_of_another_town_has_no_card_for_a_town_officer(client, scene):
    code = scene.codes[scene.world.place.other_town_village][0]

    response = get(client, scene, Role.TOWN_OFFICER, f"/api/land/parcels/{code}")

    assert response.status_code == 404


def test_the_view_exports_as_a_png_of_the_asked_size(client, scene):
    box = bbox(scene.box_around(scene.world.place.village))

    response = get(
        client,
        scene,
        Role.VILLAGE_CADRE,
        "/land/map.png",
        bbox=box,
        zoom=TOWN_ZOOM,
        layer="state",
        width=900,
        height=600,
    )

    assert response.headers["content-type"] == "image/png"
    picture = Image.open(BytesIO(response.content)).convert("RGB")
    assert picture.size == (900, 600)
    colours = {colour for _, colour in picture.getcolors(maxcolors=100_000)}
    assert (0xE5, 0x39, 0x35) in colours  # the abandoned parcel in the layer's red


def test_an_unknown_layer_is_refused_in_chinese(client, scene):
    response = get(
        client,
        scene,
        Role.VILLAGE_CADRE,
        "/land/map.png",
        bbox="108,30,109,31",
        zoom=TOWN_ZOOM,
        layer="soil",
    )

    assert response.status_code == 422
    assert "图层" in response.text
