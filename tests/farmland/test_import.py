"""上图入库: a Gauss–Krüger boundary file with GBK attributes and bad features imports with
exact refusals; the cultivated area inside each boundary equals an independent GeoPandas
overlay of the exported parcels; acceptance flags exactly the parcels inside; a re-import
changes nothing."""

import json
from datetime import date

import geopandas
import pytest
import shapely
from sqlalchemy import select

from tests.factories import make_place
from tests.farmland.factories import (
    SYSTEM,
    boundary_frame,
    box,
    column_span,
    feature,
    parcel_layer,
    ready_project,
)
from tests.land.factories import rectangle, write, write_gbk_shapefile_without_cpg
from yunong.farmland import boundaries, projects, steps
from yunong.farmland.models import Project
from yunong.land import export as land_export
from yunong.land.models import Parcel
from yunong.policy import loader

PACK = loader.get()


@pytest.fixture
def place(session, tmp_path):
    place = make_place(session)
    parcel_layer(session, place.village, tmp_path)
    return place


def boundary_file(tmp_path, name="boundaries.shp"):
    """A: parcels 1–2 whole (18 亩); B: 40 m of parcel 4's 100 m (3.6 亩, 40 %);
    C: half of parcel 6 and all of parcel 7 (4.5 + 9 亩); then five bad features."""
    features = [
        feature("WZ-A", column_span(1, 2)),
        feature("WZ-B", box(4 * 150.0, 4 * 150.0 + 40), kind="改造提升", scale="5200"),
        feature("WZ-C", box(6 * 150.0 + 50, 7 * 150.0 + 110), scale="6100"),
        feature("", column_span(8, 8)),  # 4: no number
        feature("WZ-E", column_span(8, 8), kind="新修"),  # 5: unknown kind
        feature("WZ-F", column_span(8, 8), year="二〇二四"),  # 6: year not digits
        feature(  # 7: self-intersecting bow tie
            "WZ-G",
            shapely.Polygon(
                [(538000, 3409300), (538100, 3409400), (538100, 3409300), (538000, 3409400)]
            ),
        ),
        feature("WZ-H", column_span(1, 1)),  # 8: a second new-build over A's land
    ]
    data = boundary_frame(features)
    if name.endswith(".shp"):
        return write_gbk_shapefile_without_cpg(data, tmp_path / name)
    return write(data, tmp_path / name)


def test_a_boundary_file_imports_with_exact_refusals_and_areas(session, place, tmp_path):
    result = boundaries.import_file(session, scope=SYSTEM, path=boundary_file(tmp_path))
    data = result.as_json()
    assert data["projects"] == {"imported": 3, "unchanged": 0, "rejected": 5}
    assert [error["feature"] for error in data["errors"]] == [4, 5, 6, 7, 8]
    reasons = [error["reason"] for error in data["errors"]]
    assert reasons[0] == "项目编号：项目编号为空"
    assert reasons[1] == "建设类型：建设类型“新修”应为 新建 或 改造提升"
    assert reasons[2] == "建设年度：建设年度“二〇二四”应为四位年份"
    assert reasons[3].startswith("几何图形：几何图形无效：自相交")
    assert reasons[4] == "几何图形：与新建项目 WZ-A 重叠 14.40 亩：同一片耕地不能两次新建"
    areas = {item["project"]: item["cultivated_mu"] for item in data["areas"]}
    assert areas == pytest.approx({"WZ-A": 18.0, "WZ-B": 3.6, "WZ-C": 13.5}, rel=1e-3)
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert set(data) == {"projects", "errors", "areas"}


def test_the_same_file_twice_changes_nothing(session, place, tmp_path):
    path = boundary_file(tmp_path)
    boundaries.import_file(session, scope=SYSTEM, path=path)
    before = {p.number: (p.code, p.cultivated_m2) for p in session.scalars(select(Project))}
    again = boundaries.import_file(session, scope=SYSTEM, path=path).as_json()
    assert again["projects"] == {"imported": 0, "unchanged": 3, "rejected": 5}
    after = {p.number: (p.code, p.cultivated_m2) for p in session.scalars(select(Project))}
    assert after == before


def test_the_areas_match_an_independent_overlay_of_the_exported_parcels(session, place, tmp_path):
    path = boundary_file(tmp_path, "boundaries.gpkg")
    found = boundaries.import_file(session, scope=SYSTEM, path=path).as_json()["areas"]
    exported = tmp_path / "parcels_out.gpkg"
    land_export.export(
        session, scope=SYSTEM, region_code=place.village, out=exported, file_format="gpkg",
        layer="parcels",
    )  # fmt: skip
    parcels = geopandas.read_file(exported).to_crs("EPSG:4545")
    kept = geopandas.read_file(path).iloc[:3]
    pieces = geopandas.overlay(parcels, kept, how="intersection", keep_geom_type=True)
    expected = (pieces.area.groupby(pieces["项目编号"]).sum() / (10000 / 15)).to_dict()
    for item in found:
        assert item["cultivated_mu"] == pytest.approx(expected[item["project"]], rel=0.005)


def test_an_upgrade_over_a_new_build_is_reported_not_refused(session, place, tmp_path):
    first = boundary_frame([feature("WZ-A", column_span(1, 2))])
    boundaries.import_file(session, scope=SYSTEM, path=write(first, tmp_path / "a.geojson"))
    later = boundary_frame([feature("WZ-U", column_span(1, 1), kind="改造提升", year="2025")])
    result = boundaries.import_file(
        session, scope=SYSTEM, path=write(later, tmp_path / "u.geojson")
    )
    assert result.errors == []
    assert [(o.project, o.other, o.expected) for o in result.overlaps] == [("WZ-U", "WZ-A", True)]


def test_a_boundary_outside_the_callers_district_is_refused(session, place, tmp_path):
    from yunong.core.scope import Scope

    other = Scope(actor="d2", region_code="500102000000", role="district_officer")
    path = write(boundary_frame([feature("WZ-A", column_span(1, 2))]), tmp_path / "a.geojson")
    result = boundaries.import_file(session, scope=other, path=path)
    assert result.as_json()["projects"]["rejected"] == 1
    assert "没有您辖区内已入库的耕地地块" in result.as_json()["errors"][0]["reason"]


def accept(session, number):
    scope = SYSTEM
    for day, step in enumerate(
        ("规划编制", "前期准备", "申报审批", "计划管理", "组织实施", "竣工验收"), start=1
    ):
        steps.take(
            session,
            scope=scope,
            pack=PACK,
            number=number,
            step_in=steps.StepIn(step, date(2024, 1, day)),
            today=date(2024, 12, 1),
        )


def test_acceptance_flags_exactly_the_parcels_inside(session, place, tmp_path):
    for number, scale in (("WZ-A", "6000"), ("WZ-B", "5200"), ("WZ-C", "6100")):
        ready_project(session, number, scale=scale, kind="改造提升" if number == "WZ-B" else "新建")
    boundaries.import_file(session, scope=SYSTEM, path=boundary_file(tmp_path))
    accept(session, "WZ-A")
    accept(session, "WZ-B")
    accept(session, "WZ-C")
    flagged = {
        p.source_key.rsplit(":", 1)[1]: (p.high_standard_project, p.high_standard_year)
        for p in session.scalars(select(Parcel).where(Parcel.high_standard.is_(True)))
    }
    code = {p.number: p.code for p in session.scalars(select(Project))}
    # Parcel 4 is 40 % inside B: not flagged; parcel 6 is half inside C: flagged.
    assert flagged == {
        "0001": (code["WZ-A"], 2024),
        "0002": (code["WZ-A"], 2024),
        "0006": (code["WZ-C"], 2024),
        "0007": (code["WZ-C"], 2024),
    }


def test_acceptance_without_a_boundary_is_refused(session, place):
    ready_project(session, "WZ-Z")
    from yunong.core.errors import Conflict

    with pytest.raises(Conflict, match="尚未上图入库"):
        accept(session, "WZ-Z")
    assert projects.get(session, scope=SYSTEM, number="WZ-Z").step == "build"


def test_an_accepted_boundary_cannot_change(session, place, tmp_path):
    ready_project(session, "WZ-A")
    path = write(boundary_frame([feature("WZ-A", column_span(1, 2))]), tmp_path / "a.geojson")
    boundaries.import_file(session, scope=SYSTEM, path=path)
    accept(session, "WZ-A")
    moved = write(boundary_frame([feature("WZ-A", column_span(1, 3))]), tmp_path / "b.geojson")
    result = boundaries.import_file(session, scope=SYSTEM, path=moved).as_json()
    assert result["errors"] == [
        {"feature": 1, "reason": "项目编号：项目 WZ-A 已竣工验收，边界与属性不能再改"}
    ]


__all__ = ["rectangle"]
