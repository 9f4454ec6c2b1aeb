"""Shared geography: district seats, centre points and boundaries — imported from an official
boundary layer, read inside the caller's scope, and used by every map."""

import geopandas
import pyogrio
import pytest
import shapely
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from tests.core.regions.factories import add_centre
from tests.factories import Place, add_region, make_place, make_world
from tests.land.factories import write_gbk_shapefile_without_cpg
from yunong import cli
from yunong.core.audit.models import AuditRecord
from yunong.core.auth.roles import Role
from yunong.core.geometry import CHONGQING_BOUNDS
from yunong.core.regions import geography
from yunong.core.regions.boundaries import import_boundaries
from yunong.core.regions.models import RegionGeography
from yunong.core.scope import Scope
from yunong.land.models import VillageSummary
from yunong.settings import Settings
from yunong.store.base import utcnow
from yunong.store.db import make_engine, make_sessionmaker, transaction
from yunong.web.app import create_app

SYSTEM = Scope.system("test")
SHIPING = shapely.box(108.40, 30.80, 108.42, 30.82)
"""石坪村, a square of about 2 km near 万州区's seat."""
FUXING = shapely.box(108.42, 30.80, 108.44, 30.82)
"""复兴村, its eastern neighbour in 龙沙镇."""
LONGSHA = shapely.box(108.40, 30.78, 108.46, 30.84)
"""龙沙镇, around both."""


def as_role(role: Role, region: str) -> Scope:
    return Scope(actor="tester", region_code=region, role=role.value)


def layer(
    rows: list[dict[str, str]], shapes: list[shapely.Geometry], crs: str = "EPSG:4490"
) -> geopandas.GeoDataFrame:
    """A boundary layer with the attributes and polygons given (in CGCS2000 degrees),
    written in ``crs``."""
    return geopandas.GeoDataFrame(rows, geometry=shapes, crs="EPSG:4490").to_crs(crs)


def stored(session) -> dict[str, RegionGeography]:
    return {row.region_code: row for row in session.scalars(select(RegionGeography))}


@pytest.fixture
def place(session) -> Place:
    return make_place(session)


class TestImport:
    def test_a_geopackage_gives_each_village_its_boundary_in_degrees_and_a_centre_inside_it(
        self, session, place, tmp_path
    ):
        path = tmp_path / "villages.gpkg"
        rows = [{"XZQDM": place.village, "XZQMC": "石坪村"}, {"XZQDM": place.neighbour_village}]
        # Gauss–Krüger zone 36 (central meridian 108°E), as county survey layers come.
        pyogrio.write_dataframe(layer(rows, [SHIPING, FUXING], crs="EPSG:4545"), path)

        result = import_boundaries(session, scope=SYSTEM, path=path)

        assert (result.inserted, result.refused) == (2, [])
        shiping = stored(session)[place.village]
        assert shapely.equals_exact(shiping.boundary, shapely.normalize(SHIPING), tolerance=1e-7)
        assert shiping.boundary.contains(shapely.Point(shiping.lon, shiping.lat))
        assert shiping.source == "villages.gpkg"

    def test_a_town_matches_on_its_9_digit_code_and_a_district_on_its_6_digit_code(
        self, session, place, tmp_path
    ):
        path = tmp_path / "towns.geojson"
        rows = [{"QHDM": place.town[:9]}, {"QHDM": place.district[:6]}]
        pyogrio.write_dataframe(layer(rows, [LONGSHA, LONGSHA.buffer(0.1)]), path)

        import_boundaries(session, scope=SYSTEM, path=path)

        assert set(stored(session)) == {place.town, place.district}

    def test_a_gbk_shapefile_without_a_cpg_file_is_read_with_its_chinese_names(
        self, session, place, tmp_path
    ):
        path = tmp_path / "xzq.shp"
        rows = [{"QHDM": place.town, "名称": "龙沙镇"}, {"QHDM": "500101199000", "名称": "新华镇"}]
        write_gbk_shapefile_without_cpg(layer(rows, [LONGSHA, FUXING]), path)

        result = import_boundaries(session, scope=SYSTEM, path=path)

        assert [str(refused) for refused in result.refused] == [
            "第 2 个要素（代码“500101199000”，名称“新华镇”）：区划代码 500101199000 不在区划表中"
            "（请先用 yunong regions import 导入）"
        ]

    def test_one_unknown_code_refuses_the_whole_layer(self, session, place, tmp_path):
        path = tmp_path / "villages.geojson"
        rows = [{"XZQDM": place.village}, {"XZQDM": "500101108299"}]
        pyogrio.write_dataframe(layer(rows, [SHIPING, FUXING]), path)

        result = import_boundaries(session, scope=SYSTEM, path=path)

        assert [refused.number for refused in result.refused] == [2]
        assert stored(session) == {}

    def test_a_code_of_another_length_is_refused(self, session, place, tmp_path):
        path = tmp_path / "villages.geojson"
        pyogrio.write_dataframe(layer([{"XZQDM": "5001011082"}], [SHIPING]), path)

        result = import_boundaries(session, scope=SYSTEM, path=path)

        assert result.refused[0].reason == "区划代码应为 6、9 或 12 位数字"

    def test_a_boundary_outside_chongqing_is_refused_as_a_likely_wrong_crs(
        self, session, place, tmp_path
    ):
        path = tmp_path / "villages.geojson"
        beijing = shapely.box(116.40, 39.90, 116.42, 39.92)
        pyogrio.write_dataframe(layer([{"XZQDM": place.village}], [beijing]), path)

        result = import_boundaries(session, scope=SYSTEM, path=path)

        assert "不在重庆市范围内" in result.refused[0].reason

    def test_a_layer_without_a_code_field_names_the_fields_it_has(self, session, place, tmp_path):
        path = tmp_path / "villages.geojson"
        pyogrio.write_dataframe(layer([{"BSM": "1"}], [SHIPING]), path)

        with pytest.raises(Exception, match="找不到区划代码字段.*已有字段：BSM"):
            import_boundaries(session, scope=SYSTEM, path=path)

    def test_a_code_field_of_another_name_can_be_named(self, session, place, tmp_path):
        path = tmp_path / "villages.geojson"
        pyogrio.write_dataframe(layer([{"CUNDM": place.village}], [SHIPING]), path)

        import_boundaries(session, scope=SYSTEM, path=path, code_field="cundm")

        assert set(stored(session)) == {place.village}

    def test_features_of_one_code_are_one_region_in_parts(self, session, place, tmp_path):
        path = tmp_path / "villages.geojson"
        rows = [{"XZQDM": place.village}, {"XZQDM": place.village}]
        pyogrio.write_dataframe(layer(rows, [SHIPING, FUXING]), path)

        result = import_boundaries(session, scope=SYSTEM, path=path)

        assert result.inserted == 1
        assert stored(session)[place.village].boundary.area == pytest.approx(
            SHIPING.area + FUXING.area
        )

    def test_the_same_layer_imported_twice_changes_nothing(self, session, place, tmp_path):
        path = tmp_path / "villages.gpkg"
        rows = [{"XZQDM": place.village}, {"XZQDM": place.neighbour_village}]
        pyogrio.write_dataframe(layer(rows, [SHIPING, FUXING], crs="EPSG:4545"), path)
        import_boundaries(session, scope=SYSTEM, path=path)
        session.expire_all()

        again = import_boundaries(session, scope=SYSTEM, path=path)

        assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)

    def test_a_changed_boundary_replaces_the_stored_one(self, session, place, tmp_path):
        path = tmp_path / "villages.geojson"
        pyogrio.write_dataframe(layer([{"XZQDM": place.village}], [SHIPING]), path)
        import_boundaries(session, scope=SYSTEM, path=path)
        pyogrio.write_dataframe(layer([{"XZQDM": place.village}], [FUXING]), path)

        again = import_boundaries(session, scope=SYSTEM, path=path)

        assert again.updated == 1
        assert FUXING.contains(shapely.Point(stored(session)[place.village].lon, 30.81))

    def test_a_region_outside_the_callers_scope_is_refused(self, session, place, tmp_path):
        path = tmp_path / "villages.geojson"
        other = shapely.box(107.40, 29.70, 107.42, 29.72)
        pyogrio.write_dataframe(layer([{"XZQDM": place.other_district_village}], [other]), path)

        result = import_boundaries(
            session, scope=as_role(Role.DISTRICT_OFFICER, place.district), path=path
        )

        assert result.refused[0].reason == f"区划 {place.other_district_village} 不在您的管辖范围内"

    def test_the_import_is_audited_with_its_file_and_counts(self, session, place, tmp_path):
        path = tmp_path / "villages.geojson"
        pyogrio.write_dataframe(layer([{"XZQDM": place.village}], [SHIPING]), path)

        import_boundaries(session, scope=SYSTEM, path=path)

        record = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "regions.boundaries_import")
        ).one()
        assert record.target_id == "villages.geojson" and "区划新增 1" in record.detail


class TestCentres:
    def test_a_town_officer_reads_the_centres_of_the_town_only(self, session, place):
        add_centre(session, place.village, 108.41, 30.81)
        add_centre(session, place.other_district_village, 107.41, 29.71)

        found = geography.get_centres(
            session,
            scope=as_role(Role.TOWN_OFFICER, place.town),
            codes=[place.village, place.other_district_village],
        )

        assert found == {place.village: geography.Centre(108.41, 30.81)}

    def test_a_village_without_a_centre_is_placed_at_its_towns(self, session, place):
        add_centre(session, place.town, 108.43, 30.81)

        found = geography.get_centres(
            session, scope=SYSTEM, codes=[place.village, place.other_town_village]
        )

        assert found == {place.village: geography.Centre(108.43, 30.81, by_town=True)}

    def test_a_town_without_a_centre_is_the_mean_of_its_villages_in_scope(self, session, place):
        add_region(session, "500101108203", "桥溪村", place.town)
        add_centre(session, place.village, 108.41, 30.81)
        add_centre(session, "500101108203", 108.43, 30.83)

        found = geography.get_centres(session, scope=SYSTEM, codes=[place.neighbour_village])

        assert found[place.neighbour_village] == geography.Centre(108.42, 30.82, by_town=True)


class TestDistrictOutlines:
    def test_every_seat_lies_inside_chongqing_and_its_own_schematic_cell(self):
        seats, cells = geography.district_seats(), geography.seat_cells()
        west, south, east, north = CHONGQING_BOUNDS

        assert len(seats) == 38
        assert all(west < lon < east and south < lat < north for lon, lat in seats.values())
        assert all(cells[code].contains(shapely.Point(*seat)) for code, seat in seats.items())

    def test_a_district_officer_sees_the_district_and_a_town_officer_the_one_they_are_in(
        self, session, place
    ):
        district = geography.get_district_outlines(
            session, scope=as_role(Role.DISTRICT_OFFICER, place.district)
        )
        town = geography.get_district_outlines(
            session, scope=as_role(Role.TOWN_OFFICER, place.town)
        )

        assert list(district) == list(town) == [place.district]

    def test_an_imported_boundary_replaces_the_schematic_cell_of_its_district_only(
        self, session, place
    ):
        add_centre(session, place.district, 108.41, 30.81, boundary=LONGSHA)

        outlines = geography.get_district_outlines(session, scope=SYSTEM)

        assert len(outlines) == 38
        assert outlines[place.district].equals(LONGSHA)
        assert outlines["500102000000"].equals(geography.seat_cells()["500102000000"])


@pytest.fixture(scope="module")
def world(module_db_url):
    """The test place with 万州区's imported boundary; 石坪村 has a centre of its own and its
    parcels' centre further west; 复兴村 has parcels only."""
    engine = make_engine(module_db_url)
    with transaction(make_sessionmaker(engine)) as session:
        built = make_world(session)
        place = built.place
        add_centre(session, place.district, 108.41, 30.81, boundary=LONGSHA)
        add_centre(session, place.village, 108.41, 30.81, boundary=SHIPING)
        add_summary(session, place.village, 108.30, 30.81)
        add_summary(session, place.neighbour_village, 108.43, 30.81)
    engine.dispose()
    return built


def add_summary(session, village: str, lon: float, lat: float) -> None:
    """A village's land summary with its parcels' centre at (lon, lat)."""
    figures = dict.fromkeys(
        (
            "cultivated",
            "homestead",
            "construction",
            "permanent_farmland",
            "permanent_high_standard",
            "high_standard",
            "abandoned",
            "to_recultivate",
            "recultivated",
        ),
        0.0,
    )
    session.add(
        VillageSummary(
            village_code=village,
            lon=lon,
            lat=lat,
            min_x=lon - 0.01,
            min_y=lat - 0.01,
            max_x=lon + 0.01,
            max_y=lat + 0.01,
            parcels=3,
            computed_at=utcnow(),
            **figures,
        )
    )
    session.flush()


@pytest.fixture(scope="module")
def client(module_db_url, world, tmp_path_factory):
    app = create_app(Settings(db_url=module_db_url, var_dir=tmp_path_factory.mktemp("var")))
    with TestClient(app) as client:
        yield client


def get(client, world, role: Role, path: str, **query):
    token = world.accounts[role].token
    return client.get(path, params=query, headers={"Authorization": f"Bearer {token}"})


def markers(client, world, bbox: str) -> list[dict]:
    """The one map's village markers in ``bbox`` for the town officer, zoomed out."""
    body = get(client, world, Role.TOWN_OFFICER, "/api/land/map", bbox=bbox, zoom=9).json()
    assert body["mode"] == "villages"
    return body["features"]["features"]


class TestMaps:
    def test_the_cockpit_map_draws_a_district_by_its_imported_boundary(self, client, world):
        body = get(client, world, Role.DISTRICT_OFFICER, "/assess/map.json").json()

        [feature] = body["features"]
        assert feature["properties"]["code"] == world.place.district
        assert shapely.geometry.shape(feature["geometry"]).equals(LONGSHA)

    def test_the_cockpit_map_draws_other_districts_by_their_seat_cells(self, client, world):
        body = get(client, world, Role.CITY_ADMIN, "/assess/map.json").json()

        shapes = {f["properties"]["code"]: f["geometry"] for f in body["features"]}
        assert len(shapes) == 38
        fuling = shapely.geometry.shape(shapes["500102000000"])
        assert fuling.contains(shapely.Point(*geography.district_seats()["500102000000"]))

    def test_the_one_map_marks_a_village_at_its_centre_and_not_its_parcels(self, client, world):
        [marker] = markers(client, world, "108.4,30.8,108.42,30.82")

        assert marker["properties"]["name"] == "石坪村"
        assert marker["geometry"]["coordinates"] == [108.41, 30.81]
        assert markers(client, world, "108.2,30.8,108.35,30.82") == []

    def test_the_one_map_marks_a_village_without_a_centre_at_its_parcels(self, client, world):
        [marker] = markers(client, world, "108.42,30.8,108.44,30.82")

        assert marker["properties"]["name"] == "复兴村"
        assert marker["geometry"]["coordinates"] == [108.43, 30.81]


class TestCommand:
    def run(self, *args: str):
        return CliRunner().invoke(cli.app, ["regions", "boundaries", *args])

    def test_the_command_imports_a_layer_and_says_what_it_did(self, configured, tmp_path):
        CliRunner().invoke(cli.app, ["init"])
        path = tmp_path / "districts.geojson"
        pyogrio.write_dataframe(layer([{"XZQDM": "500101"}], [LONGSHA]), path)

        first, second = self.run(str(path)), self.run(str(path))

        assert first.exit_code == 0 and "区划新增 1" in first.output
        assert second.exit_code == 0 and "未变 1" in second.output

    def test_a_refused_feature_is_listed_and_the_command_exits_non_zero(self, configured, tmp_path):
        CliRunner().invoke(cli.app, ["init"])
        path = tmp_path / "villages.geojson"
        pyogrio.write_dataframe(layer([{"XZQDM": "500101108201"}], [SHIPING]), path)

        result = self.run(str(path))

        assert result.exit_code == 1
        refusal = "第 1 个要素（代码“500101108201”）：区划代码 500101108201 不在区划表中"
        assert refusal in result.output
        assert "整层未导入" in result.output
