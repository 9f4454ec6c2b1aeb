"""`yunong fishery …` from the command line: the zone import's refusals and exit code 3, a
team, and a GPX track printing exactly the issue's JSON."""

import json
from datetime import datetime

import pytest
from typer.testing import CliRunner

from tests.factories import make_place
from tests.fishery.factories import MAIN_STREAM, RESERVE, along, gpx_text, zone_file, zone_record
from yunong.cli import app
from yunong.store.db import make_engine, make_sessionmaker, transaction

runner = CliRunner()


@pytest.fixture
def ready(configured):
    engine = make_engine(configured)
    with transaction(make_sessionmaker(engine)) as session:
        make_place(session)
    yield
    engine.dispose()


def test_zones_team_and_track_from_the_command_line(ready, tmp_path):
    zones = zone_file(
        tmp_path / "zones.geojson",
        [
            zone_record("WZ-CJ-01", "长江万州段", "长江干流", MAIN_STREAM),
            zone_record("WZ-BH-01", "磨刀溪保护区", "保护区", RESERVE),
            zone_record("WZ-X-01", "未知", "湖泊", RESERVE),
        ],
    )
    imported = runner.invoke(app, ["fishery", "zones", "import", str(zones), "--json"])
    assert imported.exit_code == 3, imported.output
    assert json.loads(imported.stdout) == {
        "zones": {"imported": 2, "unchanged": 0, "rejected": 1},
        "errors": [
            {"feature": 3, "reason": "水域类型：水域类型“湖泊”应为 长江干流、支流 或 保护区"}
        ],
    }
    added = runner.invoke(app, ["fishery", "teams", "add", "万州区护渔队", "--region", "500101"])
    assert added.exit_code == 0, added.output
    gpx = tmp_path / "patrol.gpx"
    gpx.write_text(
        gpx_text([[along((108.370, 30.805), (0.005, 0.0), 16, datetime(2024, 5, 6, 1))]]),
        encoding="utf-8",
    )
    command = ["fishery", "tracks", "import", str(gpx), "--team", "万州区护渔队", "--json"]
    track = runner.invoke(app, command)
    assert track.exit_code == 0, track.output
    data = json.loads(track.stdout)
    assert list(data) == ["points", "inside_zones", "length_km", "zones"]
    assert (data["points"], data["inside_zones"]) == (16, 12)
    assert data["zones"] == ["磨刀溪保护区", "长江万州段"]
    assert runner.invoke(app, command).stdout == track.stdout
    unknown = runner.invoke(app, ["fishery", "tracks", "import", str(gpx), "--team", "无此队"])
    assert unknown.exit_code == 1 and "没有名为“无此队”的护渔队" in unknown.output
