"""The cockpit's high-standard farmland indicators, computed from projects and parcels,
against figures worked out here by hand from the tiny demo: boundaries and parcels cut with
GeoPandas on the Gauss–Krüger zone, flags added up parcel by parcel."""

from datetime import date

import geopandas
import pytest
from sqlalchemy import select

from yunong.assess import figures
from yunong.core.regions.codes import Level
from yunong.farmland.models import Project, Report
from yunong.land.models import Parcel
from yunong.policy import loader
from yunong.store.db import make_engine, make_sessionmaker

CITY = "500000000000"
PACK = loader.get()
M2_PER_WAN_MU = 10000 * 10000 / 15


@pytest.fixture(scope="module")
def demo(tiny_demo_url):
    engine = make_engine(tiny_demo_url)
    session = make_sessionmaker(engine)()
    yield session
    session.close()
    engine.dispose()


def frame(rows, crs="EPSG:4490"):
    return geopandas.GeoDataFrame(
        [row[:-1] for row in rows], geometry=[row[-1] for row in rows], crs=crs
    ).to_crs("EPSG:4545")


def hand_built(session, years) -> float:
    """万亩 of cultivated land inside accepted projects of ``years``, by GeoPandas."""
    accepted = [
        (p.number, p.geom)
        for p in session.scalars(select(Project).where(Project.step.in_(("accept", "evaluate"))))
        if p.year in years and p.geom is not None
    ]
    if not accepted:
        return 0.0
    parcels = session.execute(
        select(Parcel.id, Parcel.geom).where(Parcel.kind == "cultivated")
    ).all()
    cut = geopandas.overlay(
        frame([(i, g) for i, g in parcels]),
        frame(accepted),
        how="intersection",
        keep_geom_type=True,
    )
    return float(cut.area.sum()) / M2_PER_WAN_MU


def computed(session, key, period, level=Level.CITY, under=CITY):
    return figures.values(session, pack=PACK, key=key, period=period, level=level, under=under)


def test_the_two_pack_indicators_are_computed_not_reported():
    for key, name in (
        ("high_standard_farmland_built", "farmland.built_in_year"),
        ("high_standard_farmland_grain_share", "farmland.grain_oil_share"),
    ):
        indicator = PACK.indicators[key]
        assert indicator.method == f"computed:{name}"
        assert figures.origin(indicator, Level.CITY) == f"系统计算（{name}）"


def test_built_in_the_year_equals_the_hand_overlay(demo):
    year = date.today().year
    found = computed(demo, "high_standard_farmland_built", year)
    expected = hand_built(demo, {year})
    assert expected > 0
    assert found[CITY].value == pytest.approx(expected, rel=0.005)


def test_cumulative_area_counts_every_accepted_year(demo):
    from yunong.farmland import indicators

    year = date.today().year
    found = indicators.built_total(demo, period=year, level=Level.CITY, under=CITY)
    assert found[CITY].value == pytest.approx(
        hand_built(demo, set(range(2000, year + 1))), rel=0.005
    )


def test_shares_equal_the_parcels_added_up_by_hand(demo):
    from yunong.farmland import indicators

    parcels = demo.execute(
        select(
            Parcel.area_m2, Parcel.permanent_farmland, Parcel.high_standard, Parcel.current_use
        ).where(Parcel.kind == "cultivated")
    ).all()
    permanent = sum(float(a) for a, p, h, u in parcels if p)
    permanent_high = sum(float(a) for a, p, h, u in parcels if p and h)
    used = sum(float(a) for a, p, h, u in parcels if h and u)
    grain_oil = sum(
        float(a) for a, p, h, u in parcels if h and u in PACK.land.non_grain.high_standard_uses
    )
    assert permanent_high > 0
    year = date.today().year
    share = indicators.permanent_share(demo, period=year, level=Level.CITY, under=CITY)[CITY]
    assert share.value == pytest.approx(100 * permanent_high / permanent)
    grain = computed(demo, "high_standard_farmland_grain_share", year)[CITY]
    assert grain.value == pytest.approx(100 * grain_oil / used)


def test_the_flag_is_on_accepted_projects_parcels_only(demo):
    flagged = demo.scalars(select(Parcel.high_standard_project).where(Parcel.high_standard)).all()
    accepted = set(
        demo.scalars(select(Project.code).where(Project.step.in_(("accept", "evaluate"))))
    )
    assert flagged and set(flagged) <= accepted


def test_open_issues_and_overdue_steps_are_counted(demo):
    from yunong.farmland import indicators

    year = date.today().year
    open_reports = demo.scalars(
        select(Report).where(Report.kind == "damage", Report.closed_on.is_(None))
    ).all()
    issues = indicators.open_issues(demo, period=year, level=Level.CITY, under=CITY)
    assert issues[CITY].value == len(open_reports) == 1
    overdue = indicators.overdue_steps(demo, period=year, level=Level.DISTRICT, under=CITY)
    assert sum(m.value for m in overdue.values()) >= 1
