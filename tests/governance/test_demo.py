"""On the tiny demo: the demo town's monthly summary and the stationed cadres' coverage per
district each equal a hand count of the rows; the demo village has grids, points published
and refused, a redemption and a resident's report classed from the public page."""

from datetime import date

import pytest
from sqlalchemy import select

from yunong.core.regions.models import Region
from yunong.core.scope import Scope
from yunong.governance import cadres, matters
from yunong.governance.models import (
    Grid,
    GridHousehold,
    Matter,
    PointsEntry,
    PointsLedger,
    StationedCadre,
)
from yunong.store.db import make_engine, make_sessionmaker, transaction

pytestmark = pytest.mark.db
SYSTEM = Scope.system("test")
ASOF = date(2025, 1, 31)


@pytest.fixture(scope="module")
def demo(tiny_demo_url):
    engine = make_engine(tiny_demo_url)
    yield make_sessionmaker(engine)
    engine.dispose()


def test_the_demo_towns_monthly_summary_equals_a_hand_count(demo):
    with transaction(demo) as session:
        rows = session.execute(
            select(
                Matter.village_code,
                Matter.kind,
                Matter.reported_on,
                Matter.due_on,
                Matter.closed_on,
            )
        ).all()
        town = rows[0][0][:9] + "000"
        summary = matters.monthly_summary(
            session, scope=SYSTEM, town=town, month="2024-03", today=ASOF
        )
    march = [r for r in rows if r[0].startswith(town[:9]) and (r[2].year, r[2].month) == (2024, 3)]
    for row in summary:
        mine = [r for r in march if r[1] == row.kind]
        closed = [r for r in mine if r[4] is not None]
        hand = (
            len(mine),
            len(closed),
            len([r for r in closed if r[4] <= r[3]]),
            len(mine) - len(closed),
            len([r for r in mine if r[4] is None and r[3] < ASOF]),
        )
        assert (row.reported, row.closed, row.closed_in_time, row.open, row.overdue) == hand
    assert sum(row.reported for row in summary) > 0


def test_stationed_cadres_coverage_per_district_equals_a_hand_count(demo):
    on = date(2024, 6, 1)
    with transaction(demo) as session:
        found = {
            row.district: (row.covered, row.villages)
            for row in cadres.coverage(session, scope=SYSTEM, on=on)
        }
        villages = [
            code
            for code in session.scalars(select(Region.code).where(Region.level == 4))
            if 200 <= int(code[9:]) <= 399
        ]
        stationed = session.execute(
            select(
                StationedCadre.village_code,
                StationedCadre.role,
                StationedCadre.starts_on,
                StationedCadre.ends_on,
            )
        ).all()
    covered = {
        village
        for village, role, starts, ends in stationed
        if role in ("first_secretary", "instructor")
        and starts <= on
        and (ends is None or ends >= on)
    }
    hand: dict[str, list[int]] = {}
    for village in villages:
        entry = hand.setdefault(village[:6] + "000000", [0, 0])
        entry[0] += int(village in covered)
        entry[1] += 1
    assert found == {district: tuple(counts) for district, counts in hand.items()}
    assert any(covered < total for covered, total in found.values())


def test_the_demo_village_has_grids_published_points_a_redemption_and_a_classed_report(demo):
    with transaction(demo) as session:
        grids = session.scalars(select(Grid)).all()
        assigned = session.scalars(select(GridHousehold.grid_id)).all()
        states = session.scalars(select(PointsEntry.state)).all()
        kinds = session.scalars(select(PointsLedger.kind)).all()
        public = session.scalars(select(Matter).where(Matter.reference.is_not(None))).all()
    assert grids and set(assigned) <= {grid.id for grid in grids} and assigned
    assert {"published", "refused", "pending"} <= set(states)
    assert kinds.count("earned") == states.count("published") and "redeemed" in kinds
    assert [(m.kind, m.handled_by == m.village_code) for m in public] == [("small", True)]
