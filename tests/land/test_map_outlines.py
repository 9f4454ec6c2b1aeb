"""Region outlines under the one map: which levels a zoom shows, each only inside the
caller's scope and the region filter, clipped to the view, the finest level named."""

import shapely

from yunong.core.auth.roles import Role

CITY = "105,28,111,33"
CITY_ZOOM, DISTRICT_ZOOM, TOWN_ZOOM = 8, 10, 15


def outlines(client, scene, role: Role, bbox: str, zoom: int, **query):
    token = scene.world.accounts[role].token
    return client.get(
        "/api/land/boundaries",
        params={"bbox": bbox, "zoom": zoom, **query},
        headers={"Authorization": f"Bearer {token}"},
    )


def drawn(body) -> dict[str, int]:
    """Name → level of every outline drawn."""
    return {f["properties"]["name"]: f["properties"]["level"] for f in body["features"]}


def named(body) -> set[str]:
    """The outlines that carry a point to write their name at."""
    return {f["properties"]["name"] for f in body["features"] if "label" in f["properties"]}


def around_the_place(scene) -> str:
    place = scene.world.place
    box = scene.box_around(place.village, place.other_town_village)
    return ",".join(f"{value:.6f}" for value in box)


def test_zoomed_out_the_city_sees_every_district_and_nothing_finer(client, scene):
    body = outlines(client, scene, Role.CITY_ADMIN, CITY, CITY_ZOOM).json()

    assert set(drawn(body).values()) == {2}
    assert len(body["features"]) == 38
    assert "万州区" in named(body)


def test_at_district_zoom_a_district_officer_sees_its_district_framing_its_towns(client, scene):
    body = outlines(client, scene, Role.DISTRICT_OFFICER, CITY, DISTRICT_ZOOM).json()

    assert drawn(body) == {"万州区": 2, "龙沙镇": 3, "武陵镇": 3}
    assert named(body) == {"龙沙镇", "武陵镇"}


def test_at_town_zoom_a_town_officer_gets_only_the_town_and_its_villages(client, scene):
    body = outlines(client, scene, Role.TOWN_OFFICER, around_the_place(scene), TOWN_ZOOM).json()

    assert drawn(body) == {"龙沙镇": 3, "石坪村": 4, "复兴村": 4}
    assert named(body) == {"石坪村", "复兴村"}


def test_zoomed_out_a_town_officer_still_gets_nothing_above_the_town(client, scene):
    body = outlines(client, scene, Role.TOWN_OFFICER, CITY, CITY_ZOOM).json()

    assert drawn(body) == {"龙沙镇": 3}


def test_a_village_cadre_sees_the_village_alone_at_any_zoom(client, scene):
    for zoom in (CITY_ZOOM, TOWN_ZOOM):
        body = outlines(client, scene, Role.VILLAGE_CADRE, CITY, zoom).json()

        assert drawn(body) == {"石坪村": 4}


def test_the_region_filter_narrows_the_outlines_inside_the_scope(client, scene):
    body = outlines(
        client,
        scene,
        Role.DISTRICT_OFFICER,
        around_the_place(scene),
        TOWN_ZOOM,
        region=scene.world.place.other_town,
    ).json()

    assert drawn(body) == {"武陵镇": 3, "下中村": 4}


def test_a_region_outside_the_scope_is_refused(client, scene):
    response = outlines(
        client, scene, Role.TOWN_OFFICER, CITY, CITY_ZOOM, region=scene.world.place.other_town
    )

    assert response.status_code == 404


def test_an_outline_is_clipped_to_the_view_and_named_inside_what_is_shown(client, scene):
    place = scene.world.place
    west, south, east, north = scene.box_around(place.village)
    half = (west, south, (west + east) / 2, north)
    bbox = ",".join(f"{value:.6f}" for value in half)

    body = outlines(client, scene, Role.VILLAGE_CADRE, bbox, TOWN_ZOOM).json()

    [village] = body["features"]
    shape = shapely.geometry.shape(village["geometry"])
    assert shape.bounds[2] < east - (east - west) / 4
    assert shapely.box(*half).contains(shapely.Point(village["properties"]["label"]))
