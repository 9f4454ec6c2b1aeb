"""长江治渔 test data with hand-checkable figures: rectangular ban zones near 万州区 in
degrees (CGCS2000), GPX tracks written as a handheld device writes them, and an independent
geodesic (Vincenty's inverse formula on the CGCS2000 ellipsoid) to check the lengths."""

import math
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import geopandas
import shapely

from tests.factories import make_place
from tests.land.factories import write
from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.fishery import teams, zones
from yunong.policy import loader

SYSTEM = Scope.system("test")
RULES = loader.get().fishery
DISTRICT = "500101000000"  # 万州区

MAIN_STREAM = (108.38, 30.80, 108.42, 30.81)
"""长江万州段: west, south, east, north."""
RESERVE = (108.43, 30.80, 108.44, 30.82)
"""磨刀溪 reserve."""


def zone_record(number: str, name: str, kind: str, bounds: tuple[float, ...], **extra: str):
    return {
        "水域编号": number,
        "水域名称": name,
        "水域类型": kind,
        "区县代码": extra.pop("district", "500101"),
        "禁捕依据": extra.pop("basis", "农业农村部通告〔2019〕4号"),
        **extra,
        "geometry": shapely.box(*bounds),
    }


def zone_file(path: Path, records: list[dict[str, Any]], crs: str = "EPSG:4490") -> Path:
    data = geopandas.GeoDataFrame(
        [{k: v for k, v in r.items() if k != "geometry"} for r in records],
        geometry=[r["geometry"] for r in records],
        crs=crs,
    )
    return write(data, path)


def two_zones(session, tmp_path: Path) -> None:
    """长江万州段 and 磨刀溪保护区 of 万州区 (whose region must be loaded)."""
    if session.get(Region, DISTRICT) is None:
        make_place(session)
    path = zone_file(
        tmp_path / "zones.geojson",
        [
            zone_record("WZ-CJ-01", "长江万州段", "长江干流", MAIN_STREAM),
            zone_record("WZ-BH-01", "磨刀溪保护区", "保护区", RESERVE),
        ],
    )
    result = zones.import_file(session, scope=SYSTEM, rules=RULES, path=path)
    assert not result.errors


def make_team(session, name: str = "万州区护渔队", region: str = DISTRICT):
    """A team; the first of a test loads the places (万州区 with 龙沙镇 …)."""
    if session.get(Region, DISTRICT) is None:
        make_place(session)
    return teams.create(session, scope=SYSTEM, name=name, region_code=region)


Point = tuple[float, float, float | None, datetime | None]
"""longitude, latitude, elevation, time."""


def gpx_text(tracks: list[list[list[Point]]]) -> str:
    """A GPX 1.1 document: tracks of segments of points, elevation and time where given."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gpx version="1.1" creator="Garmin eTrex 22x" xmlns="http://www.topografix.com/GPX/1/1">',
    ]
    for number, track in enumerate(tracks, 1):
        lines.append(f"<trk><name>巡护 {number}</name>")
        for segment in track:
            lines.append("<trkseg>")
            for lon, lat, ele, time in segment:
                inner = f"<ele>{ele}</ele>" if ele is not None else ""
                if time is not None:
                    inner += f"<time>{time.strftime('%Y-%m-%dT%H:%M:%SZ')}</time>"
                lines.append(f'<trkpt lat="{lat}" lon="{lon}">{inner}</trkpt>')
            lines.append("</trkseg>")
        lines.append("</trk>")
    lines.append("</gpx>")
    return "\n".join(lines)


def along(
    start: tuple[float, float], step: tuple[float, float], count: int, when: datetime | None
) -> list[Point]:
    """``count`` points from ``start`` by ``step`` degrees, a minute apart when timed."""
    return [
        (
            round(start[0] + i * step[0], 6),
            round(start[1] + i * step[1], 6),
            175.0 + i if when else None,
            when + timedelta(minutes=i) if when else None,
        )
        for i in range(count)
    ]


A = 6378137.0
F = 1 / 298.257222101  # CGCS2000


def vincenty_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Geodesic distance on the CGCS2000 ellipsoid by Vincenty's inverse formula."""
    b = A * (1 - F)
    u1 = math.atan((1 - F) * math.tan(math.radians(lat1)))
    u2 = math.atan((1 - F) * math.tan(math.radians(lat2)))
    lam = big_l = math.radians(lon2 - lon1)
    sin_u1, cos_u1, sin_u2, cos_u2 = math.sin(u1), math.cos(u1), math.sin(u2), math.cos(u2)
    for _ in range(200):
        sin_lam, cos_lam = math.sin(lam), math.cos(lam)
        sin_sigma = math.hypot(cos_u2 * sin_lam, cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_lam)
        if sin_sigma == 0:
            return 0.0
        cos_sigma = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_lam
        sigma = math.atan2(sin_sigma, cos_sigma)
        sin_alpha = cos_u1 * cos_u2 * sin_lam / sin_sigma
        cos2_alpha = 1 - sin_alpha**2
        cos_2sm = cos_sigma - 2 * sin_u1 * sin_u2 / cos2_alpha if cos2_alpha else 0.0
        c = F / 16 * cos2_alpha * (4 + F * (4 - 3 * cos2_alpha))
        previous = lam
        lam = big_l + (1 - c) * F * sin_alpha * (
            sigma + c * sin_sigma * (cos_2sm + c * cos_sigma * (-1 + 2 * cos_2sm**2))
        )
        if abs(lam - previous) < 1e-12:
            break
    u_sq = cos2_alpha * (A**2 - b**2) / b**2
    big_a = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)))
    big_b = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)))
    delta = (
        big_b
        * sin_sigma
        * (
            cos_2sm
            + big_b
            / 4
            * (
                cos_sigma * (-1 + 2 * cos_2sm**2)
                - big_b / 6 * cos_2sm * (-3 + 4 * sin_sigma**2) * (-3 + 4 * cos_2sm**2)
            )
        )
    )
    return b * big_a * (sigma - delta)


def scope_rows(session, village: str) -> tuple[int, str, int, int, int]:
    """For the scope matrix, in ``village``: a tip of its district, a case found in the
    village, a retired fisher (the village's first person), a patrol of the village's
    own team and the team: (tip id, case number, fisher id, patrol id, team id)."""
    from datetime import date

    import numpy as np
    from sqlalchemy import select

    from yunong.fishery import cases, fishers, tips, tracks
    from yunong.monitor.models import Household, Person

    tip = tips.submit(session, tip_in=tips.TipIn(village[:6], f"矩阵举报{village[-3:]}电鱼"))
    case = cases.open_case(
        session,
        scope=SYSTEM,
        case_in=cases.CaseIn(village, date(2024, 6, 1), "江边", f"矩阵案件{village[-3:]}"),
    )
    person = session.scalars(
        select(Person.code)
        .join(Household, Household.id == Person.household_id)
        .where(Household.village_code == village)
        .order_by(Person.id)
    ).first()
    fisher = fishers.register(
        session, scope=SYSTEM, fisher_in=fishers.FisherIn(person, "2020-12-31")
    )
    team = teams.create(session, scope=SYSTEM, name=f"矩阵护渔队{village}", region_code=village)
    track = tracks.Track([np.array([(108.40, 30.80), (108.41, 30.80)])], None)
    patrol = tracks.record(
        session, scope=SYSTEM, team=team, track=track, source="phone", day=date(2024, 6, 1)
    )
    return tip.id, case.number, fisher.id, patrol.patrol.id, team.id


def add_list_rows(session, village: str, count: int) -> None:
    """More than a page of each 长江治渔 list in ``village`` (whose households' people must
    number ``count``): zones of its district, patrols of a village team, tips, cases and
    retired fishers."""
    from datetime import date

    import numpy as np
    from pyproj import CRS
    from sqlalchemy import select

    from yunong.fishery import cases, fishers, tips, tracks
    from yunong.land.readers import Layer
    from yunong.monitor.models import Household, Person

    layer = Layer(
        {
            "水域编号": [f"L{village}{n:03d}" for n in range(count)],
            "水域名称": [f"清单水域{n:03d}" for n in range(count)],
            "水域类型": ["支流"] * count,
            "区县代码": [village[:6]] * count,
        },
        np.array(
            [shapely.box(108.0 + n * 0.01, 30.0, 108.005 + n * 0.01, 30.005) for n in range(count)],
            dtype=object,
        ),
        CRS.from_epsg(4490),
    )
    zones.import_layer(session, scope=SYSTEM, rules=RULES, layer=layer)
    team = teams.create(session, scope=SYSTEM, name=f"清单护渔队{village}", region_code=village)
    for n in range(count):
        track = tracks.Track([np.array([(108.0 + n * 0.001, 30.0), (108.1, 30.1)])], None)
        tracks.record(session, scope=SYSTEM, team=team, track=track, source="gpx",
                      day=date(2024, 5, 1 + n % 28))  # fmt: skip
        tips.submit(session, tip_in=tips.TipIn(village[:6], f"清单举报{n:03d}：江边电鱼"))
        cases.open_case(
            session,
            scope=SYSTEM,
            case_in=cases.CaseIn(village, date(2024, 6, 1), f"清单地点{n:03d}", "巡护发现电鱼"),
        )
    people = session.scalars(
        select(Person.code)
        .join(Household, Household.id == Person.household_id)
        .where(Household.village_code == village)
        .order_by(Person.id)
        .limit(count)
    )
    for code in people:
        fishers.register(session, scope=SYSTEM, fisher_in=fishers.FisherIn(code, "2020-12-31"))
