"""GPX tracks against the ban zones: points counted inside (a point on a boundary is inside),
geodesic length summed per segment (a segment break is not walked), the same file twice is
one patrol, and coverage per zone per month."""

import json
from datetime import date, datetime

import pytest

from tests.fishery.factories import (
    MAIN_STREAM,
    RESERVE,
    SYSTEM,
    along,
    gpx_text,
    make_team,
    two_zones,
    vincenty_m,
)
from yunong.core.auth.roles import Role
from yunong.core.errors import InvalidValue
from yunong.core.scope import Scope
from yunong.fishery import cases, coverage, tracks
from yunong.fishery.models import Patrol

pytestmark = pytest.mark.db

MORNING = datetime(2024, 5, 6, 0, 30)  # 08:30 in Chongqing


def patrol_segments():
    """Along the river through both zones (16 points, timed, with elevation), touching the
    main stream's west and east edges and the reserve's west and east edges; then a second
    segment up the reserve without elevation (one point on its north edge, one beyond);
    then a second track with neither elevation nor time, outside every zone."""
    river = along((108.370, 30.805), (0.005, 0.0), 16, MORNING)
    creek = [
        (108.435, 30.815, None, datetime(2024, 5, 6, 2, 0)),
        (108.436, 30.820, None, datetime(2024, 5, 6, 2, 5)),
        (108.437, 30.830, None, None),
    ]
    elsewhere = along((108.300, 30.700), (0.001, 0.001), 3, None)
    return [[river, creek], [elsewhere]]


def inside(point, bounds) -> bool:
    west, south, east, north = bounds
    return west <= point[0] <= east and south <= point[1] <= north


def expected(segments):
    points = [p for track in segments for segment in track for p in segment]
    counted = sum(1 for p in points if inside(p, MAIN_STREAM) or inside(p, RESERVE))
    length = sum(
        vincenty_m(a[0], a[1], b[0], b[1])
        for track in segments
        for segment in track
        for a, b in zip(segment, segment[1:], strict=False)
    )
    return len(points), counted, length


@pytest.fixture
def gpx(tmp_path):
    path = tmp_path / "patrol.gpx"
    path.write_text(gpx_text(patrol_segments()), encoding="utf-8")
    return path


def test_points_inside_and_length_match_an_independent_count(session, tmp_path, gpx):
    two_zones(session, tmp_path)
    team = make_team(session)
    points, counted, length = expected(patrol_segments())
    assert (points, counted) == (22, 14)  # 9 main stream + 3 reserve on the river, 2 up the creek
    recorded = tracks.import_gpx(session, scope=SYSTEM, team=team, path=gpx)
    data = recorded.measured.as_json()
    assert set(data) == {"points", "inside_zones", "length_km", "zones"}
    assert data["points"] == points
    assert data["inside_zones"] == counted
    assert data["length_km"] == pytest.approx(length / 1000, rel=0.005)
    assert recorded.measured.length_m == pytest.approx(length, rel=1e-6)
    assert data["zones"] == sorted(["长江万州段", "磨刀溪保护区"])
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_a_point_on_a_zone_boundary_counts_as_inside(session, tmp_path):
    two_zones(session, tmp_path)
    team = make_team(session)
    on_edges = [[[(108.38, 30.805, None, MORNING), (108.40, 30.81, None, MORNING)]]]
    path = tmp_path / "edges.gpx"
    path.write_text(gpx_text(on_edges), encoding="utf-8")
    data = tracks.import_gpx(session, scope=SYSTEM, team=team, path=path).measured.as_json()
    assert (data["points"], data["inside_zones"]) == (2, 2)


def test_the_gap_between_segments_is_not_counted_as_walked(session, tmp_path):
    team = make_team(session)
    first = [(108.37, 30.80, None, MORNING), (108.38, 30.80, None, MORNING)]
    second = [(108.50, 30.80, None, MORNING), (108.51, 30.80, None, MORNING)]
    path = tmp_path / "gap.gpx"
    path.write_text(gpx_text([[first, second]]), encoding="utf-8")
    measured = tracks.import_gpx(session, scope=SYSTEM, team=team, path=path).measured
    walked = 2 * vincenty_m(108.37, 30.80, 108.38, 30.80)
    assert measured.length_m == pytest.approx(walked, rel=1e-6)


def test_the_same_track_twice_is_one_patrol(session, tmp_path, gpx):
    two_zones(session, tmp_path)
    team = make_team(session)
    first = tracks.import_gpx(session, scope=SYSTEM, team=team, path=gpx)
    again = tracks.import_gpx(session, scope=SYSTEM, team=team, path=gpx)
    assert first.new and not again.new
    assert again.measured.as_json() == first.measured.as_json()
    assert session.query(Patrol).filter(Patrol.team_id == team.id).count() == 1


def test_the_patrol_day_is_the_first_point_in_chongqing_time(session, tmp_path, gpx):
    team = make_team(session)
    patrol = tracks.import_gpx(session, scope=SYSTEM, team=team, path=gpx).patrol
    assert patrol.patrolled_on == date(2024, 5, 6)


def test_a_track_without_any_time_needs_the_day(session, tmp_path):
    team = make_team(session)
    path = tmp_path / "untimed.gpx"
    path.write_text(gpx_text([[along((108.3, 30.7), (0.001, 0.0), 3, None)]]), encoding="utf-8")
    with pytest.raises(InvalidValue, match="请指定巡查日期"):
        tracks.import_gpx(session, scope=SYSTEM, team=team, path=path)
    patrol = tracks.import_gpx(session, scope=SYSTEM, team=team, path=path, day=date(2024, 6, 1))
    assert patrol.patrol.patrolled_on == date(2024, 6, 1)


def test_a_file_that_is_not_gpx_is_refused_in_chinese(session, tmp_path):
    team = make_team(session)
    path = tmp_path / "broken.gpx"
    path.write_text("<gpx><trk><trkseg><trkpt lat='x'", encoding="utf-8")
    with pytest.raises(InvalidValue, match="不是有效的 GPX"):
        tracks.import_gpx(session, scope=SYSTEM, team=team, path=path)


def test_coverage_counts_patrols_per_zone_per_month(session, tmp_path, gpx):
    two_zones(session, tmp_path)
    team = make_team(session)
    other = make_team(session, "龙沙镇护渔队", "500101108000")
    tracks.import_gpx(session, scope=SYSTEM, team=team, path=gpx)
    tracks.import_gpx(session, scope=SYSTEM, team=other, path=gpx)
    rows = coverage.by_zone_month(session, scope=SYSTEM, month="2024-05")
    by_zone = {row.zone_number: (row.patrols, row.teams, row.points) for row in rows}
    assert by_zone == {"WZ-CJ-01": (2, 2, 18), "WZ-BH-01": (2, 2, 10)}
    assert coverage.by_zone_month(session, scope=SYSTEM, month="2024-06") == []


def test_a_patrol_recorded_on_a_phone_with_a_finding_opens_a_case_of_the_team(session, tmp_path):
    two_zones(session, tmp_path)
    team = make_team(session, "龙沙镇护渔队", "500101108000")
    town = Scope(actor="longsha", region_code="500101108000", role=Role.TOWN_OFFICER.value)
    track = "[[108.375, 30.805], [108.385, 30.805], [108.395, 30.805]]"
    recorded = tracks.record_from_phone(
        session,
        scope=town,
        patrol_in=tracks.PhonePatrol(team.id, track, "江边有人下地笼", "龙沙镇码头"),
    )
    assert (recorded.patrol.source, recorded.measured.inside) == ("phone", 2)
    case = cases.get(session, scope=town, number=recorded.case_number)
    assert (case.region_code, case.patrol_id, case.step) == (
        team.region_code,
        recorded.patrol.id,
        "found",
    )
    with pytest.raises(InvalidValue, match="至少需要两个位置"):
        tracks.record_from_phone(
            session, scope=town, patrol_in=tracks.PhonePatrol(team.id, "[[108.4, 30.8]]")
        )
