"""The parcels of a map view as a list: counted, paged and ordered on the server, inside the
caller's scope; the same parcels exported to xlsx, and the export audited."""

from io import BytesIO

import openpyxl

from yunong.core.auth.roles import Role
from yunong.land.listing import EXPORT_HEADERS


def get(client, scene, role: Role, path: str, **query):
    token = scene.world.accounts[role].token
    return client.get(path, params=query, headers={"Authorization": f"Bearer {token}"})


def around(scene, *villages: str) -> str:
    return ",".join(f"{value:.6f}" for value in scene.box_around(*villages))


def everything(scene) -> str:
    place = scene.world.place
    return around(scene, place.village, place.other_town_village)


def test_a_page_says_which_rows_of_how_many_it_holds(client, scene):
    body = get(
        client,
        scene,
        Role.DISTRICT_OFFICER,
        "/api/land/parcels",
        bbox=everything(scene),
        per_page=10,
        page=2,
    ).json()

    assert (body["total"], body["pages"], body["page"]) == (18, 2, 2)
    assert (body["first"], body["last"]) == (11, 18)
    assert len(body["rows"]) == 8


def test_pages_follow_village_then_code_and_hold_every_parcel_once(client, scene):
    pages = [
        get(
            client,
            scene,
            Role.DISTRICT_OFFICER,
            "/api/land/parcels",
            bbox=everything(scene),
            per_page=10,
            page=page,
        ).json()["rows"]
        for page in (1, 2)
    ]

    listed = [(row["village_code"], row["code"]) for rows in pages for row in rows]
    assert listed == sorted(listed)
    assert {code for _, code in listed} == {
        code for codes in scene.codes.values() for code in codes
    }


def test_a_page_past_the_end_gives_the_last_page(client, scene):
    body = get(
        client,
        scene,
        Role.DISTRICT_OFFICER,
        "/api/land/parcels",
        bbox=everything(scene),
        per_page=10,
        page=9,
    ).json()

    assert (body["page"], body["first"], body["last"]) == (2, 11, 18)


def test_a_town_officer_lists_only_the_parcels_of_the_town(client, scene):
    place = scene.world.place

    body = get(client, scene, Role.TOWN_OFFICER, "/api/land/parcels", bbox=everything(scene)).json()

    assert body["total"] == 12
    listed = {row["code"] for row in body["rows"]}
    assert listed == set(scene.codes[place.village]) | set(scene.codes[place.neighbour_village])


def test_the_list_follows_the_view(client, scene):
    place = scene.world.place

    body = get(
        client,
        scene,
        Role.DISTRICT_OFFICER,
        "/api/land/parcels",
        bbox=around(scene, place.other_town_village),
    ).json()

    assert {row["village"] for row in body["rows"]} == {"下中村"}
    assert body["total"] == 6


def test_rows_carry_class_area_slope_and_protection(client, scene):
    place = scene.world.place
    paddy = scene.codes[place.village][0]

    body = get(
        client, scene, Role.VILLAGE_CADRE, "/api/land/parcels", bbox=around(scene, place.village)
    ).json()

    row = next(row for row in body["rows"] if row["code"] == paddy)
    assert (row["kind"], row["land_class"], row["area_mu"]) == ("耕地", "0101 水田", 9.0)
    assert (row["permanent_farmland"], row["high_standard"]) == (True, False)


def test_the_table_under_the_map_says_which_rows_of_how_many(client, scene):
    response = get(client, scene, Role.DISTRICT_OFFICER, "/land/parcels", bbox=everything(scene))

    assert "第 1–18 条，共 18 条" in response.text
    assert response.text.count("<tr data-code=") == 18


def test_the_export_holds_the_parcels_of_the_list(client, scene):
    place = scene.world.place

    response = get(client, scene, Role.TOWN_OFFICER, "/land/parcels.xlsx", bbox=everything(scene))

    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert list(header) == EXPORT_HEADERS
    assert {row[0] for row in rows} == set(scene.codes[place.village]) | set(
        scene.codes[place.neighbour_village]
    )
    paddy = next(row for row in rows if row[0] == scene.codes[place.village][0])
    assert paddy[3:] == ("石坪村", "耕地", "0101 水田", 9, "2°—6°", "是", "否", "粮食作物")


def test_an_export_is_recorded_in_the_audit_trail(client, scene):
    get(client, scene, Role.DISTRICT_OFFICER, "/land/parcels.xlsx", bbox=everything(scene))

    trail = get(client, scene, Role.CITY_ADMIN, "/api/audit", limit=20).json()
    exported = [entry for entry in trail if entry["action"] == "land.view_export"]
    assert exported[0]["actor"] == scene.world.accounts[Role.DISTRICT_OFFICER].name
    assert exported[0]["detail"] == "导出 18 行"


def test_an_export_of_a_region_outside_the_scope_is_refused(client, scene):
    response = get(
        client,
        scene,
        Role.TOWN_OFFICER,
        "/land/parcels.xlsx",
        bbox=everything(scene),
        region=scene.world.place.other_town,
    )

    assert response.status_code == 404
