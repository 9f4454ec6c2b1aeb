"""Importing survey and registration layers: encodings, CRSs, areas, refusals, re-imports."""

from decimal import Decimal

import pytest
import shapely
from shapely.affinity import translate
from sqlalchemy import func, select

from tests.factories import make_place
from tests.land.factories import (
    GAUSS_KRUGER_ZONE_36,
    Patch,
    Plot,
    frame,
    plot_code,
    plot_frame,
    rectangle,
    write,
    write_gbk_shapefile_without_cpg,
)
from yunong.core.errors import NotFound
from yunong.core.identity.models import IdentityCode
from yunong.core.scope import Scope
from yunong.land import high_standard, importers, service
from yunong.land.geometry import to_mu
from yunong.land.models import Parcel
from yunong.land.readers import read_layer

SYSTEM = Scope.system("test")


@pytest.fixture
def place(session):
    return make_place(session)


def import_parcels(session, path, scope=SYSTEM, **options):
    return importers.import_file(session, scope=scope, path=path, layer="parcels", **options)


def parcels(session) -> dict[str, Parcel]:
    return {p.source_key: p for p in session.scalars(select(Parcel))}


def patches(place, count=3) -> list[Patch]:
    return [Patch(f"{n:04d}", place.village, rectangle(n)) for n in range(1, count + 1)]


def test_a_gbk_shapefile_without_cpg_gives_chinese_field_names_and_values(session, place, tmp_path):
    patch = Patch(
        "0001",
        place.village,
        rectangle(1),
        extra={
            "项目名称": "2023年万州区高标准农田建设项目",
            "种植属性": "撂荒",
            "ZLDWMC": "石坪村",
        },
    )
    patch.ZZSXDM = ""
    path = write_gbk_shapefile_without_cpg(frame([patch]), tmp_path / "dltb.shp")
    assert not path.with_suffix(".cpg").exists()

    layer = read_layer(path)
    result = import_parcels(session, path)

    assert layer.encoding == "GBK"
    assert layer.columns["ZLDWMC"] == ["石坪村"] and "项目名称" in layer.columns
    assert (result.imported, result.errors) == (1, [])
    [stored] = parcels(session).values()
    # A project named in a survey layer does not make the parcel high-standard farmland:
    # only a project's acceptance does.
    assert stored.high_standard_project is None and not stored.high_standard
    assert stored.current_use == "abandoned"
    assert stored.land_class == "水田"


@pytest.mark.parametrize(
    ("crs", "shift"),
    [("EPSG:4545", 0.0), (GAUSS_KRUGER_ZONE_36, 36_000_000.0)],
    ids=["gauss-kruger-cm108", "gauss-kruger-zone-36-with-prefix"],
)
def test_gauss_kruger_parcels_get_their_area_in_mu(session, place, tmp_path, crs, shift):
    # 100 m × 60 m = 6,000 m² = 9 亩; 120 m × 50 m = 6,000 m² too; 80 m × 25 m = 3 亩.
    shapes = [rectangle(1), rectangle(2, width=120, height=50), rectangle(3, width=80, height=25)]
    data = frame(
        [Patch(f"{n}", place.village, translate(g, xoff=shift)) for n, g in enumerate(shapes)], crs
    )
    result = import_parcels(session, write(data, tmp_path / "dltb.gpkg"))

    assert result.imported == 3
    areas = sorted(to_mu(p.area_m2) for p in parcels(session).values())
    for measured, expected in zip(areas, [Decimal(3), Decimal(9), Decimal(9)], strict=True):
        assert abs(measured - expected) <= expected * Decimal("0.001")


def test_geographic_parcels_are_measured_on_their_gauss_kruger_zone(session, place, tmp_path):
    data = frame(patches(place, 1)).to_crs("EPSG:4490")
    import_parcels(session, write(data, tmp_path / "dltb.geojson"))

    [stored] = parcels(session).values()
    assert abs(to_mu(stored.area_m2) - Decimal(9)) <= Decimal("0.009")
    west, south, east, north = stored.geom.bounds
    assert 108.3 < west < east < 108.5 and 30.7 < south < north < 30.9


BAD = {
    "empty geometry": (lambda p: setattr(p, "geometry", shapely.Polygon()), "几何图形", "为空"),
    "self-intersecting": (
        lambda p: setattr(
            p,
            "geometry",
            shapely.Polygon(
                [(538000, 3409000), (538100, 3409060), (538100, 3409000), (538000, 3409060)]
            ),
        ),
        "几何图形",
        "自相交",
    ),
    "a point": (
        lambda p: setattr(p, "geometry", shapely.Point(538000, 3409000)),
        "几何图形",
        "应为面",
    ),
    "outside chongqing": (
        lambda p: setattr(p, "geometry", translate(p.geometry, yoff=-600_000)),
        "几何图形",
        "重庆市范围之外",
    ),
    "unknown village": (
        lambda p: setattr(p, "village", "500101108299"),
        "ZLDWDM",
        "未知的区划代码",
    ),
    "bad slope grade": (lambda p: setattr(p, "GDPDJB", "7"), "GDPDJB", "应为 1—5"),
    "unknown use": (lambda p: setattr(p, "ZZSXDM", "XYZ"), "ZZSXDM", "无法识别"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_feature_is_refused_with_its_number_and_reason_and_the_good_ones_kept(
    session, place, tmp_path, case
):
    spoil, field, words = BAD[case]
    data = patches(place, 3)
    spoil(data[1])

    result = import_parcels(session, write(frame(data), tmp_path / "dltb.gpkg"))

    assert result.imported == 2 and result.rejected == 1
    [error] = result.errors
    assert (error.index, error.field) == (2, field) and words in error.reason
    assert set(parcels(session)) == {
        f"DLTB:{place.village}0000000:0001",
        f"DLTB:{place.village}0000000:0003",
    }


def test_features_sharing_a_code_are_all_refused(session, place, tmp_path):
    data = patches(place, 3)
    data[2].number = data[0].number

    result = import_parcels(session, write(frame(data), tmp_path / "dltb.gpkg"))

    assert result.imported == 1
    assert [(e.index, e.field) for e in result.errors] == [(1, "编码"), (3, "编码")]
    assert "与第 3 个要素重复" in result.errors[0].reason


def test_a_village_outside_the_callers_scope_is_refused(session, place, tmp_path):
    data = patches(place, 2)
    data[1].village = place.other_district_village
    town_officer = Scope(actor="town", region_code=place.town)

    result = import_parcels(session, write(frame(data), tmp_path / "dltb.gpkg"), scope=town_officer)

    assert result.imported == 1
    assert "不在您的管辖范围内" in result.errors[0].reason


def test_land_classes_outside_the_three_kinds_are_counted_not_imported(session, place, tmp_path):
    data = patches(place, 3)
    data[0].DLBM, data[0].DLMC = "0301", "乔木林地"
    data[1].DLBM, data[1].DLMC = "0702", "农村宅基地"

    result = import_parcels(session, write(frame(data), tmp_path / "dltb.gpkg"))

    assert result.imported == 2 and result.errors == []
    assert result.skipped == {"0301 乔木林地": 1}
    kinds = sorted(p.kind for p in parcels(session).values())
    assert kinds == ["cultivated", "homestead"]


def test_importing_the_same_file_twice_changes_nothing(session, place, tmp_path):
    path = write(frame(patches(place, 3)), tmp_path / "dltb.gpkg")
    import_parcels(session, path)
    before = {key: (p.code, p.updated_at, p.area_m2) for key, p in parcels(session).items()}
    codes_before = session.scalar(select(func.count()).select_from(IdentityCode))

    again = import_parcels(session, path)

    assert (again.imported, again.updated, again.unchanged) == (0, 0, 3)
    session.expire_all()
    assert {key: (p.code, p.updated_at, p.area_m2) for key, p in parcels(session).items()} == before
    assert session.scalar(select(func.count()).select_from(IdentityCode)) == codes_before


def test_a_changed_attribute_updates_only_that_parcel(session, place, tmp_path):
    data = patches(place, 3)
    import_parcels(session, write(frame(data), tmp_path / "first.gpkg"))
    data[0].ZZSXDM = "WG"

    again = import_parcels(session, write(frame(data), tmp_path / "second.gpkg"))

    assert (again.imported, again.updated, again.unchanged) == (0, 1, 2)
    changed = parcels(session)[f"DLTB:{place.village}0000000:0001"]
    assert (changed.current_use, changed.abandoned_year) == ("abandoned", 2024)


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".parquet", ".csv", ".shp"])
def test_every_format_imports_the_same_parcels(session, place, tmp_path, suffix):
    data = frame(patches(place, 2)).to_crs("EPSG:4490")
    result = import_parcels(session, write(data, tmp_path / f"dltb{suffix}"))

    assert (result.imported, result.errors) == (2, [])
    assert sorted(p.land_class for p in parcels(session).values()) == ["水田", "水田"]


def test_a_file_without_crs_in_eastings_without_zone_number_must_name_its_crs(
    session, place, tmp_path
):
    data = frame(patches(place, 1))
    path = write(data, tmp_path / "dltb.csv")

    with pytest.raises(Exception, match="--crs"):
        import_parcels(session, path)
    assert import_parcels(session, path, crs="EPSG:4545").imported == 1


def test_a_parcel_is_found_by_its_code_or_contracted_plot_code_inside_the_scope(
    session, place, tmp_path
):
    plot = plot_code(place.village, 7)
    import_parcels(
        session, write(plot_frame([Plot(plot, place.village, rectangle(1))]), tmp_path / "p.gpkg")
    )
    [stored] = parcels(session).values()
    stranger = Scope(actor="fuling", region_code="500102000000")

    assert service.get(session, scope=SYSTEM, code=plot).code == stored.code
    assert service.get(session, scope=SYSTEM, code=stored.code).contract_plot_code == plot
    assert [p.code for p in service.get_all(session, scope=SYSTEM, village_code=place.village)] == [
        stored.code
    ]
    with pytest.raises(NotFound):
        service.get(session, scope=stranger, code=stored.code)


def test_a_file_without_crs_with_zone_numbered_eastings_is_read_on_that_zone(
    session, place, tmp_path
):
    shifted = [translate(rectangle(1), xoff=36_000_000)]
    data = frame([Patch("1", place.village, shifted[0])], GAUSS_KRUGER_ZONE_36)

    result = import_parcels(session, write(data, tmp_path / "dltb.csv"))

    assert (result.imported, result.errors) == (1, [])
    [stored] = parcels(session).values()
    assert abs(to_mu(stored.area_m2) - Decimal(9)) <= Decimal("0.009")


def test_a_high_standard_flag_in_a_layer_neither_sets_nor_clears_the_parcels_flag(
    session, place, tmp_path
):
    first = Patch("0001", place.village, rectangle(1), extra={"GBZNT": "是", "GBZXM": "某项目"})
    import_parcels(session, write(frame([first]), tmp_path / "a.gpkg"))
    [stored] = parcels(session).values()
    assert not stored.high_standard
    high_standard.mark(
        session,
        scope=SYSTEM,
        parcel_ids=[stored.id],
        project_code="E500101000000000010W",
        year=2023,
    )
    again = Patch("0001", place.village, rectangle(1), extra={"GBZNT": "否"})
    result = import_parcels(session, write(frame([again]), tmp_path / "b.gpkg"))
    session.refresh(stored)
    assert result.unchanged == 1
    assert (stored.high_standard, stored.high_standard_project, stored.high_standard_year) == (
        True,
        "E500101000000000010W",
        2023,
    )
