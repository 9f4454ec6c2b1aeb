"""Ban zones from a file: GBK Shapefile in Gauss–Krüger or GeoJSON in degrees, each feature
refused with its number, field and reason, dates from the pack where the file has none, and
the same file twice changes nothing."""

from datetime import date

import pytest
import shapely

from tests.factories import make_place
from tests.fishery.factories import MAIN_STREAM, RULES, SYSTEM, zone_file, zone_record
from tests.land.factories import write_gbk_shapefile_without_cpg
from yunong.fishery import zones
from yunong.fishery.models import BanZone

pytestmark = pytest.mark.db


def gauss_kruger_zones(tmp_path):
    """Two good zones and four bad ones, as a district's office hands them over: EPSG:4545
    metres, GBK attributes, no .cpg."""
    import geopandas

    records = [
        zone_record("WZ-CJ-01", "长江万州段", "干流", (538000, 3409000, 540000, 3410000)),
        zone_record(
            "WZ-BH-01",
            "磨刀溪保护区",
            "保护区",
            (541000, 3409000, 542000, 3411000),
            起始日期="2020-01-01",
            截止日期="2029-12-31",
        ),
        zone_record("", "无编号", "支流", (543000, 3409000, 544000, 3410000)),
        zone_record("WZ-X-02", "湖泊", "湖泊", (545000, 3409000, 546000, 3410000)),
        zone_record(
            "WZ-X-03", "外区县", "支流", (547000, 3409000, 548000, 3410000), district="500102"
        ),
        zone_record("WZ-CJ-01", "重复", "干流", (549000, 3409000, 550000, 3410000)),
    ]
    records[4]["geometry"] = shapely.Polygon(  # a bow tie
        [(547000, 3409000), (548000, 3410000), (548000, 3409000), (547000, 3410000)]
    )
    data = geopandas.GeoDataFrame(
        [{k: v for k, v in r.items() if k != "geometry"} for r in records],
        geometry=[r["geometry"] for r in records],
        crs="EPSG:4545",
    )
    return write_gbk_shapefile_without_cpg(data, tmp_path / "禁捕水域.shp")


def test_a_gauss_kruger_gbk_shapefile_imports_with_exact_refusals(session, tmp_path):
    make_place(session)
    result = zones.import_file(
        session, scope=SYSTEM, rules=RULES, path=gauss_kruger_zones(tmp_path)
    )
    data = result.as_json()
    assert data["zones"] == {"imported": 2, "unchanged": 0, "rejected": 4}
    errors = data["errors"]
    assert [error["feature"] for error in errors] == [3, 4, 5, 6]
    assert errors[0]["reason"] == "水域编号：水域编号为空"
    assert errors[1]["reason"] == "水域类型：水域类型“湖泊”应为 长江干流、支流 或 保护区"
    assert errors[2]["reason"].startswith("几何图形：几何图形无效：自相交")
    assert errors[3]["reason"] == "水域编号：水域编号 WZ-CJ-01 与第 1 个要素重复"
    stream = session.query(BanZone).filter_by(number="WZ-CJ-01").one()
    assert (stream.kind, stream.region_code) == ("main_stream", "500101000000")
    assert float(stream.area_m2) == pytest.approx(2_000_000, rel=1e-6)
    assert (stream.starts_on, stream.ends_on) == (date(2021, 1, 1), date(2030, 12, 31))
    reserve = session.query(BanZone).filter_by(number="WZ-BH-01").one()
    assert (reserve.starts_on, reserve.ends_on) == (date(2020, 1, 1), date(2029, 12, 31))
    assert 108.39 < stream.min_x < 108.41  # stored in degrees


def test_the_same_file_twice_changes_nothing(session, tmp_path):
    make_place(session)
    path = zone_file(
        tmp_path / "zones.geojson", [zone_record("WZ-CJ-01", "长江万州段", "长江干流", MAIN_STREAM)]
    )
    zones.import_file(session, scope=SYSTEM, rules=RULES, path=path)
    again = zones.import_file(session, scope=SYSTEM, rules=RULES, path=path)
    assert again.as_json()["zones"] == {"imported": 0, "unchanged": 1, "rejected": 0}


def test_a_district_outside_the_callers_scope_is_refused(session, tmp_path):
    from yunong.core.scope import Scope

    make_place(session)
    path = zone_file(
        tmp_path / "zones.geojson",
        [zone_record("FL-01", "长江涪陵段", "干流", MAIN_STREAM, district="500102")],
    )
    officer = Scope(actor="wz", region_code="500101000000", role="district_officer")
    result = zones.import_file(session, scope=officer, rules=RULES, path=path)
    assert result.as_json()["errors"] == [
        {"feature": 1, "reason": "区县代码：区县 500102 不在您的管辖范围内"}
    ]


def test_a_file_with_geometry_only_takes_defaults_and_the_district_of_its_place(session, tmp_path):
    import geopandas

    make_place(session)
    data = geopandas.GeoDataFrame(
        {"name": ["长江万州段"]}, geometry=[shapely.box(*MAIN_STREAM)], crs="EPSG:4490"
    )
    path = tmp_path / "hidden.geojson"
    data.to_file(path)
    result = zones.import_file(session, scope=SYSTEM, rules=RULES, path=path)
    assert result.as_json()["zones"] == {"imported": 1, "unchanged": 0, "rejected": 0}
    zone = session.query(BanZone).filter_by(number="hidden-1").one()
    assert (zone.name, zone.kind, zone.region_code) == ("长江万州段", "main_stream", "500101000000")
