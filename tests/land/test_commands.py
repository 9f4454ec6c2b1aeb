"""`yunong land …` from the command line."""

import json

import openpyxl
import pyogrio
import pytest
import shapely
from sqlalchemy import select
from typer.testing import CliRunner

from tests.factories import make_place
from tests.land.factories import Patch, Plot, frame, plot_code, plot_frame, rectangle, write
from yunong.cli import app
from yunong.land.models import Parcel
from yunong.store.db import make_engine, make_sessionmaker, transaction

runner = CliRunner()


@pytest.fixture
def ready(configured):
    engine = make_engine(configured)
    with transaction(make_sessionmaker(engine)) as session:
        place = make_place(session)
    yield engine, place
    engine.dispose()


def test_import_reports_refused_features_as_json_and_exits_3(ready, tmp_path):
    _, place = ready
    patches = [
        Patch("1", place.village, rectangle(1)),
        Patch("2", place.village, shapely.Polygon()),
    ]
    path = write(frame(patches), tmp_path / "dltb.gpkg")

    result = runner.invoke(app, ["land", "import", str(path), "--layer", "parcels", "--json"])

    body = json.loads(result.stdout)
    assert result.exit_code == 3
    assert (body["schema"], body["imported"], body["rejected"]) == ("dltb", 1, 1)
    assert body["errors"] == [{"index": 2, "field": "几何图形", "reason": "几何图形为空"}]


def test_export_writes_the_region_as_a_shapefile(ready, tmp_path):
    _, place = ready
    runner.invoke(
        app,
        [
            "land",
            "import",
            str(write(frame([Patch("1", place.village, rectangle(1))]), tmp_path / "a.gpkg")),
        ],
    )
    out = tmp_path / "out.shp"

    result = runner.invoke(
        app, ["land", "export", "--region", place.district[:6], "--format", "shp", str(out)]
    )

    assert result.exit_code == 0, result.output
    assert list(pyogrio.read_dataframe(out)["CUNMC"]) == ["石坪村"]


def test_lists_statistics_and_the_ledger_from_the_command_line(ready, tmp_path):
    engine, place = ready
    plots = [
        Plot(plot_code(place.village, 1), place.village, rectangle(1), ZZSX="撂荒", PDJB="3"),
        Plot(plot_code(place.village, 2), place.village, rectangle(2)),
    ]
    runner.invoke(app, ["land", "import", str(write(plot_frame(plots), tmp_path / "p.gpkg"))])
    with transaction(make_sessionmaker(engine)) as session:
        first, second = [p.code for p in session.scalars(select(Parcel).order_by(Parcel.code))]

    stats = json.loads(runner.invoke(app, ["land", "stats", "--level", "village", "--json"]).stdout)
    listed = runner.invoke(app, ["land", "recultivation", str(tmp_path / "r.xlsx")])
    supplied = runner.invoke(
        app,
        [
            "land",
            "record",
            "supplement",
            "--region",
            "500101",
            "--document",
            "验收1号",
            "--decided",
            "2024-06-01",
            "--parcels",
            first,
            "--source",
            "new",
        ],
    )
    refused = runner.invoke(
        app,
        [
            "land",
            "record",
            "occupation",
            "--region",
            "500101",
            "--document",
            "批复1号",
            "--decided",
            "2024-07-01",
            "--parcels",
            second,
        ],
    )
    cap = runner.invoke(app, ["land", "cap", "--region", "500101", "--year", "2025"])

    assert stats[0]["by_kind"]["cultivated"] == 18.0 and stats[0]["abandoned"] == 9.0
    assert listed.exit_code == 0 and "待复耕 1 块" in listed.stdout
    rows = list(openpyxl.load_workbook(tmp_path / "r.xlsx").active.values)
    assert rows[1][0] == first and rows[1][4] == 9.0
    assert supplied.exit_code == 0 and "已登记补充 验收1号：9.00 亩" in supplied.stdout
    assert refused.exit_code == 1 and "上限为 0.00 亩" in refused.stderr
    assert "2025 年非农建设占用耕地上限为 9.00 亩" in cap.stdout


def test_the_target_command_compares_with_the_pack(ready):
    result = runner.invoke(app, ["land", "target", "--year", "2024"])

    assert result.exit_code == 0
    assert "目标 26,650,000 亩" in result.stdout and "未达到" in result.stdout
