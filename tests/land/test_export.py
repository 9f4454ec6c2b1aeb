"""Exported layers read back with pyogrio give the same features and Chinese attributes, and
import again unchanged."""

import pyogrio
import pytest
import shapely
from sqlalchemy import select

from tests.factories import make_place
from tests.land.factories import Patch, frame, rectangle, write
from yunong.core.scope import Scope
from yunong.land import export, high_standard, importers
from yunong.land.models import Parcel

SYSTEM = Scope.system("test")
PROJECT = "E500101000000000010W"
"""全农码 of the accepted high-standard farmland project the first parcel lies in."""


@pytest.fixture
def stored(session, tmp_path):
    place = make_place(session)
    patches = [
        Patch("0001", place.village, rectangle(1)),
        Patch("0002", place.village, rectangle(2), ZZSXDM="WG", GDPDJB="4"),
        Patch("0003", place.village, rectangle(3), DLBM="0702", DLMC="农村宅基地"),
    ]
    importers.import_file(
        session, scope=SYSTEM, path=write(frame(patches), tmp_path / "in.gpkg"), layer="parcels"
    )
    first = session.scalars(select(Parcel.id).order_by(Parcel.source_key)).first()
    high_standard.mark(
        session, scope=SYSTEM, parcel_ids=[first], project_code=PROJECT, year=2023
    )  # fmt: skip
    return place, {p.code: p for p in session.scalars(select(Parcel))}


@pytest.mark.parametrize("file_format", ["gpkg", "shp"])
def test_an_exported_layer_reads_back_with_the_same_features_and_chinese_values(
    session, stored, tmp_path, file_format
):
    place, parcels = stored
    done = export.export(
        session,
        scope=SYSTEM,
        region_code=place.town,
        out=tmp_path / f"out.{file_format}",
        file_format=file_format,
        layer="parcels",
    )

    back = pyogrio.read_dataframe(done.path)
    assert done.features == 3 and len(back) == 3
    assert back.crs.to_epsg() == 4490
    rows = {row.QNM: row for row in back.itertuples()}
    assert set(rows) == set(parcels)
    for code, parcel in parcels.items():
        row = rows[code]
        assert shapely.equals_exact(shapely.normalize(row.geometry), parcel.geom, tolerance=1e-9)
        kind = "耕地" if parcel.kind == "cultivated" else "宅基地"
        expected = ("石坪村", parcel.land_class, kind)
        assert expected == (row.CUNMC, row.DLMC, row.DKLX)
    first = rows[min(parcels, key=lambda c: parcels[c].source_key)]
    assert first.GBZXM == PROJECT and first.GBZNT == "是"
    assert sorted(back["ZZSX"].dropna()) == ["撂荒", "粮食作物"]
    assert sorted(back["MJM"].round(2)) == [9.0, 9.0, 9.0]


@pytest.mark.parametrize("file_format", ["gpkg", "shp", "geojson", "parquet"])
def test_an_exported_layer_imports_again_without_change(session, stored, tmp_path, file_format):
    place, _ = stored
    done = export.export(
        session,
        scope=SYSTEM,
        region_code=place.district,
        out=tmp_path / "out",
        file_format=file_format,
        layer="parcels",
    )

    again = importers.import_file(session, scope=SYSTEM, path=done.path, layer="parcels")

    assert (again.schema, again.imported, again.updated, again.unchanged) == ("yunong", 0, 0, 3)


def test_export_outside_the_callers_scope_is_refused(session, stored, tmp_path):
    place, _ = stored
    fuling = Scope(actor="fuling", region_code="500102000000")

    with pytest.raises(Exception, match="不存在或不在您的管辖范围内"):
        export.export(
            session,
            scope=fuling,
            region_code=place.village,
            out=tmp_path / "x.gpkg",
            file_format="gpkg",
            layer="parcels",
        )
