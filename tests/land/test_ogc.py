"""OGC API – Features at /ogc: what QGIS and GDAL need, read with a bearer token and
limited to the token holder's scope; and GDAL's own OAPIF driver reading it."""

import json
import subprocess

import pytest
from sqlalchemy import select

from tests.browser import served
from yunong.core.auth.roles import Role
from yunong.land.models import Parcel
from yunong.store.db import make_engine, make_sessionmaker, transaction

CGCS2000 = "http://www.opengis.net/def/crs/EPSG/0/4490"


def bearer(scene, role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {scene.world.accounts[role].token}"}


def items(client, scene, role: Role, **query) -> dict:
    response = client.get(
        "/ogc/collections/parcels/items", params=query, headers=bearer(scene, role)
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_landing_page_links_the_service_description_conformance_and_data(client, scene):
    body = client.get("/ogc", headers=bearer(scene, Role.DISTRICT_OFFICER)).json()

    rels = {link["rel"]: link["href"] for link in body["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= set(rels)
    assert client.get(rels["service-desc"]).status_code == 401  # the token is needed there too
    description = client.get(rels["service-desc"], headers=bearer(scene, Role.DISTRICT_OFFICER))
    assert description.json()["openapi"].startswith("3.0")


def test_conformance_declares_core_geojson_openapi_and_crs(client, scene):
    body = client.get("/ogc/conformance", headers=bearer(scene, Role.VILLAGE_CADRE)).json()

    spec = "http://www.opengis.net/spec/ogcapi-features"
    assert set(body["conformsTo"]) == {
        f"{spec}-1/1.0/conf/core",
        f"{spec}-1/1.0/conf/geojson",
        f"{spec}-1/1.0/conf/oas30",
        f"{spec}-2/1.0/conf/crs",
    }


def test_without_a_token_the_api_answers_401_in_json(client):
    response = client.get("/ogc/collections/parcels/items")

    assert response.status_code == 401
    assert "detail" in response.json()


def test_collections_declare_cgcs2000_as_storage_crs(client, scene):
    body = client.get("/ogc/collections", headers=bearer(scene, Role.DISTRICT_OFFICER)).json()

    parcels = next(c for c in body["collections"] if c["id"] == "parcels")
    assert parcels["storageCrs"] == CGCS2000
    assert any(link["rel"] == "items" for link in parcels["links"])


def test_limit_is_honoured_and_next_links_page_through_every_parcel(client, scene):
    seen, body = [], items(client, scene, Role.DISTRICT_OFFICER, limit=5)
    while True:
        assert body["numberReturned"] <= 5
        seen += [feature["id"] for feature in body["features"]]
        following = [link["href"] for link in body["links"] if link["rel"] == "next"]
        if not following:
            break
        body = client.get(following[0], headers=bearer(scene, Role.DISTRICT_OFFICER)).json()

    assert sorted(seen) == sorted(code for codes in scene.codes.values() for code in codes)
    assert body["numberMatched"] == 18


def test_bbox_returns_the_parcels_meeting_it(client, scene):
    village = scene.world.place.village
    box = scene.box_around(village)

    body = items(client, scene, Role.DISTRICT_OFFICER, bbox=",".join(map(str, box)))

    assert sorted(f["id"] for f in body["features"]) == sorted(scene.codes[village])
    assert body["numberMatched"] == 6


def test_a_town_officer_sees_only_the_parcels_of_the_town(client, scene):
    place = scene.world.place

    body = items(client, scene, Role.TOWN_OFFICER, limit=100)

    expected = scene.codes[place.village] + scene.codes[place.neighbour_village]
    assert sorted(f["id"] for f in body["features"]) == sorted(expected)
    other = scene.codes[place.other_town_village][0]
    response = client.get(
        f"/ogc/collections/parcels/items/{other}", headers=bearer(scene, Role.TOWN_OFFICER)
    )
    assert response.status_code == 404


def test_attributes_are_the_export_fields_with_chinese_values(client, scene):
    code = scene.codes[scene.world.place.village][1]

    feature = client.get(
        f"/ogc/collections/parcels/items/{code}", headers=bearer(scene, Role.VILLAGE_CADRE)
    ).json()

    assert feature["id"] == code
    assert feature["properties"]["DLMC"] == "旱地"
    assert feature["properties"]["CUNMC"] == "石坪村"
    assert feature["properties"]["GBZNT"] == "是"
    assert feature["geometry"]["type"] == "Polygon"


def test_crs_cgcs2000_puts_latitude_first(client, scene):
    code = scene.codes[scene.world.place.village][0]
    url = f"/ogc/collections/parcels/items/{code}"
    headers = bearer(scene, Role.VILLAGE_CADRE)

    plain = client.get(url, headers=headers)
    swapped = client.get(url, params={"crs": CGCS2000}, headers=headers)

    lon, lat = plain.json()["geometry"]["coordinates"][0][0]
    assert swapped.json()["geometry"]["coordinates"][0][0] == [lat, lon]
    assert swapped.headers["content-crs"] == f"<{CGCS2000}>"
    assert 108 < lon < 109 and 30 < lat < 31


def test_bbox_in_cgcs2000_axis_order_selects_the_same_parcels(client, scene):
    west, south, east, north = scene.box_around(scene.world.place.village)
    plain = items(client, scene, Role.CITY_ADMIN, bbox=f"{west},{south},{east},{north}")

    swapped = items(
        client,
        scene,
        Role.CITY_ADMIN,
        bbox=f"{south},{west},{north},{east}",
        **{"bbox-crs": CGCS2000},
    )

    assert [f["id"] for f in swapped["features"]] == [f["id"] for f in plain["features"]]


def test_a_malformed_bbox_is_refused_in_chinese(client, scene):
    response = client.get(
        "/ogc/collections/parcels/items",
        params={"bbox": "108,30,107"},
        headers=bearer(scene, Role.CITY_ADMIN),
    )

    assert response.status_code == 400
    assert "范围" in response.json()["detail"]


@pytest.fixture(scope="module")
def server(module_db_url, scene, tmp_path_factory):
    with served(module_db_url, tmp_path_factory.mktemp("served")) as address:
        yield address


def ogr(server, scene, role: Role, *arguments: str) -> str:
    token = scene.world.accounts[role].token
    command = [
        *arguments[:1],
        "--config",
        "GDAL_HTTP_HEADERS",
        f"Authorization: Bearer {token}",
        *arguments[1:],
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_gdal_reads_the_same_parcels_and_chinese_attributes_as_the_database(
    server, scene, module_db_url
):
    box = scene.box_around(scene.world.place.village, scene.world.place.neighbour_village)

    text = ogr(
        server,
        scene,
        Role.DISTRICT_OFFICER,
        "ogr2ogr",
        "-f",
        "GeoJSON",
        "/vsistdout/",
        f"OAPIF:{server}/ogc",
        "parcels",
        "-spat",
        *map(str, box),
    )

    read = {f["properties"]["QNM"]: f["properties"] for f in json.loads(text)["features"]}
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        stored = {
            p.code: p
            for p in session.scalars(
                select(Parcel).where(
                    Parcel.min_x <= box[2],
                    Parcel.max_x >= box[0],
                    Parcel.min_y <= box[3],
                    Parcel.max_y >= box[1],
                )
            )
        }
    engine.dispose()
    assert len(read) == len(stored) == 12
    for code, parcel in stored.items():
        assert read[code]["DLMC"] == parcel.land_class
    assert read[scene.codes[scene.world.place.neighbour_village][0]]["CUNMC"] == "复兴村"


def test_gdal_with_a_town_officers_token_sees_only_the_town(server, scene):
    text = ogr(
        server, scene, Role.TOWN_OFFICER, "ogrinfo", "-ro", "-so", f"OAPIF:{server}/ogc", "parcels"
    )

    assert "Feature Count: 12" in text
