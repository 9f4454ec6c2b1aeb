"""Protection zones: import from our schema and the national layers, and the overlay of
parcels with them, against areas worked out by hand.

Parcels are 100 m × 60 m (9 亩) except the homestead, 80 m × 25 m (3 亩).
"""

import pytest
import shapely
from sqlalchemy import select

from tests.factories import make_place
from tests.land.factories import (
    ORIGIN,
    Plot,
    plot_code,
    plot_frame,
    rectangle,
    write,
    zone_frame,
)
from yunong.core.scope import Scope
from yunong.land import importers, jobs
from yunong.land.geometry import to_mu
from yunong.land.models import Zone
from yunong.store.db import make_engine, make_sessionmaker, transaction

SYSTEM = Scope.system("test")
X, Y = ORIGIN
# Covers parcels 1 and 3 whole and the western half of parcel 5.
FARMLAND = shapely.box(X + 140, Y - 10, X + 800, Y + 70)
REDLINE = shapely.box(X + 590, Y + 190, X + 710, Y + 270)


def zones(place) -> list[dict]:
    return [
        {"JBNTTBBH": "0001", "ZLDWDM": place.village + "0000000", "geometry": FARMLAND},
        {
            "BHLX": "生态保护红线",
            "BH": "HX-01",
            "MC": "铁峰山生态保护红线",
            "XZQDM": "500101",
            "geometry": REDLINE,
        },
    ]


def import_zones(session, path, scope=SYSTEM):
    return importers.import_file(session, scope=scope, path=path, layer="zones")


def test_zones_from_the_farmland_and_red_line_layers_are_stored_with_area(session, tmp_path):
    place = make_place(session)

    result = import_zones(session, write(zone_frame(zones(place)), tmp_path / "zones.gpkg"))

    assert (result.imported, result.errors) == (2, [])
    stored = {z.kind: z for z in session.scalars(select(Zone))}
    assert stored["permanent_farmland"].region_code == place.village
    assert stored["ecological_redline"].name == "铁峰山生态保护红线"
    assert stored["ecological_redline"].region_code == "500101000000"
    assert to_mu(stored["permanent_farmland"].area_m2) == to_mu(660 * 80)


def test_a_zone_import_twice_changes_nothing_and_bad_zones_are_refused(session, tmp_path):
    place = make_place(session)
    data = zones(place) + [
        {"BHLX": "自然保护地", "BH": "X", "XZQDM": "500101", "geometry": REDLINE},
        {"BHLX": "永久基本农田", "BH": "Y", "XZQDM": "500199", "geometry": REDLINE},
    ]
    path = write(zone_frame(data), tmp_path / "zones.gpkg")

    first = import_zones(session, path)
    again = import_zones(session, path)

    assert [(e.index, e.field) for e in first.errors] == [(3, "BHLX"), (4, "XZQDM")]
    assert "未知的区划代码 500199000000" in first.errors[1].reason
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 2)


@pytest.fixture(scope="module")
def overlaid(module_db_url, tmp_path_factory):
    engine = make_engine(module_db_url)
    directory = tmp_path_factory.mktemp("overlay")
    with transaction(make_sessionmaker(engine)) as session:
        place = make_place(session)
        v = place.village
        plots = [
            Plot(plot_code(v, 1), v, rectangle(1), YJJBNT="是"),  # inside, flagged
            Plot(plot_code(v, 2), v, rectangle(2, row=2), YJJBNT="是"),  # outside, flagged
            Plot(plot_code(v, 3), v, rectangle(3)),  # inside, not flagged
            Plot(
                plot_code(v, 4),
                v,
                rectangle(4, row=2, width=80, height=25),
                DKLX="宅基地",
                DLBM="0702",
                ZZSX="",
                PDJB="",
            ),  # in the red line
            Plot(plot_code(v, 5), v, rectangle(5), YJJBNT="是"),  # half inside, flagged
        ]
        importers.import_file(
            session,
            scope=SYSTEM,
            path=write(plot_frame(plots), directory / "p.gpkg"),
            layer="parcels",
        )
        import_zones(session, write(zone_frame(zones(place)), directory / "z.gpkg"))
    yield jobs.overlay(engine, scope=SYSTEM)
    engine.dispose()


def test_the_overlay_measures_each_kind_of_land_inside_each_zone(overlaid):
    assert overlaid.pairs == 4
    assert overlaid.area_by_zone["permanent_farmland"]["cultivated"] == pytest.approx(
        22.5, abs=0.02
    )
    assert overlaid.area_by_zone["ecological_redline"] == {"homestead": 3.0}


def test_the_overlay_finds_flags_that_disagree_with_the_zones(overlaid):
    assert overlaid.flagged_outside_zone == 1
    assert overlaid.inside_zone_not_flagged == 1


def test_the_overlay_finds_built_land_in_an_ecological_red_line(overlaid):
    assert overlaid.built_in_redline == 1
